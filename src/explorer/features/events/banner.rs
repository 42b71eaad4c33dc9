//! The error banner above the table for errors that blame no input:
//! authentication, rate limits, server and network trouble.

use crate::core::told::Told;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::explorer::app::App;
use crate::explorer::ui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(e) = &app.case.results.error else { return };
    // Retrying is offered where asking again can help (not for a refusal
    // nothing will change, such as an address no profile owns).
    let may_help = !matches!(e.remedy(), Some(crate::core::told::Remedy::ChooseProfile));
    let retry = crate::explorer::app::told::retry_key(app, app.owner()).filter(|_| may_help);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.error())
        .title(Span::styled(" ✗ Request failed ", theme.error()))
        .title_bottom(
            Line::from(Span::styled(retry.map_or_else(String::new, |k| format!(" {k} retry ")), theme.muted()))
                .right_aligned(),
        );
    let mut text = crate::explorer::app::told::banner_lines(e, app).into_iter();
    let mut lines = vec![Line::from(Span::styled(text.next().unwrap_or_default(), theme.error()))];
    lines.extend(text.next().map(Line::from));
    lines.extend(text.map(|hint| Line::from(Span::styled(hint, theme.muted()))));
    if area.height <= 3 {
        // One line only: the sentence and the facts together.
        lines = vec![Line::from(vec![Span::styled(e.sentence(), theme.error()), Span::raw(format!(" {}", e.facts()))])];
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}
