//! The verdict panel: per period the headline; for the selected period the
//! figures, the notable events (each with why), and the cumulative value
//! against the target, sub-milestones and events that moved marked.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, BorderType, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState};
use rust_decimal::prelude::ToPrimitive;
use unicode_width::UnicodeWidthStr;

use crate::api::model::Money;
use crate::core::verdict::report::notable;
use crate::core::verdict::{Outcome, PeriodVerdict};
use crate::explorer::app::App;
use crate::explorer::features::verdict::state::VerdictPanel;
use crate::explorer::ui::columns::{self, Kind, Spec};
use crate::explorer::ui::theme::Theme;

fn plot(m: Money) -> f64 {
    m.0.to_f64().unwrap_or(0.0)
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(panel) = app.screen.verdict() else { return };
    let title = columns::join_fitting(
        &[
            (0, " Verdict".to_string()),
            (1, format!(" · customer {}", panel.user_id)),
            (1, format!(" · rule {}", panel.rule_id)),
            (0, " ".into()),
        ],
        area.width.saturating_sub(2) as usize,
    );
    let keys = if panel.in_events {
        " j/k event · Enter selects it · Tab periods · x save note · y copy · e closes "
    } else {
        " j/k period · Tab events · x save note · y copy · e closes "
    };
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.border(true))
        .title(Span::styled(title, theme.title(true)))
        .title_bottom(
            Line::from(Span::styled(columns::fit_words(keys, area.width as usize / 2).into_owned(), theme.muted()))
                .right_aligned(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let list_h = (panel.periods.len() as u16).min(inner.height / 3).max(1);
    let [list, rest] = Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).spacing(1).areas(inner);
    periods(theme, panel, frame, list);
    let Some(v) = panel.periods.get(panel.selected) else { return };
    let wide = rest.width >= 100;
    let (text_area, chart_area) = if wide {
        let [l, r] = Layout::horizontal([Constraint::Percentage(58), Constraint::Min(0)]).spacing(1).areas(rest);
        (l, Some(r))
    } else {
        (rest, None)
    };
    details(theme, panel, v, frame, text_area);
    if let Some(area) = chart_area {
        chart(app, theme, v, frame, area);
    }
}

/// One line per period: its id and ref, and the headline.
fn periods(theme: &Theme, panel: &VerdictPanel, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(2) as usize;
    let rows: Vec<Row> = panel
        .periods
        .iter()
        .map(|v| {
            let style = match v.outcome {
                Outcome::Reached { .. } | Outcome::ReachedByApi => theme.behavioural(),
                Outcome::NotReached { .. } => theme.negative(),
                Outcome::NoTarget => Style::new(),
            };
            let head = format!("{} {} ", v.period_id, v.ref_code.as_deref().unwrap_or(""));
            let line = columns::fit_words(&v.headline(), width.saturating_sub(head.width())).into_owned();
            Row::new(vec![Cell::from(Line::from(vec![Span::raw(head), Span::styled(line, style)]))])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Fill(1)])
        .row_highlight_style(theme.selected(!panel.in_events))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(panel.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// `label figure` on one line when it fits, else the figure beneath; a
/// figure wider than the pane is left out, never cut.
fn labelled(label: &str, figure: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    if label.width() + 1 + figure.width() <= width {
        return vec![Line::from(Span::styled(format!("{label} {figure}"), style))];
    }
    let mut lines = vec![Line::from(Span::styled(label.to_string(), style))];
    if figure.width() + 2 <= width {
        lines.push(Line::from(Span::styled(format!("  {figure}"), style)));
    }
    lines
}

fn money(m: Option<Money>) -> String {
    m.map_or_else(|| "—".into(), |m| m.to_string())
}

/// The figures and the notable events of the selected period.
fn details(theme: &Theme, panel: &VerdictPanel, v: &PeriodVerdict, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    let mut lines = labelled("Target", &money(v.target), width, Style::new());
    lines.extend(labelled("API's achieved value", &money(v.achieved), width, Style::new()));
    let sum = v.events_sum.map_or_else(|| "not exact".into(), |s| s.to_string());
    lines.extend(labelled(&format!("Sum of the {} listed events", v.events_count), &sum, width, Style::new()));
    if let Some(d) = v.difference {
        let (label, d) = crate::core::verdict::difference_label(d);
        lines.extend(labelled(label, &d.to_string(), width, theme.warning()));
    }
    if let Some(w) = &v.would_have_reached {
        let text = format!(
            "Event {} ({}, dated {}) counted in {}: alone it would have reached the target.",
            w.event_log_id, w.value, w.event_date, w.period_id
        );
        lines.extend(
            columns::wrap_words(&text, width).into_iter().map(|l| Line::from(Span::styled(l, theme.warning()))),
        );
    }
    let figures_h = (lines.len() as u16).min(area.height / 2);
    let [top, bottom] = Layout::vertical([Constraint::Length(figures_h), Constraint::Min(0)]).spacing(1).areas(area);
    frame.render_widget(Paragraph::new(lines), top);

    let events = notable(v);
    if events.is_empty() {
        frame.render_widget(Paragraph::new("No notable event.").style(theme.muted()), bottom);
        return;
    }
    let mut specs = [
        Spec::new("Event log id", Kind::Figure, 0),
        Spec::new("Value", Kind::Figure, 0),
        Spec::new("Date", Kind::Figure, 2),
        Spec::new("Why", Kind::Text { min: 10 }, 1),
    ];
    let rows: Vec<[String; 4]> = events
        .iter()
        .map(|(e, why)| {
            [e.event_log_id.to_string(), e.value.to_string(), e.event_date.chars().take(16).collect(), why.clone()]
        })
        .collect();
    for row in &rows {
        for (spec, cell) in specs.iter_mut().zip(row) {
            spec.fit_cell(cell);
        }
    }
    let chosen = columns::widths(&specs, bottom.width.saturating_sub(2), 1);
    let right = [false, true, false, false];
    let cell = |text: &str, w: u16, r: bool| {
        let line = Line::from(columns::fit(text, w).into_owned());
        Cell::from(if r { line.right_aligned() } else { line })
    };
    let header =
        Row::new((0..4).filter_map(|i| chosen[i].map(|w| cell(specs[i].title, w, right[i])))).style(theme.header());
    let table_rows =
        rows.iter().map(|row| Row::new((0..4).filter_map(|i| chosen[i].map(|w| cell(&row[i], w, right[i])))));
    let table = Table::new(table_rows, columns::constraints(&chosen))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected(panel.in_events))
        .highlight_symbol("▶ ")
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(panel.in_events.then_some(panel.event));
    frame.render_stateful_widget(table, bottom, &mut state);
}

/// The cumulative value of the period's events by day, the target and the
/// sub-milestones as lines, and the events dated here but counted elsewhere
/// as marks on the day they happened.
fn chart(app: &App, theme: &Theme, v: &PeriodVerdict, frame: &mut Frame, area: Rect) {
    let mut here: Vec<_> =
        app.events().iter().filter(|e| e.period_id == v.period_id && e.event_date.parsed.is_some()).collect();
    here.sort_by_key(|e| e.event_date.parsed);
    let (Some(start), Some(end)) = (
        v.start.or_else(|| here.first().and_then(|e| e.event_date.parsed).map(|d| d.date())),
        v.end.or_else(|| here.last().and_then(|e| e.event_date.parsed).map(|d| d.date())),
    ) else {
        frame.render_widget(Paragraph::new("No dated events to chart.").style(theme.muted()), area);
        return;
    };
    // A period that runs on for years (a lifetime target) would squeeze its
    // events against the left edge: the axis then stops at today.
    let so_far = here.last().and_then(|e| e.event_date.parsed).map(|d| d.date()).unwrap_or(start).max(app.now().date());
    let end = if (end - so_far).num_days() > 365 { so_far.max(start) } else { end };
    let days = (end - start).num_days().max(1) as f64;
    let x = |d: chrono::NaiveDate| ((d - start).num_days() as f64).clamp(0.0, days);
    let mut acc = 0.0;
    let mut line = vec![(0.0, 0.0)];
    for e in &here {
        let day = x(e.event_date.parsed.map(|d| d.date()).unwrap_or(start));
        line.push((day, acc));
        acc += plot(e.target_value);
        line.push((day, acc));
    }
    line.push((days, acc));
    let target = v.target.map(plot);
    let moved: Vec<(f64, f64)> = v
        .counted_elsewhere
        .iter()
        .filter_map(|e| crate::api::model::EventTime::parse(e.event_date.clone()).parsed)
        .map(|d| (x(d.date()), acc))
        .collect();
    let milestone_lines: Vec<Vec<(f64, f64)>> =
        v.milestones.iter().filter_map(|m| m.value).map(|m| vec![(0.0, plot(m)), (days, plot(m))]).collect();
    let target_line: Vec<(f64, f64)> = target.map(|t| vec![(0.0, t), (days, t)]).unwrap_or_default();
    let top = line.iter().map(|p| p.1).fold(target.unwrap_or(0.0), f64::max).max(1.0) * 1.1;
    let bottom = line.iter().map(|p| p.1).fold(0.0, f64::min);
    let mut datasets =
        vec![Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.key()).data(&line)];
    if !target_line.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(theme.warning())
                .data(&target_line),
        );
    }
    for m in &milestone_lines {
        datasets.push(Dataset::default().marker(Marker::Dot).graph_type(GraphType::Line).style(theme.muted()).data(m));
    }
    if !moved.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(theme.negative())
                .data(&moved),
        );
    }
    let labels = match area.width {
        0..24 => vec![],
        24..44 => vec![start.format("%d %b").to_string(), end.format("%d %b").to_string()],
        // The start's year too when the axis spans more than one.
        _ if start.year() != end.year() => {
            vec![start.format("%d %b %Y").to_string(), end.format("%d %b %Y").to_string()]
        }
        _ => vec![start.format("%d %b").to_string(), end.format("%d %b %Y").to_string()],
    };
    let legend = "━ cumulative  •• target  ·· sub-milestones  █ counted elsewhere";
    let [legend_area, chart_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(
        Paragraph::new(columns::fit_words(legend, legend_area.width as usize).into_owned()).style(theme.muted()),
        legend_area,
    );
    let chart =
        Chart::new(datasets).x_axis(Axis::default().bounds([0.0, days]).labels(labels).style(theme.muted())).y_axis(
            Axis::default()
                .bounds([bottom, top])
                .labels([format!("{bottom:.0}"), format!("{top:.0}")])
                .style(theme.muted()),
        );
    frame.render_widget(chart, chart_area);
}
