//! The error banner above the table for errors that blame no input:
//! authentication, rate limits, server and network trouble.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::api::ApiError;
use crate::app::App;

/// "HTTP 503 · code 310011 · request id …": the facts support staff quote.
pub fn facts(e: &ApiError) -> String {
    let mut parts = Vec::new();
    parts.push(e.status.map_or("no HTTP status".to_string(), |s| format!("HTTP {s}")));
    if let Some(code) = e.code() {
        parts.push(format!("code {code}"));
    }
    parts.push(format!("request id {}", e.request_id.as_deref().unwrap_or("-")));
    parts.join(" · ")
}

fn text_lines(e: &ApiError) -> Vec<String> {
    let mut v = vec![e.sentence(), facts(e)];
    v.extend(e.hint());
    v
}

/// Rows the banner needs at this terminal size: every line wrapped, at most
/// eight rows; one line only on short terminals.
pub fn height(e: &ApiError, size: Rect) -> u16 {
    if size.height < 24 {
        return 3;
    }
    let width = size.width.saturating_sub(2).max(1) as usize;
    let rows: usize = text_lines(e).iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    (rows as u16 + 2).min(8)
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(e) = &app.error else { return };
    let theme = &app.theme;
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.error())
        .title(Span::styled(" ✗ Request failed ", theme.error()))
        .title_bottom(Line::from(Span::styled(" r retry ", theme.muted())).right_aligned());
    let mut text = text_lines(e).into_iter();
    let mut lines = vec![Line::from(Span::styled(text.next().unwrap_or_default(), theme.error()))];
    lines.extend(text.next().map(Line::from));
    lines.extend(text.map(|hint| Line::from(Span::styled(hint, theme.muted()))));
    if area.height <= 3 {
        // One line only: the sentence and the facts together.
        lines = vec![Line::from(vec![Span::styled(e.sentence(), theme.error()), Span::raw(format!(" {}", facts(e)))])];
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}
