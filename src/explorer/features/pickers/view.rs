//! The picker overlay: the customer's targets (with a gauge of achieved over
//! target), a group's periods, or recent queries; typing narrows the list.

use crate::core::told::Told;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use crate::explorer::app::App;
use crate::explorer::features::pickers::picker::{Picker, PickerItem, PickerKind};
use crate::explorer::ui::columns::{self, Kind, Spec};
use crate::explorer::ui::theme::Theme;
use crate::sanitize;

const GAUGE_CELLS: usize = 10;

/// A text gauge, so it reads without colour: `███████░░░  72%`. It reads
/// full only when the target is reached, whatever the rounding.
pub fn gauge(ratio: Option<f64>, reached: bool) -> String {
    match ratio {
        Some(r) => {
            let r = if reached { 1.0 } else { r.min(0.999) };
            let filled = ((r * GAUGE_CELLS as f64).floor() as usize).min(GAUGE_CELLS);
            let percent = if reached { 100.0 } else { (r * 100.0).floor().min(99.0) };
            format!("{}{} {:>3.0}%", "█".repeat(filled), "░".repeat(GAUGE_CELLS - filled), percent)
        }
        None => " ".repeat(GAUGE_CELLS + 5),
    }
}

fn s(text: &str) -> String {
    sanitize::line_prefix(text, 512).into_owned()
}

/// One cell: its text, right-aligned or not, and its style.
struct Text {
    text: String,
    right: bool,
    style: Style,
}

fn left(text: String) -> Text {
    Text { text, right: false, style: Style::new() }
}

fn right(text: String) -> Text {
    Text { text, right: true, style: Style::new() }
}

fn money(m: Option<crate::api::model::Money>) -> String {
    m.map_or("—".into(), |m| m.to_string())
}

/// The columns of a picker: title, kind, priority (0 kept first).
fn specs(kind: PickerKind, all_tenants: bool) -> Vec<Spec> {
    let text = |min| Kind::Text { min };
    let v: Vec<(&'static str, Kind, u8)> = match kind {
        // Names before the dates and the gauge: narrow screens give those up first.
        PickerKind::Targets { .. } => vec![
            ("", Kind::Fixed, 0),
            ("Group", Kind::Name { min: 6 }, 5),
            ("Target", Kind::Name { min: 6 }, 2),
            ("Rule", Kind::Figure, 3),
            ("Period", Kind::Figure, 4),
            ("Ref", text(4), 6),
            ("Dates", Kind::Figure, 7),
            ("Progress", Kind::Fixed, 8),
            ("Achieved", Kind::Figure, 0),
            ("Target value", Kind::Figure, 1),
        ],
        PickerKind::Periods { .. } => {
            vec![("Period", Kind::Figure, 0), ("Ref", text(4), 2), ("Dates", Kind::Figure, 1), ("Status", text(6), 3)]
        }
        PickerKind::Recent if all_tenants => vec![
            ("Customer", Kind::Figure, 0),
            ("Rule", Kind::Figure, 0),
            ("Period", Kind::Figure, 1),
            ("When", Kind::Figure, 3),
            ("Tenant", text(8), 2),
        ],
        PickerKind::Recent => vec![
            ("Customer", Kind::Figure, 0),
            ("Rule", Kind::Figure, 0),
            ("Period", Kind::Figure, 1),
            ("When", Kind::Figure, 2),
        ],
        PickerKind::Profiles => vec![("Profile", text(8), 0), ("API origin", text(12), 1)],
    };
    v.into_iter().map(|(t, k, p)| Spec::new(t, k, p)).collect()
}

fn cells(theme: &Theme, item: &PickerItem, all_tenants: bool) -> Vec<Text> {
    match item {
        PickerItem::Target(t) => {
            let reached = t.reached();
            vec![
                left(if t.current {
                    "●".into()
                } else if t.missed {
                    "✗".into()
                } else {
                    " ".into()
                }),
                left(s(&t.group_name)),
                left(s(&t.target_name)),
                left(t.rule_id.to_string()),
                left(t.period_id.map(|p| p.to_string()).unwrap_or_default()),
                left(s(&t.ref_code)),
                left(format!("{} → {}", s(&t.start), s(&t.end))),
                Text {
                    text: gauge(t.ratio(), reached),
                    right: false,
                    style: if reached { theme.behavioural() } else { Style::new() },
                },
                right(money(t.achieved)),
                right(money(t.target)),
            ]
        }
        PickerItem::Period(p) => vec![
            left(p.id.to_string()),
            left(s(p.ref_code.as_deref().unwrap_or(""))),
            left(format!(
                "{} → {}",
                s(p.start_date.as_deref().unwrap_or("?")),
                s(p.end_date.as_deref().unwrap_or("?"))
            )),
            left(s(p.period_status.as_deref().unwrap_or(""))),
        ],
        PickerItem::Recent(r) => vec![
            left(match &r.typed {
                Some(typed) => format!("{} → {}", s(typed), r.user_id),
                None => r.user_id.to_string(),
            }),
            left(r.rule_id.to_string()),
            left(r.period_id.map_or("all".into(), |p| p.to_string())),
            left(s(&r.at)),
        ]
        .into_iter()
        .chain(all_tenants.then(|| left(s(r.tenant.as_deref().unwrap_or("unknown")))))
        .collect(),
        PickerItem::Profile(p) => vec![left(s(&p.name)), left(s(&p.origin))],
    }
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, picker: &Picker) {
    let screen = frame.area();
    let width = screen.width.saturating_sub(4).min(160);
    // As tall as the list needs (filter, header, rows, borders), within the screen.
    let wanted = (picker.visible().len() as u16 + 4 + u16::from(picker.note.is_some()) * 2).max(8);
    let height = screen.height.saturating_sub(4).min(22).min(wanted);
    let area = screen.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, crate::explorer::ui::with_margin(area, frame.area()));
    let items = match picker.kind {
        PickerKind::Recent => crate::explorer::app::keys::footers::PICKER_RECENT,
        _ => crate::explorer::app::keys::footers::PICKER,
    };
    let footer = format!(
        " type to narrow ·{}",
        crate::explorer::app::keys::footer(&app.keymap, crate::explorer::app::screen::Owner::Picker, items)
    );
    // The achieved values say when they were read.
    let title = match picker.kind {
        PickerKind::Targets { user_id } => match app.case.targets_of(user_id) {
            Some(t) if !picker.loading => {
                format!("{}· as of {} ", picker.title(), crate::core::clock::shown(t.read_at, "%H:%M:%S"))
            }
            _ => picker.title(),
        },
        _ => picker.title(),
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Span::styled(title, theme.title(true)))
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
        let text = format!("{} Looking up…", crate::explorer::ui::spinner(app));
        frame.render_widget(Paragraph::new(text).style(theme.muted()), body);
        return;
    }
    if let Some(e) = &picker.error {
        let lines = vec![
            Line::from(Span::styled(e.sentence(), theme.error())),
            Line::from(e.facts()),
            Line::from(Span::styled(
                e.remedy().map(|r| crate::explorer::app::told::remedy(&app.keymap, &r, None)).unwrap_or_default(),
                theme.muted(),
            )),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
        return;
    }
    if visible.is_empty() {
        let text = if picker.items.is_empty() { "Nothing to pick from." } else { "Nothing matches what was typed." };
        frame.render_widget(Paragraph::new(text).style(theme.muted()), body);
        return;
    }
    let mut specs = specs(picker.kind, picker.all_tenants);
    let rows: Vec<Vec<Text>> = visible.iter().map(|&i| cells(theme, &picker.items[i], picker.all_tenants)).collect();
    // A group named as its target: one column says it.
    let same_name =
        visible.iter().all(|&i| matches!(&picker.items[i], PickerItem::Target(t) if t.group_name == t.target_name));
    if same_name && matches!(picker.kind, PickerKind::Targets { .. }) {
        specs[1].hidden = true;
    }
    for row in &rows {
        for (spec, cell) in specs.iter_mut().zip(row) {
            spec.fit_cell(&cell.text);
        }
    }
    let symbol = "▶ ";
    let chosen =
        columns::widths(&specs, body.width.saturating_sub(unicode_width::UnicodeWidthStr::width(symbol) as u16), 1);
    let line = |text: &str, w: u16, right: bool, style: Style| {
        let line = Line::from(Span::styled(columns::fit(text, w).into_owned(), style));
        if right { line.right_aligned() } else { line }
    };
    // A column's header aligns as its cells do.
    let right_aligned: Vec<bool> = (0..specs.len()).map(|i| rows.first().is_some_and(|r| r[i].right)).collect();
    let header = Row::new(
        specs
            .iter()
            .zip(&chosen)
            .zip(&right_aligned)
            .filter_map(|((spec, w), right)| w.map(|w| Cell::from(line(spec.title, w, *right, Style::new())))),
    )
    .style(theme.header());
    let rows: Vec<Row> = rows
        .iter()
        .map(|row| {
            Row::new(
                row.iter().zip(&chosen).filter_map(|(c, w)| w.map(|w| Cell::from(line(&c.text, w, c.right, c.style)))),
            )
        })
        .collect();
    let table = Table::new(rows, columns::constraints(&chosen))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected(true))
        .highlight_symbol(symbol);
    let mut state = TableState::default().with_selected(Some(picker.selected));
    frame.render_stateful_widget(table, body, &mut state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_reads_without_colour_and_full_only_when_reached() {
        assert_eq!(gauge(Some(0.8), false), "████████░░  80%");
        assert_eq!(gauge(Some(1.0), true), "██████████ 100%");
        assert_eq!(gauge(Some(0.9641), false), "█████████░  96%");
        assert_eq!(gauge(Some(0.99999), false), "█████████░  99%");
        assert_eq!(gauge(None, false).len(), 15);
    }
}
