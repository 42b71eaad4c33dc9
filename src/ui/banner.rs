//! The error banner above the table for errors that blame no input:
//! authentication, rate limits, server and network trouble.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

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

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(e) = &app.error else { return };
    let theme = &app.theme;
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.error())
        .title(Span::styled(" ✗ Request failed ", theme.error()))
        .title_bottom(Line::from(Span::styled(" r retry ", theme.muted())).right_aligned());
    let mut lines = vec![Line::from(Span::styled(e.sentence(), theme.error()))];
    lines.push(Line::from(facts(e)));
    if let Some(hint) = e.hint() {
        lines.push(Line::from(Span::styled(hint, theme.muted())));
    }
    if area.height <= 3 {
        // One line only: the sentence and the facts together.
        lines = vec![Line::from(vec![Span::styled(e.sentence(), theme.error()), Span::raw(format!(" {}", facts(e)))])];
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}
