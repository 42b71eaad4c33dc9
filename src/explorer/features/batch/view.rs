//! The batch table: a row per customer × target × period, figures whole;
//! filter and sort as in the events table, Enter opens the row's events.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, TableState, Wrap};

use crate::core::batch::{BatchRow, table_cells, table_column, table_titles, table_widths};
use crate::explorer::app::App;
use crate::explorer::features::batch::state::BatchTable;
use crate::explorer::ui::columns;
use crate::explorer::ui::theme::Theme;

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(batch) = &app.workflow.batch else { return };
    use crate::explorer::app::keys::{footer, footers};
    let owner = crate::explorer::app::screen::Owner::Batch;
    let width = area.width.saturating_sub(2) as usize;
    // The rows: all of them (filtered, sorted), or the customers of a cause opened.
    let (view, selected, title, keys) = match (batch.causes_view, batch.cause_rows()) {
        (Some(v), Some(rows)) => {
            let cause = &batch.causes[v.cause];
            let title = columns::join_fitting(
                &[
                    (0, format!(" Why they missed · {}", cause.said)),
                    (1, format!(" · {}", crate::core::verdict::count(cause.customers, "customer", "customers"))),
                    (2, format!(" · {}", crate::core::verdict::count(cause.periods, "period", "periods"))),
                    (0, " ".into()),
                ],
                width,
            );
            (rows, v.row, title, footer(&app.keymap, owner, footers::BATCH_CAUSE_ROWS))
        }
        (Some(v), None) => return draw_causes(app, batch, v.cause, theme, frame, area),
        (None, _) => {
            let filter = batch.filter.input.value();
            let failed = batch.failed;
            let title = columns::join_fitting(
                &[
                    (0, " Batch".to_string()),
                    (1, format!(" · {} rows", batch.rows.len())),
                    (2, if failed > 0 { format!(" · {failed} not found or failed") } else { String::new() }),
                    (
                        1,
                        if filter.trim().is_empty() {
                            String::new()
                        } else {
                            format!(" · {} match", batch.view.len())
                        },
                    ),
                    (3, sort_note(batch)),
                    (0, " ".into()),
                ],
                width,
            );
            // As the keys stand now: with a filter kept, Esc clears it and b hides.
            (
                batch.view.as_slice(),
                batch.selected,
                title,
                crate::explorer::app::keys::panel_footer(app, owner, footers::BATCH),
            )
        }
    };
    let block = crate::explorer::ui::panel_block(theme, title, &keys, area.width.saturating_sub(4) as usize);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    let selected = selected.min(view.len().saturating_sub(1));
    // The selected row in full on the last line: its cells are cut to fit, its error must not be.
    if let Some(row) = view.get(selected).and_then(|&i| batch.rows.get(i))
        && inner.height >= 4
    {
        let (text, style) = describe(row, theme);
        let text = crate::sanitize::line_prefix(&text, 1024).into_owned();
        // As many lines as the story needs (an error with its request id, a
        // verdict with the events that would have reached it), keeping the
        // header and three rows of the table; past that, one line cut with `…`.
        let whole = Paragraph::new(Span::styled(text.clone(), style)).wrap(Wrap { trim: false });
        let needed = u16::try_from(whole.line_count(inner.width)).unwrap_or(u16::MAX).max(1);
        let room = inner.height.saturating_sub(4).max(1);
        let (lines, story) = if needed <= room {
            (needed, whole)
        } else {
            (1, Paragraph::new(Span::styled(columns::fit(&text, inner.width).into_owned(), style)))
        };
        let footer = Rect { y: inner.bottom() - lines, height: lines, ..inner };
        inner.height -= lines;
        frame.render_widget(story, footer);
    }
    let height = inner.height.saturating_sub(1) as usize;
    // Only the rows on screen are built.
    let start = selected.saturating_sub(height.saturating_sub(1));
    let shown = &view[start..(start + height).min(view.len())];
    let window: Vec<Vec<String>> = shown.iter().map(|&i| table_cells(&batch.rows[i])).collect();
    // Columns empty in every row (the verdict's without --verdict) are left out.
    let chosen = table_widths(&window, &batch.shown_empty, inner.width.saturating_sub(2), 1);
    let cell = |text: &str, w: u16, i: usize, style: Style| {
        let line = Line::from(Span::styled(columns::fit(text, w).into_owned(), style));
        Cell::from(if table_column(i).is_some_and(|c| c.right) { line.alignment(Alignment::Right) } else { line })
    };
    let titles = table_titles();
    let n = titles.len();
    let header =
        Row::new((0..n).filter_map(|i| chosen[i].map(|w| cell(titles[i], w, i, Style::new())))).style(theme.header());
    let rows = shown.iter().zip(&window).map(|(&r, cells)| {
        let row = &batch.rows[r];
        let reached = row.reached == Some(true)
            || row.verdict.as_ref().is_some_and(|v| v.standing == crate::core::verdict::brief::Standing::Reached);
        let style = match () {
            _ if reached => theme.behavioural(),
            _ if !row.error.is_empty() => theme.warning(),
            _ => Style::new(),
        };
        Row::new((0..n).filter_map(|i| chosen[i].map(|w| cell(&cells[i], w, i, Style::new())))).style(style)
    });
    let table = crate::explorer::ui::selectable_table(rows, &chosen, header, theme);
    let mut state = TableState::default().with_selected((!view.is_empty()).then_some(selected - start));
    frame.render_stateful_widget(table, inner, &mut state);
}

/// The causes: one line each, most customers first, the amount at stake
/// whole or absent.
fn draw_causes(app: &App, batch: &BatchTable, selected: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    use crate::core::batch::causes::described;
    use crate::explorer::app::keys::{footer, footers};
    let missed: usize = batch.causes.iter().map(|c| c.periods).sum();
    let title = columns::join_fitting(
        &[
            (0, " Why they missed".to_string()),
            (1, format!(" · {}", crate::core::verdict::count(missed, "period", "periods"))),
            (2, format!(" · {}", crate::core::verdict::count(batch.causes.len(), "cause", "causes"))),
            (0, " ".into()),
        ],
        area.width.saturating_sub(2) as usize,
    );
    let keys = footer(&app.keymap, crate::explorer::app::screen::Owner::Batch, footers::BATCH_CAUSES);
    let block = crate::explorer::ui::panel_block(theme, title, &keys, area.width.saturating_sub(4) as usize);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells: Vec<[String; 5]> = batch
        .causes
        .iter()
        .map(|c| {
            let more = c.customers.saturating_sub(c.named.len());
            let mut names = c.named.join(", ");
            if more > 0 {
                names.push_str(&format!(" and {more} more"));
            }
            [
                crate::sanitize::line(&described(c)).into_owned(),
                c.customers.to_string(),
                c.periods.to_string(),
                c.at_stake.map(|a| a.as_money()).unwrap_or_default(),
                crate::sanitize::line(&names).into_owned(),
            ]
        })
        .collect();
    let titles = ["cause", "customers", "periods", "short in all", "customers named"];
    use crate::core::columns::{Kind, Spec};
    let specs: Vec<Spec> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let kind = match i {
                0 => Kind::Text { min: 24 },
                4 => Kind::Text { min: 12 },
                _ => Kind::Figure,
            };
            let mut spec = Spec::new(t, kind, [0, 0, 1, 1, 2][i]);
            for r in &cells {
                spec.fit_cell(&r[i]);
            }
            spec
        })
        .collect();
    let chosen = crate::core::columns::widths(&specs, inner.width.saturating_sub(2), 1);
    let right = |i: usize| (1..=3).contains(&i);
    let cell = |text: &str, w: u16, i: usize| {
        let line = Line::from(columns::fit(text, w).into_owned());
        Cell::from(if right(i) { line.alignment(Alignment::Right) } else { line })
    };
    let header =
        Row::new(titles.iter().enumerate().filter_map(|(i, t)| chosen[i].map(|w| cell(t, w, i)))).style(theme.header());
    let height = inner.height.saturating_sub(1) as usize;
    let start = selected.saturating_sub(height.saturating_sub(1));
    let rows = cells
        .iter()
        .skip(start)
        .take(height)
        .map(|r| Row::new((0..5).filter_map(|i| chosen[i].map(|w| cell(&r[i], w, i)))));
    let table = crate::explorer::ui::selectable_table(rows, &chosen, header, theme);
    let mut state = TableState::default().with_selected((!cells.is_empty()).then_some(selected - start));
    frame.render_stateful_widget(table, inner, &mut state);
}

fn sort_note(batch: &BatchTable) -> String {
    match batch.sort_column() {
        Some((title, desc)) => format!(" · sorted by {title}{}", if desc { ", descending" } else { "" }),
        None => String::new(),
    }
}

/// One line about a row: who was asked for and what came back — the whole
/// error with its request id, or the verdict with the events that would
/// have reached it.
fn describe(row: &BatchRow, theme: &Theme) -> (String, Style) {
    if row.user_id.is_none() || !row.error.is_empty() {
        let user = row.user_id.map(|u| format!(" (userId {u})")).unwrap_or_default();
        return (format!("✗ {}{user}: {}", row.customer, row.error), theme.error());
    }
    let user = row.user_id.map(|u| u.to_string()).unwrap_or_default();
    let period = match row.period_id {
        Some(p) => format!(" · period {p} {} ({} → {})", row.ref_code, row.start, row.end),
        None => String::new(),
    };
    let verdict = match &row.verdict {
        Some(v) => {
            let short = v.short_by.map(|s| format!(", {} short", s.as_money())).unwrap_or_default();
            let moved = match v.would_have_reached_count {
                0 => String::new(),
                1 => format!("; event {} counted elsewhere would have reached it", v.would_have_reached_text()),
                _ => format!("; events {} counted elsewhere would each have reached it", v.would_have_reached_text()),
            };
            let bills = v.bills.as_ref().map(bills_words).unwrap_or_default();
            format!(" · {}{short}{moved}{bills}", v.standing.word())
        }
        None => String::new(),
    };
    (format!("{} → userId {user} · {}{period}{verdict}", row.customer, row.target), theme.muted())
}

/// The bills' part of a row's line: what did not count, and the bill that
/// would have reached the target.
fn bills_words(b: &crate::core::verdict::bills_brief::BillsBrief) -> String {
    let mut out = String::new();
    match (b.uncounted, b.uncounted_amount) {
        (Some(0), _) if b.late > 0 => {
            out.push_str(&format!("; every bill dated in the period counted, {} of them in another period", b.late))
        }
        (Some(0), _) => out.push_str("; every bill dated in the period counted here"),
        (Some(n), Some(sum)) => out.push_str(&format!(
            "; {} dated in the period did not count ({})",
            crate::core::verdict::count(n, "bill", "bills"),
            sum.as_money()
        )),
        (Some(n), None) => out.push_str(&format!(
            "; {} dated in the period did not count",
            crate::core::verdict::count(n, "bill", "bills")
        )),
        (None, _) => {}
    }
    match b.would_have_reached.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("; bill {} alone would have reached it", one.named())),
        many => out.push_str(&format!(
            "; bills {} together would have reached it",
            many.iter().map(|b| b.named()).collect::<Vec<_>>().join(", ")
        )),
    }
    if let Some(note) = &b.note {
        out.push_str(&format!("; {note}"));
    }
    out
}
