//! What is drawn over everything: help, prompts, questions, copied text.

pub mod view;

/// The popup's width at `screen`.
fn copied_width(screen: ratatui::layout::Rect) -> u16 {
    screen.width.saturating_sub(4).min(160)
}

/// The copied text as the popup shows it at `screen`: prose wrapped at
/// words (a word wider than the line broken with a mark, never dropped);
/// table rows, code and command lines kept whole, one screen line each (the
/// popup scrolls sideways for them).
pub fn copied_lines(screen: ratatui::layout::Rect, text: &str) -> Vec<String> {
    let width = copied_width(screen).saturating_sub(2).max(8) as usize;
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        let line = crate::sanitize::line(line).into_owned();
        let fence = line.trim_start().starts_with("```");
        let whole = in_code || fence || line.starts_with('|') || line.starts_with(' ') || line.starts_with("curl ");
        if fence {
            in_code = !in_code;
        }
        if whole || unicode_width::UnicodeWidthStr::width(line.as_str()) <= width {
            out.push(line);
        } else {
            out.extend(crate::core::columns::wrap_words(&line, width));
        }
    }
    out
}

/// The rows of the copied-text popup at `screen`: its lines, and how many
/// of them it shows at once.
pub fn copied_rows(screen: ratatui::layout::Rect, text: &str) -> (usize, usize) {
    let total = copied_lines(screen, text).len();
    let height = (total as u16 + 4).min(screen.height.saturating_sub(2));
    (total, height.saturating_sub(4) as usize)
}

/// The popup's width, for drawing.
pub fn copied_popup_width(screen: ratatui::layout::Rect) -> u16 {
    copied_width(screen)
}

/// Scrolls the copied text sideways, up to its longest line.
pub(crate) fn shift_copied(app: &mut crate::explorer::app::App, delta: i16) {
    let size = app.chrome.size;
    if let Some(crate::explorer::app::state::Overlay::Copied { text, shift, .. }) = app.screen.overlay_mut() {
        let lines = copied_lines(size, text);
        let widest = lines.iter().map(|l| unicode_width::UnicodeWidthStr::width(l.as_str())).max().unwrap_or(0);
        let room = usize::from(copied_popup_width(size).saturating_sub(2));
        let max = i64::try_from(widest.saturating_sub(room)).unwrap_or(i64::MAX).min(i64::from(u16::MAX));
        *shift = (i64::from(*shift) + i64::from(delta)).clamp(0, max) as u16;
    }
}
