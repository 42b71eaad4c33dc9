//! The picker overlay: the customer's targets (with a gauge of achieved over
//! target), a group's periods, or recent queries; typing narrows the list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use crate::app::App;
use crate::app::picker::{Picker, PickerItem, PickerKind};
use crate::sanitize;
use crate::ui::theme::Theme;

const GAUGE_CELLS: usize = 10;

/// A text gauge, so it reads without colour: `███████░░░  72%`.
pub fn gauge(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) => {
            let filled = (r * GAUGE_CELLS as f64).round() as usize;
            format!("{}{} {:>3.0}%", "█".repeat(filled), "░".repeat(GAUGE_CELLS - filled.min(GAUGE_CELLS)), r * 100.0)
        }
        None => " ".repeat(GAUGE_CELLS + 5),
    }
}

fn s(text: &str) -> String {
    sanitize::line(text).into_owned()
}

fn row(theme: &Theme, item: &PickerItem, narrow: bool) -> Row<'static> {
    match item {
        PickerItem::Target(t) => {
            let figures = match (t.achieved, t.target) {
                (Some(a), Some(v)) => format!("{a} / {v}"),
                _ => "—".into(),
            };
            let reached = t.ratio().is_some_and(|r| r >= 1.0);
            if narrow {
                // The figures and which period: what decides the answer.
                return Row::new(vec![
                    Cell::from(if t.current { "●" } else { " " }),
                    Cell::from(t.rule_id.to_string()),
                    Cell::from(t.period_id.map(|p| p.to_string()).unwrap_or_default()),
                    Cell::from(s(&t.ref_code)),
                    Cell::from(Line::from(figures).right_aligned()),
                ]);
            }
            Row::new(vec![
                Cell::from(if t.current { "●" } else { " " }),
                Cell::from(s(&t.group_name)),
                Cell::from(s(&t.target_name)),
                Cell::from(t.rule_id.to_string()),
                Cell::from(t.period_id.map(|p| p.to_string()).unwrap_or_default()),
                Cell::from(s(&t.ref_code)),
                Cell::from(format!("{} → {}", s(&t.start), s(&t.end))),
                Cell::from(Span::styled(gauge(t.ratio()), if reached { theme.behavioural() } else { Style::new() })),
                Cell::from(Line::from(figures).right_aligned()),
            ])
        }
        PickerItem::Period(p) => Row::new(vec![
            Cell::from(p.id.to_string()),
            Cell::from(s(p.ref_code.as_deref().unwrap_or(""))),
            Cell::from(format!(
                "{} → {}",
                s(p.start_date.as_deref().unwrap_or("?")),
                s(p.end_date.as_deref().unwrap_or("?"))
            )),
            Cell::from(s(p.period_status.as_deref().unwrap_or(""))),
        ]),
        PickerItem::Recent(r) => Row::new(vec![
            Cell::from(r.user_id.to_string()),
            Cell::from(r.rule_id.to_string()),
            Cell::from(r.period_id.map_or("all".into(), |p| p.to_string())),
            Cell::from(s(&r.at)),
        ]),
        PickerItem::Profile(p) => Row::new(vec![Cell::from(s(&p.name)), Cell::from(s(&p.origin))]),
    }
}

fn header_and_widths(kind: PickerKind, narrow: bool) -> (Vec<&'static str>, Vec<Constraint>) {
    match kind {
        PickerKind::Targets { .. } if narrow => (
            vec!["", "Rule", "Period", "Ref", "Achieved / target"],
            vec![
                Constraint::Length(1),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Fill(1),
                Constraint::Length(19),
            ],
        ),
        PickerKind::Targets { .. } => (
            vec!["", "Group", "Target", "Rule", "Period", "Ref", "Dates", "Achieved", "of target"],
            vec![
                Constraint::Length(1),
                Constraint::Fill(2),
                Constraint::Fill(2),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Length(9),
                Constraint::Length(23),
                Constraint::Length(15),
                Constraint::Length(19),
            ],
        ),
        PickerKind::Periods { .. } => (
            vec!["Period", "Ref", "Dates", "Status"],
            vec![Constraint::Length(8), Constraint::Fill(1), Constraint::Length(23), Constraint::Length(10)],
        ),
        PickerKind::Recent => (
            vec!["Customer", "Rule", "Period", "When"],
            vec![Constraint::Length(12), Constraint::Length(10), Constraint::Length(10), Constraint::Fill(1)],
        ),
        PickerKind::Profiles => (vec!["Profile", "API origin"], vec![Constraint::Fill(1), Constraint::Fill(2)]),
    }
}

pub fn draw(app: &App, frame: &mut Frame, picker: &Picker) {
    let theme = &app.theme;
    let screen = frame.area();
    let width = screen.width.saturating_sub(4).min(120);
    // As tall as the list needs (filter, header, rows, borders), within the screen.
    let wanted = (picker.visible().len() as u16 + 4 + u16::from(picker.note.is_some()) * 2).max(8);
    let height = screen.height.saturating_sub(4).min(22).min(wanted);
    let area = Rect::new(screen.x + (screen.width - width) / 2, screen.y + (screen.height - height) / 2, width, height);
    frame.render_widget(Clear, area);
    let footer = match picker.kind {
        PickerKind::Recent => " type to narrow · ↑↓ · Enter opens · Del removes · Ctrl-K clears all · Esc ",
        _ => " type to narrow · ↑↓ move · Enter choose · Esc close ",
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(picker.title(), theme.title(true)))
        .title_bottom(Line::from(Span::styled(footer, theme.muted())).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let note_h = u16::from(picker.note.is_some()) * 2;
    let [note_area, filter_area, body] =
        Layout::vertical([Constraint::Length(note_h), Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    if let Some(note) = &picker.note {
        let text = Paragraph::new(Span::styled(s(note), theme.error())).wrap(Wrap { trim: true });
        frame.render_widget(text, note_area);
    }
    let filter = sanitize::line(picker.filter.value()).into_owned();
    let visible = picker.visible();
    let count = if picker.loading { String::new() } else { format!("  {} of {}", visible.len(), picker.items.len()) };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("› ", theme.key()),
            Span::styled(filter.clone(), theme.input(true)),
            Span::styled(count, theme.muted()),
        ])),
        filter_area,
    );
    let cursor = picker.filter.visual_cursor() as u16;
    frame.set_cursor_position(Position::new(
        filter_area.x + 2 + cursor.min(filter_area.width.saturating_sub(3)),
        filter_area.y,
    ));

    if picker.loading {
        let text = format!("{} Looking up…", super::spinner(app));
        frame.render_widget(Paragraph::new(text).style(theme.muted()), body);
        return;
    }
    if let Some(e) = &picker.error {
        let lines = vec![
            Line::from(Span::styled(e.sentence(), theme.error())),
            Line::from(super::banner::facts(e)),
            Line::from(Span::styled(e.hint().unwrap_or_default(), theme.muted())),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
        return;
    }
    if visible.is_empty() {
        let text = if picker.items.is_empty() { "Nothing to pick from." } else { "Nothing matches what was typed." };
        frame.render_widget(Paragraph::new(text).style(theme.muted()), body);
        return;
    }
    let narrow = body.width < 100;
    let (titles, widths) = header_and_widths(picker.kind, narrow);
    let rows: Vec<Row> = visible.iter().map(|&i| row(theme, &picker.items[i], narrow)).collect();
    let table = Table::new(rows, widths)
        .header(Row::new(titles).style(theme.header()))
        .column_spacing(1)
        .row_highlight_style(theme.selected(true))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(picker.selected));
    frame.render_stateful_widget(table, body, &mut state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_reads_without_colour() {
        assert_eq!(gauge(Some(0.8)), "████████░░  80%");
        assert_eq!(gauge(Some(1.0)), "██████████ 100%");
        assert_eq!(gauge(None).len(), 15);
    }
}
