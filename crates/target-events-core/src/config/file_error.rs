//! A config file error a user can act on without it printing their secrets:
//! toml's own report quotes the offending line, password included.

use std::path::Path;

/// "FILE: line L, column C, key `k`: what is wrong". The key's value is never
/// part of it, even where the parser's message quotes it.
pub fn describe(path: &Path, text: &str, e: &toml::de::Error) -> String {
    let mut out = format!("{} is not a valid config file", path.display());
    let mut value = None;
    if let Some(span) = e.span() {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        out.push_str(&format!(": line {line}, column {column}"));
        let line_text = text[line_start..].lines().next().unwrap_or("");
        if let Some((key, v)) = line_text.split_once('=') {
            let key = key.trim();
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.\"'".contains(c)) {
                out.push_str(&format!(", key `{key}`"));
            }
            value = Some(v.trim());
        }
    }
    // A parser message may quote a literal it read: keep only what a user
    // needs (the kind of problem and what was expected), never the value.
    let mut message = in_words(&redact_quoted_values(e.message().trim()));
    // The value, quoted or bare, whole or in part, is cut from what remains.
    if let Some(v) = value {
        let unquoted = v.trim_matches(|c| c == '"' || c == '\'');
        for needle in [v, unquoted] {
            if !needle.is_empty() {
                message = replace_words(&message, needle);
            }
        }
    }
    out.push_str(&format!(": {}", crate::sanitize::truncate_chars(&crate::sanitize::line(&message), 200)));
    out
}

/// The parser's type names as a person reads them.
fn in_words(message: &str) -> String {
    message
        .replace("expected u8", "expected a whole number from 0 to 255")
        .replace("expected u16", "expected a whole number from 0 to 65535")
        .replace("expected u32", "expected a whole number from 0")
        .replace("expected u64", "expected a whole number from 0")
        .replace("expected usize", "expected a whole number from 0")
        .replace("expected i64", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
        .replace("unknown variant", "not an allowed value")
}

/// `needle` replaced by "…" where it stands as a word of its own (a value
/// "x" leaves "expected" whole).
fn replace_words(message: &str, needle: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(needle) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + needle.len()..].chars().next();
        let inside = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        if inside(before) || inside(after) {
            out.push_str(needle);
        } else {
            out.push('…');
        }
        rest = &rest[at + needle.len()..];
    }
    out.push_str(rest);
    out
}

/// Replaces `string "…"` and `` `…` `` literals after "invalid type"/"invalid
/// value" with a mark; names in backticks elsewhere (keys, expected fields) stay.
fn redact_quoted_values(message: &str) -> String {
    let Some(at) = message.find("invalid type:").or_else(|| message.find("invalid value:")) else {
        return message.to_string();
    };
    let (head, rest) = message.split_at(at);
    match rest.find(", expected") {
        Some(end) => {
            let kind = rest[..end].split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            format!("{head}{kind} (value hidden){}", &rest[end..])
        }
        None => format!("{head}{}", rest.split_whitespace().take(2).collect::<Vec<_>>().join(" ")),
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_for(text: &str) -> String {
        let e = toml::from_str::<super::super::ConfigFile>(text).unwrap_err();
        describe(Path::new("/c/config.toml"), text, &e)
    }

    #[test]
    fn a_syntax_error_names_place_and_key_never_the_value() {
        let text = "[profiles.p]\ncluster = \"eu\"\nusername = \"u\"\npasword = \"Sup3rS3cret!\n";
        let msg = error_for(text);
        assert!(msg.starts_with("/c/config.toml is not a valid config file: line 4"), "{msg}");
        assert!(!msg.contains("Sup3rS3cret"), "{msg}");
        assert!(msg.contains("pasword"), "{msg}");
    }

    #[test]
    fn a_short_value_leaves_the_words_around_it_whole() {
        let msg = error_for("keys = \"x\"\n");
        assert!(msg.ends_with("invalid type: string (value hidden), expected a map"), "{msg}");
    }

    #[test]
    fn a_wrong_type_hides_the_value() {
        let text = "[profiles.p]\npassword = 12345678\n";
        let msg = error_for(text);
        assert!(!msg.contains("12345678"), "{msg}");
        assert!(msg.contains("line 2") && msg.contains("key `password`"), "{msg}");
        let text = "[profiles.p]\npassword_is_md5 = \"hunter2hunter2\"\n";
        let msg = error_for(text);
        assert!(!msg.contains("hunter2"), "{msg}");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let msg = error_for("[profiles.p]\npasword = \"Sup3rS3cret!\"\n");
        assert!(msg.contains("pasword") && !msg.contains("Sup3rS3cret"), "{msg}");
    }
}
