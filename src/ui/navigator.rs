//! The status line: where we are in the pages, the last request's facts, and
//! one-shot hints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let right = vec![
        Span::styled(format!(" {} ", app.label), theme.badge()),
        Span::raw("  "),
        Span::styled("?", theme.key()),
        Span::raw(" help "),
    ];
    let right_w: u16 = right.iter().map(|s| s.content.width() as u16).sum();
    let [left_area, right_area] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right_w)]).areas(area);

    let mut left: Vec<Span> = Vec::new();
    if let Some(shown) = &app.shown {
        let info = shown.info();
        let pages = info.page_count();
        let first = info.page == 0;
        let last = info.is_last();
        left.push(Span::styled(" ◀ ", if first { theme.muted() } else { theme.key() }));
        left.push(Span::raw(format!("Page {} of {}", info.page + 1, pages.map_or("?".into(), |n| n.to_string()))));
        left.push(Span::styled(" ▶ ", if last { theme.muted() } else { theme.key() }));
        let total = info.total_records().map_or("?".into(), |n| n.to_string());
        let range = if info.count == 0 {
            format!(" no events · {total} in all")
        } else {
            format!(" events {}–{} of {total}", info.first_record(), info.last_record())
        };
        left.push(Span::raw(range));
        left.push(Span::styled(format!(" · limit {}", shown.query.limit), theme.muted()));
    } else {
        left.push(Span::styled(format!(" limit {}", app.limit), theme.muted()));
    }
    if let Some(last) = &app.last_request {
        left.push(Span::styled(format!(" · {} ms", last.elapsed.as_millis()), theme.muted()));
        if let Some(id) = &last.request_id {
            left.push(Span::styled(format!(" · req {id}"), theme.muted()));
        }
    }
    if let Some(flash) = &app.flash {
        // The hint matters more than the request facts: put it first when short of room.
        let used: usize = left.iter().map(|s| s.content.width()).sum();
        if used + flash.width() + 3 > left_area.width as usize {
            left.clear();
        }
        left.push(Span::styled(format!("  {flash}"), theme.flash()));
    }
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}
