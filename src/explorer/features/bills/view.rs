//! The bills panel: a row per bill (its time with the offset, number, store,
//! amount, type and what happened to it), only the rows on screen built,
//! figures whole; beneath, the selected bill's story or its raw JSON.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, TableState, Wrap};

use super::state::{BillsPanel, COLUMNS};
use crate::core::columns::{Kind, Spec, widths};
use crate::core::reconcile::Fate;
use crate::explorer::app::App;
use crate::explorer::ui::columns;
use crate::explorer::ui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(panel) = app.screen.bills() else { return };
    let filter = panel.filter.input.value();
    // Counts only of bills that were read.
    let read = panel.unread.is_none();
    let title = columns::join_fitting(
        &[
            (0, " Bills".to_string()),
            (0, format!(" · {}", panel.period_name)),
            (0, format!(" · customer {}", panel.user_id)),
            (
                1,
                if read {
                    format!(" · {}", crate::core::verdict::count(panel.lines.len(), "bill", "bills"))
                } else {
                    String::new()
                },
            ),
            (1, if read { format!(" · {} not counted", panel.not_counted()) } else { String::new() }),
            // Read in part: every count above is of the bills read.
            (0, if panel.incomplete.is_some() { " · read in part".to_string() } else { String::new() }),
            (2, if filter.trim().is_empty() { String::new() } else { format!(" · {} match", panel.view.len()) }),
            (0, " ".into()),
        ],
        area.width.saturating_sub(2) as usize,
    );
    use crate::explorer::app::keys::footers;
    // The raw-JSON key says what it goes back to while the JSON is shown.
    let items: Vec<_> = footers::BILLS
        .iter()
        .map(|&(actions, words)| match actions {
            [crate::explorer::app::Action::ToggleRaw] if panel.raw() => (actions, "story"),
            _ => (actions, words),
        })
        .collect();
    let keys = crate::explorer::app::keys::panel_footer(app, crate::explorer::app::screen::Owner::Bills, &items);
    let block = crate::explorer::ui::panel_block(theme, title, &keys, area.width.saturating_sub(4) as usize);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(why) = &panel.unread {
        let text = format!("The bills could not be read: {why}");
        frame.render_widget(Paragraph::new(text).style(theme.error()).wrap(Wrap { trim: true }), inner);
        return;
    }
    if panel.lines.is_empty() {
        frame.render_widget(Paragraph::new("No bill was read for this period.").style(theme.muted()), inner);
        return;
    }
    let detail_h = (inner.height / 3).clamp(3, 12);
    let [top, bottom] = Layout::vertical([Constraint::Min(3), Constraint::Length(detail_h)]).spacing(1).areas(inner);
    table(panel, theme, frame, top);
    detail(app, panel, theme, frame, bottom);
}

/// Only the rows on screen are built; figures are whole or their column goes.
fn table(panel: &BillsPanel, theme: &Theme, frame: &mut Frame, area: Rect) {
    let height = area.height.saturating_sub(1) as usize;
    let start = panel.selected.saturating_sub(height.saturating_sub(1));
    let end = (start + height).min(panel.view.len());
    let window: Vec<[String; 6]> = panel.view[start..end].iter().map(|&i| panel.cells(&panel.lines[i])).collect();
    // The amount, the bill number and what happened first; the time, the
    // type and the store as room allows (the story beneath has them all).
    let kinds = [
        (Kind::Figure, 3),
        (Kind::Figure, 1),
        (Kind::Text { min: 12 }, 5),
        (Kind::Figure, 0),
        (Kind::Text { min: 8 }, 6),
        (Kind::Text { min: 28 }, 2),
    ];
    let specs: Vec<Spec> = COLUMNS
        .iter()
        .zip(kinds)
        .enumerate()
        .map(|(i, ((title, _), (kind, priority)))| {
            let mut s = Spec::new(title, kind, priority);
            // Room for the sort mark.
            if panel.sort.is_some_and(|(c, _)| c == i) {
                s.fit_cell(&format!("{title} ▲"));
            }
            for row in &window {
                s.fit_cell(&row[i]);
            }
            s
        })
        .collect();
    let chosen = widths(&specs, area.width.saturating_sub(2), 1);
    let cell = |text: &str, w: u16, figure: bool, style: Style| {
        let line = Line::from(Span::styled(columns::fit(text, w).into_owned(), style));
        Cell::from(if figure { line.alignment(Alignment::Right) } else { line })
    };
    // The column sorted by says so, and which way.
    let title = |i: usize, t: &str| match panel.sort {
        Some((c, desc)) if c == i => format!("{t} {}", if desc { "▼" } else { "▲" }),
        _ => t.to_string(),
    };
    let header = Row::new(
        COLUMNS
            .iter()
            .enumerate()
            .filter_map(|(i, (t, fig))| chosen[i].map(|w| cell(&title(i, t), w, *fig, Style::new()))),
    )
    .style(theme.header());
    let rows = panel.view[start..end].iter().zip(&window).map(|(&i, cells)| {
        let style = match &panel.lines[i].fate {
            Fate::NotCounted(_) if panel.lines[i].alone_reaches => theme.negative(),
            Fate::NotCounted(_) => theme.warning(),
            Fate::CountedElsewhere { .. } => theme.muted(),
            Fate::CountedHere { .. } => Style::new(),
        };
        Row::new(
            COLUMNS
                .iter()
                .enumerate()
                .filter_map(|(c, (_, fig))| chosen[c].map(|w| cell(&cells[c], w, *fig, Style::new()))),
        )
        .style(style)
    });
    let table = crate::explorer::ui::selectable_table(rows, &chosen, header, theme);
    let mut state = TableState::default().with_selected((!panel.view.is_empty()).then_some(panel.selected - start));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The selected bill: what happened to it in a sentence, or its raw JSON.
fn detail(app: &App, panel: &BillsPanel, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(line) = panel.selected_line() else { return };
    let text = if panel.raw {
        crate::explorer::features::bills::update::selected_json(app).map_or_else(|| "No raw JSON.".into(), |(_, j)| j)
    } else {
        let b = &line.bill;
        let store = b.store.as_deref().map_or_else(String::new, |s| format!(" at {s}"));
        let outlier = b.outlier_status.as_deref().map_or_else(String::new, |o| format!(", outlier status {o}"));
        let reaches = if line.alone_reaches { " Alone it would have reached the target." } else { "" };
        let repeated = match panel.repeated.get(&b.number) {
            Some(2) => format!(" Another bill of the period has the number {} too: quote the id {}.", b.number, b.id),
            Some(n) => {
                format!(" {} other bills of the period have the number {} too: quote the id {}.", n - 1, b.number, b.id)
            }
            None => String::new(),
        };
        format!(
            "{} (type {}{outlier}): {} on {}{store}. {}.{reaches}{repeated}",
            crate::core::verdict::capital(&b.named()),
            b.kind,
            b.amount_text(),
            b.when,
            crate::core::verdict::capital(&line.fate_words())
        )
    };
    let style = if line.alone_reaches { theme.negative() } else { Style::new() };
    let width = area.width as usize;
    let lines: Vec<Line> = text
        .lines()
        .flat_map(|l| {
            // JSON keeps its indentation; a sentence wraps at words.
            let pieces =
                if panel.raw { crate::core::columns::hard_wrap(l, width) } else { columns::wrap_words(l, width) };
            pieces.into_iter().map(Line::from).collect::<Vec<_>>()
        })
        .collect();
    // Scrolled with J/K, no further than its last line.
    let max = u16::try_from(lines.len().saturating_sub(area.height as usize)).unwrap_or(u16::MAX);
    let scroll = panel.detail_scroll.min(max);
    frame.render_widget(Paragraph::new(lines).style(style).scroll((scroll, 0)), area);
}
