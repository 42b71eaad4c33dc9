//! What is drawn over everything: help, prompts, questions, copied text.

pub mod view;

/// The rows of the copied-text popup at `screen`: the text's lines, and
/// how many of them it shows at once.
pub fn copied_rows(screen: ratatui::layout::Rect, text: &str) -> (usize, usize) {
    let total = text.lines().count();
    let height = (total as u16 + 4).min(screen.height.saturating_sub(2));
    (total, height.saturating_sub(4) as usize)
}
