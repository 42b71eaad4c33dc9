//! The status line: where we are in the pages, the last request's facts, and
//! one-shot hints. When the line is short of room the least useful parts go
//! first: request id, then timing, limit and range; the page and a hint stay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::App;

/// A piece of the line: its spans and its priority (lower stays longer).
struct Part {
    spans: Vec<Span<'static>>,
    priority: u8,
}

impl Part {
    fn new(priority: u8, spans: Vec<Span<'static>>) -> Part {
        Part { spans, priority }
    }

    fn text(priority: u8, text: String, style: Style) -> Part {
        Part::new(priority, vec![Span::styled(text, style)])
    }

    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.width()).sum()
    }
}

fn parts(app: &App) -> Vec<Part> {
    let theme = &app.theme;
    let mut parts = Vec::new();
    if let Some(shown) = &app.shown {
        let info = shown.info();
        let pages = info.page_count().map_or("?".into(), |n| n.to_string());
        parts.push(Part::new(
            0,
            vec![
                Span::styled(" ◀ ", if info.page == 0 { theme.muted() } else { theme.key() }),
                Span::raw(format!("Page {} of {pages}", info.page + 1)),
                Span::styled(" ▶", if info.is_last() { theme.muted() } else { theme.key() }),
            ],
        ));
        let total = info.total_records().map_or("?".into(), |n| n.to_string());
        let range = if info.count == 0 {
            format!("  no events · {total} in all")
        } else {
            format!("  events {}–{} of {total}", info.first_record(), info.last_record())
        };
        parts.push(Part::text(2, range, Style::new()));
        parts.push(Part::text(3, format!(" · limit {}", shown.query.limit), theme.muted()));
    } else {
        parts.push(Part::text(3, format!(" limit {}", app.limit), theme.muted()));
    }
    if let Some(last) = &app.last_request {
        parts.push(Part::text(4, format!(" · {} ms", last.elapsed.as_millis()), theme.muted()));
        if let Some(id) = &last.request_id {
            parts.push(Part::text(5, format!(" · req {id}"), theme.muted()));
        }
    }
    if let Some(flash) = &app.flash {
        parts.push(Part::text(1, format!("  {flash}"), theme.flash()));
    }
    parts
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut right = vec![Span::styled(format!(" {} ", app.label), theme.badge()), Span::raw(" ")];
    if area.width >= 80 {
        right.extend([Span::raw(" "), Span::styled("?", theme.key()), Span::raw(" help ")]);
    } else {
        right.extend([Span::styled("?", theme.key()), Span::raw(" ")]);
    }
    let right_w: u16 = right.iter().map(|s| s.content.width() as u16).sum();
    let [left_area, right_area] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right_w)]).areas(area);

    let parts = parts(app);
    // Keep parts by priority while they fit, then show them in their order.
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| parts[i].priority);
    let mut keep = vec![false; parts.len()];
    let mut used = 0;
    for i in order {
        if used + parts[i].width() <= left_area.width as usize {
            used += parts[i].width();
            keep[i] = true;
        }
    }
    let spans: Vec<Span> = parts.into_iter().zip(keep).filter(|(_, k)| *k).flat_map(|(p, _)| p.spans).collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}
