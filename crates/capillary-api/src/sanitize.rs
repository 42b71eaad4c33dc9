//! Makes text that came from the API safe to put on a terminal, in a file or on
//! the clipboard.
//!
//! ratatui drops some control characters silently, and nothing protects stdout,
//! log files, exports or the clipboard. So every API string goes through here:
//! control characters become visible Control Pictures (`␛`, `␀`, `␍`…), bidi
//! overrides become a visible tag, tabs are expanded. Nothing is dropped without
//! a trace, so an agent can see the data was odd.

use std::borrow::Cow;

/// Width of a tab stop when tabs are expanded.
const TAB_WIDTH: usize = 4;

/// Sanitises a value shown on one line (table cells, inputs, status lines).
/// Line breaks become `␊`/`␍` so one value never spills into the next row.
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// [`line`] of at most the first `max_bytes` of `s` (at a character
/// boundary), with `…` when cut: for cells that can never show more.
pub fn line_prefix(s: &str, max_bytes: usize) -> Cow<'_, str> {
    if s.len() <= max_bytes {
        return line(s);
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", line(&s[..end])))
}

/// Sanitises multi-line text (pretty-printed JSON, wrapped details): `\n` is
/// kept as a line break, everything else is treated as in [`line`].
pub fn multiline(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// True when `c` must never reach a terminal as itself.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// True for a character that shows nothing, or looks like a plain space
/// without being one: zero-width characters, the byte-order mark,
/// non-breaking and other odd spaces, the soft hyphen, format characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{2000}'..='\u{200F}'
            | '\u{2028}'..='\u{202F}'
            | '\u{205F}'..='\u{206F}'
            | '\u{3000}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// [`line`], with every invisible character written out as `\u{…}`: for a
/// message that repeats what was given, so "not a customer" never hides why.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) || is_unsafe(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut column = 0usize;
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => {
                out.push('\n');
                column = 0;
                continue;
            }
            '\t' => {
                let pad = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', pad));
                column += pad;
                continue;
            }
            // C0 controls map one-to-one onto the Control Pictures block.
            '\0'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('␡'),
            '\u{2028}' | '\u{2029}' => out.push('␤'),
            c if is_bidi_control(c) => out.push_str(bidi_tag(c)),
            // C1 controls (0x80–0x9F), including the 8-bit CSI and OSC introducers.
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        column += 1;
    }
    Cow::Owned(out)
}

fn bidi_tag(c: char) -> &'static str {
    match c {
        '\u{202A}' => "[LRE]",
        '\u{202B}' => "[RLE]",
        '\u{202C}' => "[PDF]",
        '\u{202D}' => "[LRO]",
        '\u{202E}' => "[RLO]",
        '\u{2066}' => "[LRI]",
        '\u{2067}' => "[RLI]",
        '\u{2068}' => "[FSI]",
        '\u{2069}' => "[PDI]",
        '\u{200E}' => "[LRM]",
        '\u{200F}' => "[RLM]",
        _ => "[ALM]",
    }
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub fn truncate_chars(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((idx, _)) => {
            let mut cut = s[..idx].to_string();
            cut.pop();
            cut.push('…');
            Cow::Owned(cut)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(line("ADD_TRANSACTION 商品 🎉"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(line("\x1b[31mred\x1b]0;title\x07"), "␛[31mred␛]0;title␇");
        assert_eq!(line("a\r\nb\0"), "a␍␊b␀");
        assert_eq!(line("x\u{9b}y"), "x\u{FFFD}y");
    }

    #[test]
    fn bidi_overrides_are_tagged() {
        assert_eq!(line("abc\u{202E}def"), "abc[RLO]def");
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(line("a\tb"), "a   b");
        assert_eq!(line("abcd\tb"), "abcd    b");
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(multiline("a\nb\r\x1b"), "a\nb␍␛");
    }

    #[test]
    fn nothing_unsafe_survives() {
        let hostile: String =
            (0u32..0x250).filter_map(char::from_u32).chain("\u{202E}\u{2066}\u{2028}".chars()).collect();
        assert!(!line(&hostile).chars().any(is_unsafe));
        assert!(!multiline(&hostile).chars().any(|c| c != '\n' && is_unsafe(c)));
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
        assert_eq!(truncate_chars("abc", 4), "abc");
    }
}
