//! Things drawn over the screen: help, prompts, and the too-small notice.

use crate::explorer::app::keys::{Keymap, footer, footers};
use crate::explorer::app::screen::Owner;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::explorer::app::App;
use crate::explorer::app::keys;
use crate::explorer::app::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::explorer::app::state::{CopyWay, Overlay, Prompt, TextFile};
use crate::explorer::ui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame) {
    match app.screen.overlay() {
        Some(Overlay::Help { scroll }) => help(&app.keymap, theme, frame, *scroll),
        Some(Overlay::Prompt { prompt, error }) => prompt_box(app, theme, frame, prompt, error.as_deref()),
        // A picker is drawn by its own feature (ui/mod.rs).
        Some(Overlay::Picker(_)) => {}
        Some(Overlay::Copied { title, text, sent, scroll, shift }) => {
            copied(&app.keymap, theme, frame, title, text, *sent, (*scroll, *shift))
        }
        Some(Overlay::Confirm { question, .. }) => confirm(&app.keymap, theme, frame, question),
        None => {}
    }
}

/// A yes/no question; `y` says yes, anything named below says no.
fn confirm(keymap: &Keymap, theme: &Theme, frame: &mut Frame, question: &str) {
    let area = frame.area().centered(Constraint::Length(80), Constraint::Length(6));
    frame.render_widget(Clear, crate::explorer::ui::with_margin(area, frame.area()));
    let block = Block::bordered().border_type(BorderType::Rounded).border_style(theme.border(true)).title(" Confirm ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = vec![
        Line::from(Span::styled(crate::sanitize::line(question).into_owned(), theme.warning())),
        Line::from(Span::styled(
            crate::explorer::app::keys::footer(
                keymap,
                crate::explorer::app::screen::Owner::Confirm,
                crate::explorer::app::keys::footers::CONFIRM,
            )
            .trim()
            .to_string(),
            theme.key(),
        )),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

type Section = (String, Vec<(String, &'static str)>);

/// Help's sections split into two columns when the screen is wide enough.
fn help_columns(keymap: &Keymap, size: Rect) -> (Vec<Section>, Vec<Section>) {
    let sections = keys::help_sections(keymap);
    if size.width < 120 {
        return (sections, Vec::new());
    }
    // Split where the left column first holds half the lines.
    let total: usize = sections.iter().map(|(_, l)| l.len() + 2).sum();
    let mut left = 0;
    let split = sections
        .iter()
        .position(|(_, l)| {
            left += l.len() + 2;
            left * 2 >= total
        })
        .map_or(sections.len(), |i| i + 1);
    let mut sections = sections;
    let right = sections.split_off(split);
    (sections, right)
}

/// Width of the keys column; a description wraps beside it.
const KEYS_W: usize = 19;

/// Help's width on a screen this wide: two columns from 120.
fn help_width(size: Rect) -> u16 {
    if size.width >= 120 { 118 } else { 64.min(size.width) }
}

/// A line of help: the keys (or a section title), the words, whether a title.
type HelpLine = (String, String, bool);

/// One column's text as lines (title, entries with wrapped descriptions,
/// a blank between sections), at `width` columns: nothing is cut.
fn column_lines(sections: &[Section], width: usize) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    for (i, (title, keys)) in sections.iter().enumerate() {
        if i > 0 {
            lines.push((String::new(), String::new(), false));
        }
        lines.push((title.to_string(), String::new(), true));
        for (k, what) in keys {
            let wrapped = crate::explorer::ui::columns::wrap_words(what, width.saturating_sub(KEYS_W).max(8));
            for (j, part) in wrapped.into_iter().enumerate() {
                let key = if j == 0 { format!("  {k:<w$} ", w = KEYS_W - 3) } else { String::new() };
                lines.push((key, part, false));
            }
        }
    }
    lines
}

/// Both columns' lines at this screen size.
fn help_text(keymap: &Keymap, size: Rect) -> (Vec<HelpLine>, Vec<HelpLine>) {
    let (l, r) = help_columns(keymap, size);
    let inner = help_width(size).saturating_sub(2) as usize;
    let col = if r.is_empty() { inner } else { inner.saturating_sub(2) / 2 };
    (column_lines(&l, col), column_lines(&r, col))
}

/// How many lines of help do not fit on this screen (what j/k can scroll).
pub fn help_overflow(keymap: &Keymap, size: Rect) -> u16 {
    let (l, r) = help_text(keymap, size);
    (l.len().max(r.len()) as u16 + 2).saturating_sub(size.height)
}

fn help(keymap: &Keymap, theme: &Theme, frame: &mut Frame, scroll: u16) {
    let styled = |lines: Vec<HelpLine>| -> Vec<Line<'static>> {
        lines
            .into_iter()
            .map(|(key, what, title)| {
                if title {
                    Line::from(Span::styled(key, theme.header()))
                } else {
                    Line::from(vec![Span::styled(format!("{key:<KEYS_W$}"), theme.key()), Span::raw(what)])
                }
            })
            .collect()
    };
    let screen = frame.area();
    // Two columns when there is room, so every key fits on one screen.
    let two = screen.width >= 120;
    let (l, r) = help_text(keymap, screen);
    let (left, right) = (styled(l), styled(r));
    let height = left.len().max(right.len()) as u16 + 2;
    let area = screen.centered(Constraint::Length(help_width(screen)), Constraint::Length(height));
    frame.render_widget(Clear, crate::explorer::ui::with_margin(area, frame.area()));
    let more = help_overflow(keymap, screen) > 0;
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(" Keys ")
        .title_bottom(
            Line::from(footer(keymap, Owner::Help, if more { footers::HELP } else { footers::HELP_WHOLE }))
                .right_aligned(),
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

/// The copied text — prose wrapped at words, table rows and commands whole
/// (scrolled sideways) — and how it was sent or how to take it by hand.
fn copied(
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    title: &str,
    text: &str,
    sent: Option<CopyWay>,
    (scroll, shift): (u16, u16),
) {
    let note = match sent {
        Some(CopyWay::Tmux) => "In tmux's paste buffer (prefix ] pastes it) and, where tmux can, the clipboard.",
        Some(CopyWay::Osc52) => {
            "Sent to the clipboard (OSC 52). If your terminal did not take it, select the text below."
        }
        None => "This terminal cannot take a clipboard copy: select the text below by hand.",
    };
    let screen = frame.area();
    let (total, visible) = super::copied_rows(screen, text);
    let width = super::copied_popup_width(screen);
    let height = (visible as u16 + 4).min(screen.height);
    let area = screen.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, crate::explorer::ui::with_margin(area, frame.area()));
    let first = (scroll as usize).min(total.saturating_sub(visible));
    // Sideways only names its keys when a line is wider than the popup.
    let all_lines = super::copied_lines(screen, text);
    let wide = all_lines
        .iter()
        .any(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) > usize::from(width.saturating_sub(2)));
    let more = match (total > visible, wide) {
        (true, true) => {
            format!(
                " lines {}–{} of {total} ·{}",
                first + 1,
                first + visible,
                footer(keymap, Owner::Copied, footers::COPIED)
            )
        }
        (true, false) => format!(
            " lines {}–{} of {total} ·{}",
            first + 1,
            first + visible,
            footer(keymap, Owner::Copied, footers::COPIED_NARROW)
        ),
        (false, true) => footer(keymap, Owner::Copied, footers::COPIED_WHOLE),
        (false, false) => footer(keymap, Owner::Copied, footers::HELP_WHOLE),
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(format!(" {title} "))
        .title_bottom(Line::from(more).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(note).style(theme.muted()).wrap(Wrap { trim: true }), head);
    let lines: Vec<Line> = all_lines.into_iter().skip(first).take(visible).map(Line::from).collect();
    frame.render_widget(Paragraph::new(lines).scroll((0, shift)), body);
}

/// " Enter goes · Esc cancels", from the binding table.
fn prompt_keys(keymap: &Keymap) -> String {
    crate::explorer::app::keys::footer(
        keymap,
        crate::explorer::app::screen::Owner::Prompt,
        crate::explorer::app::keys::footers::PROMPT,
    )
    .trim_end()
    .to_string()
}

fn prompt_box(app: &App, theme: &Theme, frame: &mut Frame, prompt: &Prompt, error: Option<&str>) {
    let (title, input, hint) = match prompt {
        Prompt::GoToPage(i) => {
            let pages = app.known_pages().map_or(String::new(), |n| format!(" (1–{n})"));
            (" Go to page ", i, format!("Page number{pages},{}", prompt_keys(&app.keymap)))
        }
        Prompt::PageSize(i) => (
            " Page size ",
            i,
            format!("Events per page (1–{}),{}", app.case.results.max_limit, prompt_keys(&app.keymap)),
        ),
        Prompt::SaveText(i, TextFile::CaseNote) => (
            " Save the case note ",
            i,
            "Markdown, to this file; an existing one is replaced only after a yes".to_string(),
        ),
        Prompt::SaveText(i, TextFile::BatchRows) => {
            let n = app.workflow.batch.as_ref().map_or(0, |b| b.view().len());
            (" Export the batch ", i, format!("The {n} rows shown, as CSV; an existing file only after a yes"))
        }
        Prompt::Export(i) => {
            let what = if app.case.results.filter.is_active() { "filtered" } else { "loaded" };
            (
                " Export ",
                i,
                format!("Write the {} {what} events to this file (.csv, .json or .jsonl)", app.case.results.view.len()),
            )
        }
    };
    let width = if matches!(prompt, Prompt::Export(_) | Prompt::SaveText(..)) { 80 } else { 50 };
    let area = frame.area().centered(Constraint::Length(width), Constraint::Length(5));
    frame.render_widget(Clear, crate::explorer::ui::with_margin(area, frame.area()));
    let mut block = Block::bordered().border_type(BorderType::Rounded).border_style(theme.border(true)).title(title);
    if matches!(prompt, Prompt::Export(_) | Prompt::SaveText(..)) {
        // Their hint is a sentence of its own: the keys go on the border.
        block = block
            .title_bottom(Line::from(format!("{} ", prompt_keys(&app.keymap).trim_start_matches(','))).right_aligned());
    }
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
