//! The summary pane: per period, the event count, the exact sum of
//! targetValue, counts and sums by event name, first and last event; and a
//! chart of the selected period's cumulative value with the target line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, BorderType, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState};

use crate::api::model::Money;
use crate::app::App;
use crate::app::summary::{PeriodSummary, Summary};
use crate::sanitize;

/// For plotting only: the figures shown stay exact.
fn plot(m: Money) -> f64 {
    m.0.to_string().parse().unwrap_or(0.0)
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(summary) = &app.summary else { return };
    let theme = &app.theme;
    let filtered = if app.filter.is_active() { " · filtered" } else { "" };
    let scope = if app.showing_all() { "all loaded events" } else { "this page" };
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.border(true))
        .title(Span::styled(
            format!(" Summary · {} events · {} in all · {scope}{filtered} ", summary.count, summary.sum),
            theme.title(true),
        ))
        .title_bottom(Line::from(Span::styled(" j/k period · s or Esc closes ", theme.muted())).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let table_h = (summary.periods.len() as u16 + 1).min(inner.height / 2).max(2);
    let [top, bottom] = Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(inner);
    periods_table(app, summary, frame, top);
    let Some(p) = summary.periods.get(app.summary_selected) else { return };
    let names_w = 44.min(bottom.width / 2);
    let [left, right] = Layout::horizontal([Constraint::Length(names_w), Constraint::Min(0)]).spacing(1).areas(bottom);
    by_name(app, p, frame, left);
    chart(app, p, frame, right);
}

fn periods_table(app: &App, summary: &Summary, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let rows = summary.periods.iter().map(|p| {
        let gap = match (p.target, p.sum.checked_add(Money(-p.target.map_or(Default::default(), |t| t.0)))) {
            (Some(_), Some(d)) if d.is_negative() => format!("{d}"),
            (Some(_), _) => "reached".into(),
            _ => "—".into(),
        };
        Row::new(vec![
            Cell::from(p.period_id.to_string()),
            Cell::from(sanitize::line(p.ref_code.as_deref().unwrap_or("")).into_owned()),
            Cell::from(Line::from(p.count.to_string()).right_aligned()),
            Cell::from(Line::from(p.sum.to_string()).right_aligned()),
            Cell::from(Line::from(p.target.map_or("—".into(), |t| t.to_string())).right_aligned()),
            Cell::from(
                Line::from(Span::styled(
                    gap.clone(),
                    if gap.starts_with('-') { theme.negative() } else { Style::new() },
                ))
                .right_aligned(),
            ),
            Cell::from(sanitize::line(p.first.as_deref().unwrap_or("")).into_owned()),
            Cell::from(sanitize::line(p.last.as_deref().unwrap_or("")).into_owned()),
        ])
    });
    // Narrow screens keep the figures and give up the ref code and dates.
    let wide = area.width >= 100;
    let optional = |w: u16| Constraint::Length(if wide { w } else { 0 });
    let widths = [
        Constraint::Length(8),
        optional(10),
        Constraint::Length(7),
        Constraint::Length(13),
        Constraint::Length(11),
        Constraint::Length(11),
        optional(21),
        optional(21),
    ];
    let header = Row::new(vec![
        Cell::from("Period"),
        Cell::from("Ref"),
        Cell::from(Line::from("Events").right_aligned()),
        Cell::from(Line::from("Sum").right_aligned()),
        Cell::from(Line::from("Target").right_aligned()),
        Cell::from(Line::from("To target").right_aligned()),
        Cell::from("First event"),
        Cell::from("Last event"),
    ])
    .style(theme.header());
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected(true))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(app.summary_selected));
    frame.render_stateful_widget(table, area, &mut state);
}

fn by_name(app: &App, p: &PeriodSummary, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut lines = vec![Line::from(Span::styled(format!("Period {} by event", p.period_id), theme.header()))];
    for (name, n) in &p.by_name {
        let style = if n.sum.is_negative() { theme.negative() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<16}", sanitize::truncate_chars(&sanitize::line(name), 16))),
            Span::raw(format!("{:>6} ", n.count)),
            Span::styled(format!("{:>14}", n.sum.to_string()), style),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![Span::styled("━━ ", theme.key()), Span::raw("cumulative value")]));
    if let Some(t) = p.target {
        lines.push(Line::from(vec![Span::styled("•• ", theme.warning()), Span::raw(format!("target {t}"))]));
    }
    if let Some(achieved) = p.achieved {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(format!("API's achieved value: {achieved}"), theme.muted())));
        if achieved != p.sum {
            lines.push(Line::from(Span::styled(format!("differs from the loaded sum {}", p.sum), theme.warning())));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn chart(app: &App, p: &PeriodSummary, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
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
                .labels([start.format("%d %b").to_string(), end.format("%d %b %Y").to_string()])
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
