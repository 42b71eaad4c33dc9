//! The events table. Only the rows on screen are built, so a frame costs the
//! same with ten events loaded or a hundred thousand.

use std::borrow::Cow;

use chrono::TimeDelta;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::api::EventsOutcome;
use crate::api::model::{EventKind, TargetEvent};
use crate::explorer::app::{App, Focus};
use crate::explorer::ui::theme::Theme;
use crate::sanitize;

/// Processing later than this is flagged: it is a common reason an event
/// counted in another period than the customer expects.
pub const LARGE_LAG: TimeDelta = TimeDelta::hours(1);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Date,
    Event,
    Name,
    Value,
    Period,
    Unique,
    LogId,
    Lag,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Date => "Event date",
            Col::Event => "Event",
            Col::Name => "Name",
            Col::Value => "Value",
            Col::Period => "Period",
            Col::Unique => "Unique ID",
            Col::LogId => "Event log ID",
            Col::Lag => "Processed",
        }
    }
}

/// Columns in display order, and the order they are given up when narrow.
const DISPLAY: [Col; 8] =
    [Col::Date, Col::Event, Col::Name, Col::Value, Col::Period, Col::Lag, Col::Unique, Col::LogId];
const PRIORITY: [Col; 8] =
    [Col::Date, Col::Value, Col::Event, Col::Lag, Col::Period, Col::Name, Col::Unique, Col::LogId];

/// The most of a text value a cell looks at: no column is wider than this.
const CELL_BYTES: usize = 512;

pub fn format_lag(lag: TimeDelta) -> String {
    let mins = lag.num_minutes();
    let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    if d > 0 {
        format!("+{d}d {h}h")
    } else if h > 0 {
        format!("+{h}h {m:02}m")
    } else {
        format!("+{m}m")
    }
}

pub fn has_large_lag(e: &TargetEvent) -> bool {
    e.processing_lag().is_some_and(|l| l > LARGE_LAG)
}

/// Marks an event that arrived while watching (visible without colour).
const FRESH: &str = "✚";

/// Marks an event dated outside the period it counted in.
const MOVED: &str = "⇄";

fn cell_text(col: Col, e: &TargetEvent, fresh: bool, moved: bool) -> Cow<'_, str> {
    match col {
        // The instant with its offset where the API gives one: the legacy
        // string is the cluster's local time, which can be another day.
        Col::Date => match crate::core::verdict::window::instant(e.event_date_iso.as_deref()) {
            Some(at) => at.format("%Y-%m-%d %H:%M:%S %:z").to_string().into(),
            None => e.event_date.short(),
        },
        Col::Event => {
            let new = if fresh { FRESH } else { "" };
            format!("{new}{} {}", e.kind().marker(), sanitize::line_prefix(&e.event_name, CELL_BYTES)).into()
        }
        Col::Name => {
            e.event_display_name.as_deref().map_or(Cow::Borrowed("—"), |n| sanitize::line_prefix(n, CELL_BYTES))
        }
        Col::Value => e.target_value.to_string().into(),
        Col::Period if moved => format!("{} {MOVED}", e.period_id).into(),
        Col::Period => e.period_id.to_string().into(),
        Col::Unique => sanitize::line_prefix(&e.unique_id, CELL_BYTES),
        Col::LogId => e.event_log_id.to_string().into(),
        Col::Lag => match e.processing_lag() {
            Some(l) if l > LARGE_LAG => format!("⚠ {}", format_lag(l)).into(),
            _ => "".into(),
        },
    }
}

fn row_style(theme: &Theme, e: &TargetEvent) -> Style {
    match e.kind() {
        EventKind::Behavioural => theme.behavioural(),
        EventKind::Enrol | EventKind::Unenrol => theme.lifecycle(),
        _ => Style::new(),
    }
}

/// The texts of the visible rows, every column, computed once per frame.
type RowTexts<'a> = Vec<[Cow<'a, str>; 8]>;

fn row_texts<'a>(app: &App, rows: &[&'a TargetEvent]) -> RowTexts<'a> {
    rows.iter()
        .map(|e| {
            let (fresh, moved) = (app.case.results.fresh.contains(&e.event_log_id), app.dated_elsewhere(e).is_some());
            DISPLAY.map(|c| cell_text(c, e, fresh, moved))
        })
        .collect()
}

fn column_index(col: Col) -> usize {
    DISPLAY.iter().position(|c| *c == col).unwrap_or(0)
}

/// Picks the columns that fit and their widths, from the visible rows only.
fn columns(rows: &[&TargetEvent], texts: &RowTexts<'_>, width: u16) -> Vec<(Col, u16)> {
    let any_lag = rows.iter().any(|e| has_large_lag(e));
    let natural = |col: Col| -> u16 {
        let i = column_index(col);
        let content = texts.iter().map(|t| unicode_width::UnicodeWidthStr::width(t[i].as_ref())).max().unwrap_or(0);
        let content = content.max(col.title().len()) as u16;
        match col {
            Col::Name => content.clamp(6, 24),
            Col::Unique => content.clamp(9, 36),
            _ => content,
        }
    };
    let mut chosen: Vec<(Col, u16)> = Vec::new();
    let mut used = 0u16;
    for col in PRIORITY {
        if col == Col::Lag && !any_lag {
            continue;
        }
        let w = natural(col);
        let min = match col {
            Col::Name => 6,
            Col::Unique => 9,
            _ => w,
        };
        let gap = if chosen.is_empty() { 0 } else { 1 };
        if used + gap + min <= width {
            let w = w.min(width - used - gap);
            used += gap + w;
            chosen.push((col, w));
        }
    }
    DISPLAY.iter().filter_map(|c| chosen.iter().find(|(x, _)| x == c).copied()).collect()
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused =
        app.form.focus == Focus::Table && app.screen.main() != Some(crate::explorer::app::screen::Panel::Detail);
    let block = Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(theme.border(focused))
        .title(Span::styled(title(app, area.width), theme.title(focused)));
    let block = match view_note(app, area.width) {
        Some(note) => block.title_bottom(Line::from(Span::styled(note, theme.flash())).right_aligned()),
        None => block,
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let Some(shown) = &app.case.results.shown else {
        let mut lines = vec![Line::from(if app.is_loading() {
            format!("{} Loading…", crate::explorer::ui::spinner(app))
        } else {
            format!("Type what the caller gives (id, phone, email, card), {}.", app.how_to_send())
        })];
        if !app.is_loading() && !app.chrome.empty_hint.is_empty() {
            lines.push(Line::default());
            lines.extend(app.chrome.empty_hint.iter().map(|h| Line::from(h.clone())));
        }
        let band = centered_band(inner, 4 + lines.len() as u16 - 1);
        let p = Paragraph::new(lines).style(theme.muted()).alignment(Alignment::Center).wrap(Wrap { trim: true });
        frame.render_widget(p, band);
        return;
    };
    if let EventsOutcome::NoEvents { message } = &*shown.outcome {
        let lines = vec![
            Line::from(format!(
                "No events recorded for customer {} in target rule {}{}.",
                shown.query.user_id,
                shown.query.rule_id,
                shown.query.period_id.map(|p| format!(", period {p}")).unwrap_or_default()
            )),
            Line::from(Span::styled(format!("The API says: {}", sanitize::line(message)), theme.muted())),
        ];
        let p = Paragraph::new(lines).alignment(Alignment::Center).wrap(Wrap { trim: true });
        frame.render_widget(p, centered_band(inner, 4));
        return;
    }
    let events = shown.events();
    if app.case.results.view.is_empty() {
        let text = if events.is_empty() {
            "No events on this page.".to_string()
        } else {
            format!(
                "No loaded event matches the filter ({} clears it).",
                crate::explorer::app::keys::key_of(
                    &app.keymap,
                    crate::explorer::app::screen::Owner::Table,
                    crate::explorer::app::action::Action::ClearFilter
                )
            )
        };
        let p = Paragraph::new(text).style(theme.muted()).alignment(Alignment::Center);
        frame.render_widget(p, centered_band(inner, 4));
        return;
    }

    // Only the window on screen is turned into rows.
    let height = inner.height.saturating_sub(1) as usize;
    let start = app.case.results.table.offset.min(app.case.results.view.len());
    let end = (start + height).min(app.case.results.view.len());
    let window: Vec<&TargetEvent> =
        app.case.results.view[start..end].iter().filter_map(|&i| events.get(i as usize)).collect();
    let symbol = "▶ ";
    let texts = row_texts(app, &window);
    let cols =
        columns(&window, &texts, inner.width.saturating_sub(unicode_width::UnicodeWidthStr::width(symbol) as u16));
    let header = Row::new(cols.iter().map(|(c, _)| {
        let cell = Cell::from(c.title());
        if *c == Col::Value { Cell::from(Line::from(c.title()).alignment(Alignment::Right)) } else { cell }
    }))
    .style(theme.header());
    let rows = window.iter().zip(&texts).map(|(e, t)| {
        let cells = cols.iter().map(|(c, w)| {
            let text = crate::explorer::ui::columns::fit(&t[column_index(*c)], *w);
            match c {
                Col::Value => {
                    let style = if e.target_value.is_negative() { theme.negative() } else { Style::new() };
                    Cell::from(Line::from(Span::styled(text, style)).alignment(Alignment::Right))
                }
                Col::Lag => Cell::from(Span::styled(text, theme.warning())),
                Col::Event if e.kind() == EventKind::Return => Cell::from(Span::styled(text, theme.negative())),
                _ => Cell::from(text),
            }
        });
        let style = row_style(theme, e);
        let style = if app.case.results.fresh.contains(&e.event_log_id) { style.patch(theme.fresh()) } else { style };
        Row::new(cells).style(style)
    });
    let widths = cols.iter().map(|(_, w)| Constraint::Length(*w));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected(focused))
        .highlight_symbol(symbol)
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(Some(app.case.results.table.selected.saturating_sub(start)));
    frame.render_stateful_widget(table, inner, &mut state);
}

/// The table's title, its parts kept whole or left out to fit `width`.
fn title(app: &App, width: u16) -> String {
    let mut parts = vec![(0, " Events".to_string())];
    if let Some(q) = app.base_query() {
        // The customer as the field holds it, and the id it stands for.
        let customer = match app.resolved_customer() {
            Some((_, id)) if id == q.user_id => {
                let typed = crate::sanitize::line_prefix(
                    app.field(crate::explorer::app::Field::UserId).input.value().trim(),
                    60,
                );
                format!(" · customer {typed} → {id}")
            }
            _ => format!(" · customer {}", q.user_id),
        };
        parts.push((1, customer));
        parts.push((2, format!(" · rule {}", q.rule_id)));
        parts.push((3, format!(" · {}", q.period_id.map_or("all periods".to_string(), |p| format!("period {p}")))));
    }
    if let Some(f) = &app.case.results.in_flight {
        parts.push((1, format!(" {} loading page {}…", crate::explorer::ui::spinner(app), f.query.page + 1)));
    }
    parts.push((0, " ".into()));
    crate::explorer::ui::columns::join_fitting(&parts, width.saturating_sub(2) as usize)
}

/// The filter and sort in force, for the table's bottom edge, and what they
/// cover when not every page is loaded.
fn view_note(app: &App, width: u16) -> Option<String> {
    let mut parts = Vec::new();
    let loaded = app.events().len();
    let sorted =
        app.case.results.sort.0 != crate::explorer::features::events::filter::SortKey::Api || app.case.results.sort.1;
    if !app.case.results.filter.is_active() && !sorted {
        return None;
    }
    // Over pages not yet loaded, say what the view covers.
    let total = app.case.results.shown.as_ref().and_then(|s| s.info().total_records());
    let partial = total.filter(|t| !app.showing_all() && *t > loaded as u64);
    if app.case.results.filter.is_active() {
        let filter = crate::sanitize::truncate_chars(&crate::sanitize::line(app.case.results.filter.input.value()), 24)
            .into_owned();
        parts.push((
            1,
            match partial {
                Some(_) => format!(" filter \"{filter}\": {} match", app.case.results.view.len()),
                None => format!(" filter \"{filter}\": {} of {loaded}", app.case.results.view.len()),
            },
        ));
    }
    if sorted {
        let sep = if parts.is_empty() { " " } else { " · " };
        parts.push((
            2,
            format!(
                "{sep}sorted by {}{}",
                app.case.results.sort.0.label(),
                if app.case.results.sort.1 { ", descending" } else { "" }
            ),
        ));
    }
    if let Some(total) = partial {
        parts.push((0, format!(" · {loaded} loaded of {total} — a loads all")));
    }
    parts.push((0, " ".into()));
    Some(crate::explorer::ui::columns::join_fitting(&parts, width.saturating_sub(2) as usize))
}

/// A band of `height` lines in the middle of `area` for empty states, the
/// odd row above rather than below (as `Rect::centered_vertically` would put
/// it), so the text sits where it always has.
fn centered_band(area: Rect, height: u16) -> Rect {
    let height = area.height.min(height);
    Rect { y: area.y + area.height.saturating_sub(height) / 2, height, ..area }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_reads_naturally() {
        assert_eq!(format_lag(TimeDelta::minutes(7 * 1440 + 18 * 60 + 42)), "+7d 18h");
        assert_eq!(format_lag(TimeDelta::minutes(134)), "+2h 14m");
        assert_eq!(format_lag(TimeDelta::minutes(5)), "+5m");
    }
}
