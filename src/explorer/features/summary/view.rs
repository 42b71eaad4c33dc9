//! The summary pane: per period, the event count, the exact sum of
//! targetValue, counts and sums by event name, first and last event; and a
//! chart of the selected period's cumulative value with the target line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState};

use rust_decimal::prelude::ToPrimitive;
use unicode_width::UnicodeWidthStr;

use crate::api::model::Money;
use crate::explorer::app::App;
use crate::explorer::features::summary::state::{PeriodSummary, Summary, show};
use crate::explorer::ui::columns::{self, Kind, Spec};
use crate::explorer::ui::theme::Theme;
use crate::sanitize;

/// For plotting only: the figures shown stay exact.
fn plot(m: Money) -> f64 {
    m.0.to_f64().unwrap_or(0.0)
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(panel) = app.screen.summary() else { return };
    let summary = &panel.summary;
    let filtered = if app.case.results.filter.is_active() { " · filtered" } else { "" };
    let scope = if app.showing_all() { "all loaded events" } else { "this page" };
    // The target's name, when the customer's targets are known.
    let name = app.case.results.shown.as_ref().and_then(|s| {
        let t = app.target_of(s.query.user_id, s.query.rule_id, None)?;
        t.target_name.as_deref().map(|n| format!(" · {}", sanitize::line_prefix(n, 200)))
    });
    let customer = app.case.results.shown.as_ref().map(|s| s.query.user_id);
    let known = customer.and_then(|u| app.case.targets_of(u));
    let loading = match (app.targets_loading(), known) {
        (false, _) => "",
        (true, None) => " · looking up the targets…",
        (true, Some(_)) => " · reading the targets again…",
    };
    // The API's figures say when they were read; one read before the last
    // arrival is not compared with the events.
    let reading = known.map(|t| (crate::core::clock::shown(t.read_at, "%H:%M:%S"), app.case.stale(t.read_at)));
    // Parts are kept whole or dropped, so no figure in the title is cut.
    let title = columns::join_fitting(
        &[
            (0, " Summary".to_string()),
            (2, name.unwrap_or_default()),
            (1, format!(" · {} events", summary.count)),
            (1, format!(" · {} in all", show(summary.sum))),
            (2, format!(" · {scope}{filtered}")),
            (1, customer.map_or(String::new(), |u| format!(" · customer {u}"))),
            (3, loading.into()),
            (0, " ".to_string()),
        ],
        area.width.saturating_sub(2) as usize,
    );
    use crate::explorer::app::keys::footers;
    let keys =
        crate::explorer::app::keys::panel_footer(app, crate::explorer::app::screen::Owner::Summary, footers::SUMMARY);
    let block = crate::explorer::ui::panel_block(theme, title, &keys, area.width.saturating_sub(4) as usize);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let table_h = (summary.periods.len() as u16 + 1).min(inner.height / 2).max(2);
    let [top, bottom] = Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(inner);
    periods_table(app, theme, summary, frame, top);
    let Some(p) = summary.periods.get(panel.selected) else { return };
    let names_w = 48.min(bottom.width / 2);
    let [left, right] = Layout::horizontal([Constraint::Length(names_w), Constraint::Min(0)]).spacing(1).areas(bottom);
    by_name(theme, p, reading.as_ref(), frame, left);
    chart(theme, p, frame, right);
}

/// Against the target: `-1000.46` short of it, `+4000.92` past it, or
/// `reached` exactly.
fn to_target(p: &PeriodSummary) -> String {
    match p.missing() {
        Some(m) if m.is_negative() => format!("+{}", Money(-m.0)),
        Some(m) if m.0.is_zero() => "reached".into(),
        Some(m) => format!("-{m}"),
        None if p.target.is_some() && p.sum.is_none() => "not exact".into(),
        None => "—".into(),
    }
}

fn dates(p: &PeriodSummary) -> String {
    match (p.start, p.end) {
        (Some(s), Some(e)) => format!("{s} → {e}"),
        _ => String::new(),
    }
}

fn periods_table(app: &App, theme: &Theme, summary: &Summary, frame: &mut Frame, area: Rect) {
    let text = |min| Kind::Text { min };
    let mut specs = [
        Spec::new("Period", Kind::Figure, 0),
        Spec::new("Ref", text(4), 5),
        Spec::new("Dates", Kind::Figure, 6),
        Spec::new("Events", Kind::Figure, 3),
        Spec::new("Loaded sum", Kind::Figure, 0),
        Spec::new("API achieved", Kind::Figure, 2),
        Spec::new("Target", Kind::Figure, 1),
        // The loaded sum against the target (the verdict uses the API's figure).
        Spec::new("Sum to target", Kind::Figure, 1),
        Spec::new("First event", Kind::Figure, 7),
        Spec::new("Last event", Kind::Figure, 8),
    ];
    let right = [false, false, false, true, true, true, true, true, false, false];
    let rows: Vec<[String; 10]> = summary
        .periods
        .iter()
        .map(|p| {
            [
                p.period_id.to_string(),
                sanitize::line_prefix(p.ref_code.as_deref().unwrap_or(""), 256).into_owned(),
                dates(p),
                p.count.to_string(),
                show(p.sum),
                p.achieved.map_or("—".into(), |a| a.to_string()),
                p.target.map_or("—".into(), |t| t.to_string()),
                to_target(p),
                sanitize::line_prefix(p.first.as_deref().unwrap_or(""), 64).into_owned(),
                sanitize::line_prefix(p.last.as_deref().unwrap_or(""), 64).into_owned(),
            ]
        })
        .collect();
    for row in &rows {
        for (spec, cell) in specs.iter_mut().zip(row) {
            spec.fit_cell(cell);
        }
    }
    let symbol = "▶ ";
    let chosen = columns::widths(&specs, area.width.saturating_sub(symbol.width() as u16), 1);
    let cell = |text: &str, w: u16, right: bool, style: Style| {
        let line = Line::from(Span::styled(columns::fit(text, w).into_owned(), style));
        Cell::from(if right { line.right_aligned() } else { line })
    };
    let table_rows = rows.iter().zip(&summary.periods).map(|(row, p)| {
        Row::new((0..row.len()).filter_map(|i| {
            let style = match i {
                7 if p.missing().is_some_and(|m| !m.is_negative() && !m.0.is_zero()) => theme.negative(),
                4 if p.sum.is_some_and(|s| s.is_negative()) => theme.negative(),
                _ => Style::new(),
            };
            chosen[i].map(|w| cell(&row[i], w, right[i], style))
        }))
    });
    let header =
        Row::new((0..specs.len()).filter_map(|i| chosen[i].map(|w| cell(specs[i].title, w, right[i], Style::new()))))
            .style(theme.header());
    let table = Table::new(table_rows, columns::constraints(&chosen))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected(true))
        .highlight_symbol(symbol);
    let selected = app.screen.summary().map_or(0, |p| p.selected);
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// `reading`: when the API's figures were read, and whether an event
/// arrived since.
fn by_name(theme: &Theme, p: &PeriodSummary, reading: Option<&(String, bool)>, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        {
            let name = crate::core::verdict::period_name(p.ref_code.as_deref(), p.period_id);
            // "period 9888" opens a heading as "Period 9888".
            let name = name.strip_prefix("period ").map_or(name.clone(), |id| format!("Period {id}"));
            format!("{name} by event")
        },
        theme.header(),
    ))];
    for (name, n) in &p.by_name {
        let style = if n.sum.is_some_and(|s| s.is_negative()) { theme.negative() } else { Style::new() };
        // The figures are laid out first; the name takes what is left, cut with `…`.
        let figures = format!(" {:>6} {:>14}", n.count, show(n.sum));
        let name_w = width.saturating_sub(figures.width());
        if name_w < 4 {
            lines.push(Line::from(Span::styled(figures.trim_start().to_string(), style)));
            continue;
        }
        let name = columns::fit(&sanitize::line_prefix(name, 256), name_w as u16).into_owned();
        lines.push(Line::from(vec![Span::raw(format!("{name:<name_w$}")), Span::styled(figures, style)]));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![Span::styled("━━ ", theme.key()), Span::raw("cumulative value")]));
    if let Some(t) = p.target {
        lines.extend(labelled(Span::styled("•• ", theme.warning()), "target", &t.to_string(), width, Style::new()));
    }
    if let Some(achieved) = p.achieved {
        lines.push(Line::default());
        lines.extend(labelled(Span::raw(""), "API's achieved value:", &achieved.to_string(), width, theme.muted()));
        // When it was read, on its own line(s), wrapped whole.
        let when = match reading {
            Some((at, false)) => Some(format!("(as of {at})")),
            Some((at, true)) => Some(format!("(read {at}, before the last arrival: not compared)")),
            None => None,
        };
        for piece in when.iter().flat_map(|w| columns::wrap_words(w, width)) {
            lines.push(Line::from(Span::styled(piece, theme.muted())));
        }
        let stale = reading.is_some_and(|(_, stale)| *stale);
        match p.sum.and_then(|s| achieved.checked_add(Money(-s.0))).filter(|_| !stale) {
            Some(d) if !d.0.is_zero() => lines.extend(labelled(
                Span::raw(""),
                "differs from the loaded sum by",
                &d.to_string(),
                width,
                theme.warning(),
            )),
            _ => {}
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `label figure` on one line when it fits, else the figure on a line of its
/// own; a figure wider than the pane is left out, never cut.
fn labelled(lead: Span<'static>, label: &str, figure: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    let lead_w = lead.content.width();
    if lead_w + label.width() + 1 + figure.width() <= width {
        return vec![Line::from(vec![lead, Span::styled(format!("{label} {figure}"), style)])];
    }
    let mut lines = vec![Line::from(vec![lead, Span::styled(label.to_string(), style)])];
    if figure.width() + 2 <= width {
        lines.push(Line::from(Span::styled(format!("  {figure}"), style)));
    }
    lines
}

fn chart(theme: &Theme, p: &PeriodSummary, frame: &mut Frame, area: Rect) {
    let points = p.cumulative();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        frame.render_widget(Paragraph::new("No dated events to chart.").style(theme.muted()), area);
        return;
    };
    let start = p.start.unwrap_or(first.0).min(first.0);
    let end = p.end.unwrap_or(last.0).max(last.0);
    let days = (end - start).num_days().max(1) as f64;
    // A step line: flat between days, rising on the day the value arrived.
    let mut data: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    let mut previous = 0.0;
    for (d, v) in &points {
        let x = (*d - start).num_days() as f64;
        data.push((x, previous));
        previous = plot(*v);
        data.push((x, previous));
    }
    data.push((days, previous));
    let max_value = points.iter().map(|(_, v)| plot(*v)).fold(0.0, f64::max);
    let target = p.target.map(plot);
    let top = target.unwrap_or(0.0).max(max_value).max(1.0) * 1.1;
    let min_value = data.iter().map(|(_, v)| *v).fold(0.0, f64::min);
    let target_line: Vec<(f64, f64)> = target.map(|t| vec![(0.0, t), (days, t)]).unwrap_or_default();
    let mut datasets = vec![
        Dataset::default()
            .name("cumulative value")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.key())
            .data(&data),
    ];
    if !target_line.is_empty() {
        datasets.push(
            Dataset::default()
                .name(format!("target {}", p.target.map(|t| t.to_string()).unwrap_or_default()))
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(theme.warning())
                .data(&target_line),
        );
    }
    let chart = Chart::new(datasets)
        .block(Block::new().title(Span::styled("Cumulative value per day", theme.header())))
        .x_axis(
            Axis::default()
                .bounds([0.0, days])
                // Labels that cannot fit would be cut from the left (a day of
                // 31 read as 1): shorter ones on a narrow chart, none on a tiny one.
                .labels(match area.width {
                    0..24 => vec![],
                    24..44 => vec![start.format("%d %b").to_string(), end.format("%d %b").to_string()],
                    _ => vec![start.format("%d %b").to_string(), end.format("%d %b %Y").to_string()],
                })
                .style(theme.muted()),
        )
        .y_axis(
            Axis::default()
                .bounds([min_value, top])
                .labels([format!("{min_value:.0}"), format!("{top:.0}")])
                .style(theme.muted()),
        );
    frame.render_widget(chart, area);
}
