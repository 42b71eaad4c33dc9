//! The verdict panel: per period the headline; for the selected period the
//! figures, the notable events (each with why), and the cumulative value
//! against the target, sub-milestones and events that moved marked.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState};
use rust_decimal::prelude::ToPrimitive;
use unicode_width::UnicodeWidthStr;

use crate::api::model::Money;
use crate::core::verdict::report::{figures, findings, notable};
use crate::core::verdict::{Outcome, PeriodVerdict};
use crate::explorer::app::App;
use crate::explorer::features::verdict::state::VerdictPanel;
use crate::explorer::ui::columns;
use crate::explorer::ui::theme::Theme;

fn plot(m: Money) -> f64 {
    m.0.to_f64().unwrap_or(0.0)
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(panel) = app.screen.verdict() else { return };
    // The period shown names the title, and its own target's name.
    let shown = panel.periods.get(panel.selected);
    let name = shown
        .and_then(|v| v.target_name.as_deref())
        .or(panel.target_name.as_deref())
        .map_or(String::new(), |n| format!(" · {n}"));
    let title = columns::join_fitting(
        &[
            (0, " Verdict".to_string()),
            (0, shown.map_or(String::new(), |v| format!(" · {}", v.name()))),
            (2, name),
            (0, format!(" · customer {}", panel.user_id)),
            (1, format!(" · rule {}", panel.rule_id)),
            (0, " ".into()),
        ],
        area.width.saturating_sub(2) as usize,
    );
    use crate::explorer::app::keys::footers;
    let items = if panel.in_events { footers::VERDICT_EVENTS } else { footers::VERDICT_PERIODS };
    let keys = crate::explorer::app::keys::panel_footer(app, crate::explorer::app::screen::Owner::Verdict, items);
    let block = crate::explorer::ui::panel_block(theme, title, &keys, area.width.saturating_sub(4) as usize);
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
            let style = outcome_style(theme, v);
            // Narrow: the code alone, then the short headline, so the figures stay whole.
            let (full, short) = (v.headline(), v.short_headline());
            let code = v.ref_code.clone().unwrap_or_else(|| v.period_id.to_string());
            let (head, line) =
                [(format!("{} ", v.name()), &full), (format!("{code} "), &full), (format!("{code} "), &short)]
                    .into_iter()
                    .find(|(h, l)| h.width() + l.width() <= width)
                    .unwrap_or((format!("{code} "), &short));
            let line = columns::fit_words(line, width.saturating_sub(head.width())).into_owned();
            Row::new(vec![Cell::from(Line::from(vec![Span::raw(head), Span::styled(line, style)]))])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Fill(1)])
        .row_highlight_style(theme.selected(!panel.in_events))
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(panel.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// Reached reads as success, not reached as a shortfall.
fn outcome_style(theme: &Theme, v: &PeriodVerdict) -> Style {
    match v.outcome {
        Outcome::Reached { .. } | Outcome::ReachedByApi => theme.behavioural(),
        Outcome::NotReached { .. } => theme.negative(),
        Outcome::NoTarget => Style::new(),
    }
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

/// The figures, what explains them, and the notable events of the selected
/// period, each reason whole: long lines wrap at words, never cut. The
/// event under the cursor is highlighted and kept in view.
fn details(theme: &Theme, panel: &VerdictPanel, v: &PeriodVerdict, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    // The headline whole: the list above may have had to shorten it.
    let mut lines: Vec<Line> = columns::wrap_words(&v.headline(), width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, outcome_style(theme, v).add_modifier(ratatui::style::Modifier::BOLD))))
        .collect();
    // The same figures, in the same words, as the text and the case note.
    let difference = v.difference.map(|d| crate::core::verdict::difference_label(d).0);
    for (label, figure) in figures(v) {
        let style = if Some(label.as_str()) == difference { theme.warning() } else { Style::new() };
        lines.extend(labelled(&label, &figure, width, style));
    }
    for finding in findings(v) {
        lines.extend(
            columns::wrap_words(&finding, width).into_iter().map(|l| Line::from(Span::styled(l, theme.warning()))),
        );
    }
    lines.push(Line::default());
    let events = notable(v);
    if events.is_empty() {
        lines.push(Line::from(Span::styled("No notable event.", theme.muted())));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // Each event: its id, value and date, then why, wrapped beneath with an
    // indent when it does not fit beside them.
    let id_w = events.iter().map(|(e, _)| e.event_log_id.to_string().width()).max().unwrap_or(0);
    let value_w = events.iter().map(|(e, _)| e.value.as_money().width()).max().unwrap_or(0);
    let head = |e: &crate::core::verdict::EventRef| {
        let date = e.dated_short();
        format!("{:>id_w$} {:>value_w$} {date}", e.event_log_id, e.value.as_money())
    };
    let head_w = events.iter().map(|(e, _)| head(e).width()).max().unwrap_or(0) + 2;
    let beside = width >= head_w + 24;
    let mut selected_at = 0;
    for (i, (e, why)) in events.iter().enumerate() {
        let chosen = panel.in_events && i == panel.event;
        let style = if chosen { theme.selected(true) } else { Style::new() };
        let mark = if chosen { "▶ " } else { "  " };
        if chosen {
            selected_at = lines.len();
        }
        let h = format!("{mark}{}", head(e));
        let h = if h.width() <= width { h } else { format!("{mark}{}", e.event_log_id) };
        if beside {
            let why_lines = columns::wrap_words(why, width - head_w - 1);
            for (j, w) in why_lines.into_iter().enumerate() {
                let left = if j == 0 { h.clone() } else { String::new() };
                lines.push(Line::from(Span::styled(format!("{left:<head_w$} {w}"), style)));
            }
        } else {
            lines.push(Line::from(Span::styled(h, style)));
            for w in columns::wrap_words(why, width.saturating_sub(4)) {
                lines.push(Line::from(Span::styled(format!("    {w}"), style)));
            }
        }
    }
    // Scrolled so the event under the cursor is in view.
    let height = area.height as usize;
    let scroll = (selected_at + 3).saturating_sub(height);
    frame.render_widget(Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)), area);
}

/// The cumulative value of the period's events by day, the target and the
/// sub-milestones as lines, and the events dated here but counted elsewhere
/// as marks on the day they happened.
fn chart(app: &App, theme: &Theme, v: &PeriodVerdict, frame: &mut Frame, area: Rect) {
    let mut here: Vec<_> =
        app.verdict_events().iter().filter(|e| e.period_id == v.period_id && e.event_date.parsed.is_some()).collect();
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
    // Another marker than the target's, so the two differ without colour.
    for m in &milestone_lines {
        datasets.push(Dataset::default().marker(Marker::Bar).graph_type(GraphType::Line).style(theme.muted()).data(m));
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
    let legend = "━ cumulative  •• target  ▄▄ sub-milestones  █ counted elsewhere";
    // The legend wraps, whole, rather than lose a key.
    let legend: Vec<Line> = columns::wrap_words(legend, area.width as usize).into_iter().map(Line::from).collect();
    let [legend_area, chart_area] =
        Layout::vertical([Constraint::Length(legend.len() as u16), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(legend).style(theme.muted()), legend_area);
    let chart = Chart::new(datasets)
        .x_axis(Axis::default().bounds([0.0, days]).labels(labels).style(theme.muted()))
        .y_axis(Axis::default().bounds([bottom, top]).labels(y_labels(bottom, top, area.width)).style(theme.muted()));
    frame.render_widget(chart, chart_area);
}

/// The y axis's labels, whole or none: a figure too wide for a quarter of
/// the chart would be cut by it.
fn y_labels(bottom: f64, top: f64, width: u16) -> Vec<String> {
    let labels = [format!("{bottom:.0}"), format!("{top:.0}")];
    let room = usize::from(width / 4).max(1);
    if labels.iter().all(|l| l.width() <= room) { labels.to_vec() } else { Vec::new() }
}
