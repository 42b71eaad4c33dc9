//! The customers file: a customer per line, in any form the customer field
//! takes; blank lines and comments skipped; a bad line refused by number.
//! Lines naming the same customer in the same form are one entry with the
//! line numbers that named it, so memory grows with customers, not lines.

use std::collections::HashMap;

use crate::api::CustomerRef;

/// A customer as the file names them, and the lines that do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    /// The first line that names them.
    pub line: usize,
    /// As that line gives them (cleaned: see [`clean_given`]).
    pub given: String,
    pub customer: CustomerRef,
    /// Every line that names them in this form (the first [`NAMED_LINES`]
    /// numbers kept, the rest counted).
    pub lines: LineList,
}

/// The most line numbers a customer keeps; past them the lines are counted.
pub const NAMED_LINES: usize = 8;

/// Line numbers, the first few kept and the rest counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineList {
    pub first: Vec<usize>,
    pub count: usize,
}

impl LineList {
    pub fn push(&mut self, line: usize) {
        if self.first.len() < NAMED_LINES {
            self.first.push(line);
        }
        self.count += 1;
    }

    /// Another list's lines with these: the first of both kept (each list
    /// keeps its own first, so the first of the two are among them), the
    /// total counted.
    pub fn extend(&mut self, other: &LineList) {
        self.first.extend_from_slice(&other.first);
        self.first.sort_unstable();
        self.first.dedup();
        self.first.truncate(NAMED_LINES);
        self.count += other.count;
    }

    /// "2, 5, 9", or "2, 5, 9 and 1,000 more".
    pub fn text(&self) -> String {
        let named = self.first.iter().map(|l| grouped(*l)).collect::<Vec<_>>().join(", ");
        match self.count.saturating_sub(self.first.len()) {
            0 => named,
            more => format!("{named} and {} more", grouped(more)),
        }
    }
}

/// 999992 as "999,992".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The most a customers file may hold: past it, nothing is sent.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The longest line: a customer in any form fits well within it.
pub const MAX_LINE_CHARS: usize = 320;
/// How much of a bad line an error repeats.
const ECHO_CHARS: usize = 60;

/// What a spreadsheet or a paste adds around a customer, taken away: the
/// byte-order mark and zero-width characters go, non-breaking and other
/// odd spaces become plain spaces. Other invisible characters stay, to be
/// refused with the line shown escaped.
pub fn clean_given(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'))
        .map(|c| {
            if matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2000}'..='\u{200A}' | '\u{3000}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Reads the customers file: blank lines and `#` comments are skipped; a
/// line that is no text, too long, or no customer is an error naming it
/// (repeating at most its start, any invisible character written out). A
/// national phone number takes `country_code`, as in the customer field.
/// The customers come in the order the file first names them.
pub fn parse_lines(bytes: &[u8], country_code: Option<&str>) -> Result<Vec<BatchLine>, String> {
    let mut out: Vec<BatchLine> = Vec::new();
    let mut at: HashMap<CustomerRef, usize> = HashMap::new();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i + 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            return Err(format!("line {line} is not text (binary data?)"));
        };
        let cleaned = clean_given(text);
        let given = cleaned.trim();
        if given.is_empty() || given.starts_with('#') {
            continue;
        }
        let echo = || crate::sanitize::visible(&crate::sanitize::truncate_chars(given, ECHO_CHARS));
        if given.chars().count() > MAX_LINE_CHARS {
            return Err(format!("line {line} (\"{}\") is longer than {MAX_LINE_CHARS} characters", echo()));
        }
        if given.chars().any(|c| crate::sanitize::is_invisible(c) || crate::sanitize::is_unsafe(c)) {
            return Err(format!("line {line}: \"{}\" holds an invisible character (written out above)", echo()));
        }
        match CustomerRef::parse_with(given, country_code) {
            Ok(customer) => match at.get(&customer) {
                Some(&i) => out[i].lines.push(line),
                None => {
                    at.insert(customer.clone(), out.len());
                    let mut lines = LineList::default();
                    lines.push(line);
                    out.push(BatchLine { line, given: given.to_string(), customer, lines });
                }
            },
            Err(bad) => return Err(format!("line {line}: \"{}\": {}", echo(), bad.reason())),
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

    #[test]
    fn a_spreadsheet_s_marks_are_removed_and_other_invisible_ones_shown() {
        // A byte-order mark, a non-breaking space inside a number as spoken, a zero-width space.
        let text = "\u{FEFF}564332013\n+91\u{00A0}98000 00006\n\u{200B}777000777\n";
        let lines = parse_lines(text.as_bytes(), None).unwrap();
        assert_eq!(
            lines.iter().map(|l| l.given.as_str()).collect::<Vec<_>>(),
            ["564332013", "+91 98000 00006", "777000777"]
        );
        let err = parse_lines("5643\u{2062}32013\n".as_bytes(), None).unwrap_err();
        assert!(err.contains("5643\\u{2062}32013"), "{err}");
    }

    #[test]
    fn a_customer_named_on_many_lines_is_one_entry_counting_them() {
        let text = "564332013\n".repeat(100_000);
        let lines = parse_lines(text.as_bytes(), None).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].lines.count, 100_000);
        assert_eq!(lines[0].lines.first.len(), NAMED_LINES);
        assert_eq!(lines[0].lines.text(), "1, 2, 3, 4, 5, 6, 7, 8 and 99,992 more");
        // Forms of one person merged: the first lines of all of them.
        let mut a = LineList::default();
        let mut b = LineList::default();
        for l in (1..40).step_by(2) {
            a.push(l);
            b.push(l + 1);
        }
        a.extend(&b);
        assert_eq!(a.text(), "1, 2, 3, 4, 5, 6, 7, 8 and 32 more");
    }
}
