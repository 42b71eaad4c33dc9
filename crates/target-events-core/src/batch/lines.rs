//! The customers file: a customer per line, in any form the customer field
//! takes; blank lines and comments skipped; a bad line refused by number.

use crate::api::CustomerRef;

/// A line of the file that names a customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub line: usize,
    pub given: String,
    pub customer: CustomerRef,
}

/// The most a customers file may hold: past it, nothing is sent.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The longest line: a customer in any form fits well within it.
pub const MAX_LINE_CHARS: usize = 320;
/// How much of a bad line an error repeats.
const ECHO_CHARS: usize = 60;

/// Reads the customers file: blank lines and `#` comments are skipped; a
/// line that is no text, too long, or no customer is an error naming it
/// (repeating at most its start). A national phone number takes
/// `country_code`, as in the customer field.
pub fn parse_lines(bytes: &[u8], country_code: Option<&str>) -> Result<Vec<BatchLine>, String> {
    let mut out = Vec::new();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i + 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            return Err(format!("line {line} is not text (binary data?)"));
        };
        let given = text.trim();
        if given.is_empty() || given.starts_with('#') {
            continue;
        }
        let echo = crate::sanitize::truncate_chars(&crate::sanitize::line(given), ECHO_CHARS).into_owned();
        if given.chars().count() > MAX_LINE_CHARS {
            return Err(format!("line {line} (\"{echo}\") is longer than {MAX_LINE_CHARS} characters"));
        }
        match CustomerRef::parse_with(given, country_code) {
            Ok(customer) => out.push(BatchLine { line, given: given.to_string(), customer }),
            Err(bad) => return Err(format!("line {line}: \"{echo}\": {}", bad.reason())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_comments_and_name_the_bad_one() {
        let text =
            "# affected by the store 12 outage\n564332013\n\nmobile:910712004518\n  email:mei.lin@example.com  \n";
        let lines = parse_lines(text.as_bytes(), None).unwrap();
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![2, 4, 5]);
        assert_eq!(lines[2].given, "email:mei.lin@example.com");
        let err = parse_lines(b"564332013\nmobile:12\n", None).unwrap_err();
        assert!(err.starts_with("line 2: \"mobile:12\": a mobile is 8–15 digits"), "{err}");
    }
}
