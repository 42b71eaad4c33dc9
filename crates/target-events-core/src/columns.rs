//! Column widths from the content on screen, for every table: figures and ids
//! are shown whole or their column is left out; text narrows with a visible
//! `…` (or drops out) when the row cannot fit. Also titles and lines built
//! from parts that are kept whole or dropped. Shared: the explorer's tables
//! and the headless `--format table` size their columns the same way.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Text columns get up to this many columns before lower priorities are seen.
const COMFORTABLE_TEXT: u16 = 12;
/// A name (a target's, a group's) is given this much whole before lower
/// priorities are seen: names of up to 40 characters read whole.
const WHOLE_NAME: u16 = 40;

/// What a column holds, which decides how it may shrink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Numbers and ids: whole or not at all.
    Figure,
    /// Text that may narrow to `min` columns, marked with `…` when cut.
    Text { min: u16 },
    /// A name: like text, but given whole (up to 40 columns) before the
    /// columns after it in priority.
    Name { min: u16 },
    /// A fixed-width decoration (a marker, a gauge): whole or not at all.
    Fixed,
}

/// One column: its header, its kind, its priority (0 is kept first) and the
/// widest cell among the rows on screen.
#[derive(Clone, Debug)]
pub struct Spec {
    pub title: &'static str,
    pub kind: Kind,
    pub priority: u8,
    pub content: u16,
    /// Left out whatever the room (it would repeat another column).
    pub hidden: bool,
}

impl Spec {
    pub fn new(title: &'static str, kind: Kind, priority: u8) -> Spec {
        Spec { title, kind, priority, content: 0, hidden: false }
    }

    /// Widens the column to hold `text`.
    pub fn fit_cell(&mut self, text: &str) {
        self.content = self.content.max(u16::try_from(text.width()).unwrap_or(u16::MAX));
    }

    fn natural(&self) -> u16 {
        self.content.max(self.title.width() as u16)
    }

    /// What text is given before columns of lower priority are considered.
    fn comfortable(&self) -> u16 {
        match self.kind {
            Kind::Figure | Kind::Fixed => self.natural(),
            Kind::Text { min } => self.natural().min(min.max(COMFORTABLE_TEXT)),
            Kind::Name { min } => self.natural().min(min.max(WHOLE_NAME)),
        }
    }

    /// The least it can be shown at.
    fn least(&self) -> u16 {
        match self.kind {
            Kind::Figure | Kind::Fixed => self.natural(),
            Kind::Text { min } | Kind::Name { min } => min.min(self.natural()),
        }
    }
}

/// Widths of `specs` within `width` (with `spacing` between columns), `None`
/// for a column left out. Columns are taken by priority while their least
/// width fits; the room left widens text columns towards their content.
pub fn widths(specs: &[Spec], width: u16, spacing: u16) -> Vec<Option<u16>> {
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| specs[i].priority);
    let mut chosen: Vec<Option<u16>> = vec![None; specs.len()];
    let mut used: u32 = 0;
    for &i in order.iter().filter(|&&i| !specs[i].hidden) {
        let gap = if used == 0 { 0 } else { u32::from(spacing) };
        // Text asks for a readable width first, its least if that is all there is.
        for w in [specs[i].comfortable(), specs[i].least()] {
            if used + gap + u32::from(w) <= u32::from(width) {
                used += gap + u32::from(w);
                chosen[i] = Some(w);
                break;
            }
        }
    }
    // Share what is left, a column at a time, among text that was narrowed.
    let mut left = u32::from(width).saturating_sub(used);
    while left > 0 {
        let mut gave = false;
        for &i in &order {
            if let (Some(w), Kind::Text { .. } | Kind::Name { .. }) = (chosen[i], specs[i].kind)
                && w < specs[i].natural()
                && left > 0
            {
                chosen[i] = Some(w + 1);
                left -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    chosen
}

/// Cuts `text` to `width` columns, marking a cut with `…` so a shortened
/// value never passes for the whole one.
pub fn fit(text: &str, width: u16) -> Cow<'_, str> {
    let width = width as usize;
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let is_num = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    let mut out = String::new();
    let mut used = 0;
    let mut next = None;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            next = Some(c);
            break;
        }
        out.push(c);
        used += w;
    }
    // A number inside the text is kept whole or left out, never halved.
    if next.is_some_and(is_num) && out.ends_with(is_num) {
        let keep = out.trim_end_matches(is_num).trim_end().len();
        out.truncate(keep);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Joins `parts` (priority, text) in their order, leaving out whole parts,
/// lowest priority first, until the line fits `width`. A part is never cut,
/// so a figure in it is whole or absent.
pub fn join_fitting(parts: &[(u8, String)], width: usize) -> String {
    let mut keep = vec![true; parts.len()];
    let total = |keep: &[bool]| parts.iter().zip(keep).filter(|(_, k)| **k).map(|(p, _)| p.1.width()).sum::<usize>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(parts[i].0));
    for i in order {
        if total(&keep) <= width {
            break;
        }
        keep[i] = false;
    }
    parts.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| p.1.as_str()).collect()
}

/// The mark at the end of a line where a word too wide for any line goes on
/// in the next.
pub const BROKEN: char = '↵';

/// Cuts `text` into pieces at most `width` columns wide. A run of digits
/// that would be split moves whole to the next piece when it fits there, so a
/// number is never read in two halves.
pub fn hard_wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let is_num = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    let mut out = vec![String::new()];
    let mut used = 0;
    // Byte offset and width where the current run of digits began in this piece.
    let mut run: Option<(usize, usize)> = None;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && used > 0 {
            let line = out.last_mut().expect("never empty");
            match run {
                Some((at, at_w)) if at > 0 && is_num(c) && used - at_w + w <= width => {
                    let carried = line.split_off(at);
                    used -= at_w;
                    out.push(carried);
                    run = Some((0, 0));
                }
                _ => {
                    out.push(String::new());
                    used = 0;
                    run = None;
                }
            }
        }
        let line = out.last_mut().expect("never empty");
        if is_num(c) {
            run.get_or_insert((line.len(), used));
        } else {
            run = None;
        }
        line.push(c);
        used += w;
    }
    out
}

/// Wraps `text` into lines of at most `width` columns at spaces, so a word
/// (a number, a date) is never split when it fits a line; a word wider than
/// a line (a long store code, an email) is broken across lines, each piece
/// but the last ending with [`BROKEN`], never dropped.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if word.width() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut pieces = break_word(word, width);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
            continue;
        }
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `word` in pieces of at most `width` columns, each but the last ending
/// with [`BROKEN`] (a width under 2 holds a character and no mark: one a line).
fn break_word(word: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let room = if width >= 2 { width - 1 } else { width.max(1) };
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in word.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room && used > 0 {
            if width >= 2 {
                pieces.last_mut().expect("one piece at least").push(BROKEN);
            }
            pieces.push(String::new());
            used = 0;
        }
        pieces.last_mut().expect("one piece at least").push(c);
        used += w;
    }
    pieces
}

/// Cuts `text` at a word boundary to fit `width`, with `…`: a number in it is
/// whole or gone, never half.
pub fn fit_words(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for word in text.split_inclusive(' ') {
        if out.width() + word.trim_end().width() + 1 > width {
            break;
        }
        out.push_str(word);
    }
    let mut out = out.trim_end().to_string();
    if !out.is_empty() {
        out.push('…');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(title: &'static str, kind: Kind, priority: u8, content: &str) -> Spec {
        let mut s = Spec::new(title, kind, priority);
        s.fit_cell(content);
        s
    }

    #[test]
    fn figures_are_whole_or_left_out_and_text_narrows() {
        let specs = [
            spec("Group", Kind::Text { min: 6 }, 3, "Platinum Anniversary Spend"),
            spec("Achieved", Kind::Figure, 0, "513182.14"),
            spec("Target", Kind::Figure, 1, "25000.00"),
        ];
        assert_eq!(widths(&specs, 80, 1), vec![Some(26), Some(9), Some(8)]);
        assert_eq!(widths(&specs, 30, 1), vec![Some(11), Some(9), Some(8)]);
        let two_texts =
            [spec("A", Kind::Text { min: 4 }, 1, "aaaaaaaaaa"), spec("B", Kind::Text { min: 4 }, 2, "bbbbbbbbbb")];
        // The first text gets a readable width before the second is widened.
        assert_eq!(widths(&two_texts, 15, 1), vec![Some(10), Some(4)]);
        // No room for the second figure: it goes, whole.
        assert_eq!(widths(&specs, 12, 1), vec![None, Some(9), None]);
        assert_eq!(fit("Platinum Anniversary", 8), "Platinu…");
        // A number in a name is whole or gone.
        assert_eq!(fit("Spend 25,000 in a month", 12), "Spend…");
        assert_eq!(fit("Spend 25,000 in a month", 13), "Spend 25,000…");
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_with_a_mark_never_dropped() {
        let lines = wrap_words("bill at MUM-ANDHERI-WEST-0002 today", 10);
        assert_eq!(lines, ["bill at", "MUM-ANDHE↵", "RI-WEST-0↵", "002 today"]);
        for l in &lines {
            assert!(l.width() <= 10, "{l:?}");
        }
        let joined: String = lines.join(" ").replace("↵ ", "");
        assert_eq!(joined, "bill at MUM-ANDHERI-WEST-0002 today");
        // Wide characters are measured, not counted.
        assert!(wrap_words("顧客顧客顧客", 5).iter().all(|l| l.width() <= 5));
        assert_eq!(wrap_words("abc", 1), ["a", "b", "c"]);
    }

    #[test]
    fn parts_and_words_are_kept_whole() {
        let parts =
            [(0, " Summary".to_string()), (1, " · 1317 events".to_string()), (2, " · 513182.14 in all".to_string())];
        assert_eq!(join_fitting(&parts, 100), " Summary · 1317 events · 513182.14 in all");
        assert_eq!(join_fitting(&parts, 30), " Summary · 1317 events");
        assert_eq!(fit_words("Loaded 1317 events from 14 pages", 20), "Loaded 1317 events…");
        assert_eq!(fit_words("Loaded 1317 events", 10), "Loaded…");
    }
}
