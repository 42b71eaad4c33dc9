//! Things drawn over the screen: help, prompts, and the too-small notice.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::app::keymap::HELP;
use crate::app::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::app::state::{Overlay, Prompt};
use crate::ui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame) {
    match &app.chrome.overlay {
        Some(Overlay::Help { scroll }) => help(theme, frame, *scroll),
        Some(Overlay::Prompt { prompt, error }) => prompt_box(app, theme, frame, prompt, error.as_deref()),
        Some(Overlay::Picker(p)) => super::picker::draw(app, theme, frame, p),
        Some(Overlay::Copied { title, text, sent }) => copied(theme, frame, title, text, *sent),
        Some(Overlay::Confirm { question, .. }) => confirm(theme, frame, question),
        None => {}
    }
}

/// A yes/no question; `y` says yes, anything named below says no.
fn confirm(theme: &Theme, frame: &mut Frame, question: &str) {
    let area = frame.area().centered(Constraint::Length(80), Constraint::Length(6));
    frame.render_widget(Clear, area);
    let block = Block::bordered().border_type(BorderType::Rounded).border_style(theme.border(true)).title(" Confirm ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = vec![
        Line::from(Span::styled(crate::sanitize::line(question).into_owned(), theme.warning())),
        Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" yes · "),
            Span::styled("n", theme.key()),
            Span::raw("/"),
            Span::styled("Esc", theme.key()),
            Span::raw(" no"),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// Lines of help for a screen of this size: (left column, right column).
fn help_lines(size: Rect) -> (usize, usize) {
    let count = |sections: &[(&str, &[(&str, &str)])]| sections.iter().map(|(_, keys)| keys.len() + 1).sum::<usize>();
    if size.width >= 120 {
        let split = HELP.len().div_ceil(2);
        (count(&HELP[..split]), count(&HELP[split..]))
    } else {
        (count(HELP), 0)
    }
}

/// How many lines of help do not fit on this screen (what j/k can scroll).
pub fn help_overflow(size: Rect) -> u16 {
    let (l, r) = help_lines(size);
    (l.max(r) as u16 + 2).saturating_sub(size.height)
}

fn help(theme: &Theme, frame: &mut Frame, scroll: u16) {
    let section = |(pane, keys): &(&str, &[(&str, &str)])| {
        let mut lines = vec![Line::from(Span::styled(pane.to_string(), theme.header()))];
        for (k, what) in *keys {
            lines.push(Line::from(vec![Span::styled(format!("  {k:<17}"), theme.key()), Span::raw(what.to_string())]));
        }
        lines
    };
    let screen = frame.area();
    // Two columns when there is room, so every key fits on one screen.
    let two = screen.width >= 120;
    let split = HELP.len().div_ceil(2);
    let (left, right): (Vec<Line>, Vec<Line>) = if two {
        (HELP[..split].iter().flat_map(section).collect(), HELP[split..].iter().flat_map(section).collect())
    } else {
        (HELP.iter().flat_map(section).collect(), Vec::new())
    };
    let height = left.len().max(right.len()) as u16 + 2;
    let area = screen.centered(Constraint::Length(if two { 118 } else { 64 }), Constraint::Length(height));
    frame.render_widget(Clear, area);
    let more = help_overflow(screen) > 0;
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(" Keys ")
        .title_bottom(
            Line::from(if more { " j/k scroll · Esc or ? closes " } else { " Esc or ? closes " }).right_aligned(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if two {
        let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).spacing(2).areas(inner);
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
    } else {
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), inner);
    }
}

fn copied(theme: &Theme, frame: &mut Frame, title: &str, text: &str, sent: bool) {
    let note = if sent {
        "Sent to the clipboard (OSC 52). If your terminal did not take it, select the text below."
    } else {
        "This terminal cannot take a clipboard copy: select the text below by hand."
    };
    let mut lines = vec![Line::from(Span::styled(note, theme.muted())), Line::default()];
    lines.extend(text.lines().map(|l| Line::from(crate::sanitize::line(l).into_owned())));
    let screen = frame.area();
    let width = screen.width.saturating_sub(4).min(120);
    let height = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
    let area = screen.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(format!(" {title} "))
        .title_bottom(Line::from(" Esc closes ").right_aligned());
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

fn prompt_box(app: &App, theme: &Theme, frame: &mut Frame, prompt: &Prompt, error: Option<&str>) {
    let (title, input, hint) = match prompt {
        Prompt::GoToPage(i) => {
            let pages = app.known_pages().map_or(String::new(), |n| format!(" (1–{n})"));
            (" Go to page ", i, format!("Page number{pages}, Enter to go, Esc to cancel"))
        }
        Prompt::PageSize(i) => {
            (" Page size ", i, format!("Events per page (1–{}), Enter to apply", app.results.max_limit))
        }
        Prompt::SaveNote(i) => (
            " Save the case note ",
            i,
            "Markdown, to this file; an existing one is replaced only after a yes".to_string(),
        ),
        Prompt::Export(i) => {
            let what = if app.results.filter.is_active() { "filtered" } else { "loaded" };
            (
                " Export ",
                i,
                format!("Write the {} {what} events to this file (.csv, .json or .jsonl)", app.results.view.len()),
            )
        }
    };
    let width = if matches!(prompt, Prompt::Export(_) | Prompt::SaveNote(_)) { 80 } else { 50 };
    let area = frame.area().centered(Constraint::Length(width), Constraint::Length(5));
    frame.render_widget(Clear, area);
    let block = Block::bordered().border_type(BorderType::Rounded).border_style(theme.border(true)).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let value = crate::sanitize::line(input.value()).into_owned();
    let lines = vec![
        Line::from(vec![Span::raw("› "), Span::styled(value, theme.input(true))]),
        match error {
            Some(e) => Line::from(Span::styled(e.to_string(), theme.error())),
            None => Line::from(Span::styled(hint, theme.muted())),
        },
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    let cursor = input.visual_cursor() as u16;
    frame.set_cursor_position(Position::new(inner.x + 2 + cursor.min(inner.width.saturating_sub(3)), inner.y));
}

pub fn too_small(theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let text = vec![
        Line::from(Span::styled("Terminal too small", theme.error())),
        Line::from(format!("{}×{}: needs {MIN_WIDTH}×{MIN_HEIGHT}", area.width, area.height)),
        Line::from(Span::styled("Enlarge it, or q to quit", theme.muted())),
    ];
    // The odd row above, as the table's empty states have it.
    let h = area.height.min(3);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let p = Paragraph::new(text).alignment(Alignment::Center).wrap(Wrap { trim: true });
    frame.render_widget(p, Rect { y, height: h, ..area });
}
