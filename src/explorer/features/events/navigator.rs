//! The status line: where we are in the pages, the last request's facts, and
//! one-shot hints. When the line is short of room the least useful parts go
//! first: request id, then timing, limit and range; the page and a hint stay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::api::fetch_all::Stopped;
use crate::explorer::app::App;
use crate::explorer::app::state::Level;
use crate::explorer::ui::theme::Theme;

/// A piece of the line: its spans and its priority (lower stays longer).
struct Part {
    spans: Vec<Span<'static>>,
    priority: u8,
}

impl Part {
    fn new(priority: u8, spans: Vec<Span<'static>>) -> Part {
        Part { spans, priority }
    }

    fn text(priority: u8, text: String, style: Style) -> Part {
        Part::new(priority, vec![Span::styled(text, style)])
    }

    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.width()).sum()
    }
}

fn parts(app: &App, theme: &Theme) -> Vec<Part> {
    let mut parts = Vec::new();
    if let Some(all) = app.case.results.shown.as_ref().and_then(|s| s.all.as_ref()) {
        parts.push(Part::text(0, format!(" All {} events", app.events().len()), theme.key()));
        let pages = crate::core::verdict::count(all.pages as usize, "page", "pages");
        parts.push(Part::text(2, format!(" · {} of {pages}", all.pages_fetched), Style::new()));
        if !all.missing.is_empty() {
            let missing = crate::api::fetch_all::describe_pages(&all.missing);
            parts.push(Part::text(0, format!(" · ⚠ {missing} missing"), theme.error()));
        }
        if all.duplicates > 0 {
            parts.push(Part::text(1, format!(" · {} seen twice, kept once", all.duplicates), theme.warning()));
        }
        match all.stopped {
            Some(Stopped::Cap { max_events }) => {
                parts.push(Part::text(0, format!(" · ⚠ stopped at the {max_events}-event cap"), theme.error()))
            }
            Some(Stopped::NoProgress { page }) => {
                parts.push(Part::text(0, format!(" · ⚠ page {} repeated old events: stopped", page + 1), theme.error()))
            }
            Some(Stopped::Interrupted) => {
                parts.push(Part::text(0, " · ⚠ interrupted: incomplete".to_string(), theme.error()))
            }
            None => {}
        }
    } else if let Some(shown) = &app.case.results.shown {
        let info = shown.info();
        let pages = info.page_count().map_or("?".into(), |n| n.to_string());
        parts.push(Part::new(
            0,
            vec![
                Span::styled(" ◀ ", if info.page == 0 { theme.muted() } else { theme.key() }),
                Span::raw(format!("Page {} of {pages}", info.page + 1)),
                Span::styled(" ▶", if info.is_last() { theme.muted() } else { theme.key() }),
            ],
        ));
        let total = info.total_records().map_or("?".into(), |n| n.to_string());
        let range = if info.count == 0 {
            format!("  no events · {total} in all")
        } else {
            format!("  events {}–{} of {total}", info.first_record(), info.last_record())
        };
        parts.push(Part::text(2, range, Style::new()));
        parts.push(Part::text(3, format!(" · limit {}", shown.query.limit), theme.muted()));
    } else {
        parts.push(Part::text(3, format!(" limit {}", app.case.results.limit), theme.muted()));
    }
    if let Some(last) = &app.case.results.last_request {
        parts.push(Part::text(4, format!(" · {} ms", last.elapsed.as_millis()), theme.muted()));
        if let Some(id) = &last.request_id {
            parts.push(Part::text(5, format!(" · req {}", crate::sanitize::line(id)), theme.muted()));
        }
    }
    if let Some(w) = &app.case.watch {
        // Marked in words as well as colour, so it reads under NO_COLOR.
        // The count stays with the watch, whatever else the line gives up.
        let count = format!(" ◉ watching {} events", app.events().len());
        let text = if w.polling {
            format!("{count} · checking…")
        } else if w.plan.failures > 0 {
            format!("{count} · retry at {}", crate::core::clock::shown(w.next_at, "%H:%M:%S"))
        } else {
            format!("{count} · next {}", crate::core::clock::shown(w.next_at, "%H:%M:%S"))
        };
        parts.push(Part::text(0, text, theme.fresh()));
    }
    if let Some(notice) = &app.chrome.notice {
        // A marker as well as a colour, so the level reads under NO_COLOR.
        let (mark, style) = match notice.level {
            Level::Info => ("", theme.flash()),
            Level::Warning => ("⚠ ", theme.warning()),
            Level::Error => ("✗ ", theme.error()),
        };
        parts.push(Part::text(1, format!("  {mark}{}", crate::sanitize::line(&notice.text)), style));
    }
    parts
}

/// While the filter is typed, the status line is its input.
fn draw_filter(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The filter of what is drawn, counting its own matches.
    let filter = app.filter();
    let text = crate::sanitize::line(filter.input.value()).into_owned();
    let bills = app.screen.bills().filter(|_| app.screen.main() == Some(crate::explorer::app::screen::Panel::Bills));
    let (shown, of) = match (&app.workflow.batch, bills) {
        (_, Some(b)) => (b.view().len(), b.lines().len()),
        (Some(b), _) if app.batch_open() => (b.view().len(), b.rows().len()),
        _ => (app.case.results.view.len(), app.events().len()),
    };
    let names = app.filter_names();
    // A column this table does not have is said, not silently matched by nothing.
    let parsed = crate::core::filter::Filter::parse(filter.input.value());
    let unknown = parsed.unknown_columns(&names);
    let unknown = match unknown.first() {
        Some(c) => format!(" · no column \"{}\" here", crate::sanitize::line(c)),
        None => String::new(),
    };
    let keys = crate::explorer::app::keys::footer(
        &app.keymap,
        crate::explorer::app::screen::Owner::Filter,
        crate::explorer::app::keys::footers::FILTER,
    );
    let count = format!("  {shown} of {of} match{unknown} ·{}", keys.trim_end());
    let line = Line::from(vec![
        Span::styled(" / ", theme.key()),
        Span::styled(text, theme.input(true)),
        Span::styled(count, theme.muted()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    let cursor = filter.input.visual_cursor() as u16;
    frame.set_cursor_position(ratatui::layout::Position::new(
        area.x + 3 + cursor.min(area.width.saturating_sub(4)),
        area.y,
    ));
}

/// While every page is fetched, the status line is its progress gauge.
fn draw_progress(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, run: &crate::explorer::app::state::AllRun) {
    let ratio = if run.pages == 0 { 0.0 } else { (f64::from(run.pages_done) / f64::from(run.pages)).clamp(0.0, 1.0) };
    let retries = if run.retries > 0 { format!(" · {} retries", run.retries) } else { String::new() };
    // For the verdict (e, B) it reads the rule's events, not the table's pages.
    let what =
        if app.case.all_run.is_some() { "Fetching every page" } else { "Reading the rule's events for the verdict" };
    // Cancelling is named only where its key works now (not under a picker).
    let cancel =
        crate::explorer::app::keys::keys_for(&app.keymap, app.owner(), crate::explorer::app::action::Action::Cancel)
            .and_then(|k| k.first())
            .map_or_else(String::new, |k| format!(" · {} cancels", k.label()));
    let label = format!(
        " {} {what}: {}/{} · {} events{retries}{cancel} ",
        crate::explorer::ui::spinner(app),
        run.pages_done,
        if run.pages == 0 { "?".to_string() } else { run.pages.to_string() },
        run.events,
    );
    let gauge = ratatui::widgets::LineGauge::default()
        .ratio(ratio)
        .label(label)
        .filled_style(theme.key())
        .unfilled_style(theme.muted());
    frame.render_widget(gauge, area);
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if app.owner() == crate::explorer::app::screen::Owner::Filter {
        return draw_filter(app, theme, frame, area);
    }
    if let Some(run) = app.case.all_run.as_ref().or(app.case.verdict_run.as_ref()) {
        return draw_progress(app, theme, frame, area, run);
    }
    // A long profile name is shortened here: the page and the limit need the room.
    let label = crate::sanitize::truncate_chars(&crate::sanitize::line(&app.chrome.label), 24).into_owned();
    let mut right = vec![Span::styled(format!(" {label} "), theme.badge()), Span::raw(" ")];
    // The key that opens help where the keys are now (the config may have
    // moved it); none under an overlay where no key does.
    let help = crate::explorer::app::keys::keys_for(&app.keymap, app.owner(), crate::explorer::app::Action::ToggleHelp)
        .and_then(|k| k.first())
        .map(|k| k.label());
    match help {
        Some(help) if area.width >= 80 => {
            right.extend([Span::raw(" "), Span::styled(help, theme.key()), Span::raw(" help ")])
        }
        Some(help) => right.extend([Span::styled(help, theme.key()), Span::raw(" ")]),
        None => {}
    }
    let right_w: u16 = right.iter().map(|s| s.content.width() as u16).sum();
    let [left_area, right_area] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right_w)]).areas(area);

    let parts = parts(app, theme);
    // Keep parts by priority while they fit, then show them in their order.
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| parts[i].priority);
    let mut keep = vec![false; parts.len()];
    let mut used = 0;
    let room = left_area.width as usize;
    let mut parts = parts;
    for i in order {
        if used + parts[i].width() <= room {
            used += parts[i].width();
            keep[i] = true;
        } else if parts[i].priority <= 1 && used + 2 < room {
            // A hint too long for the line is cut at a word, not dropped: a
            // figure in it is whole or gone.
            let cut = crate::explorer::ui::columns::fit_words(&parts[i].spans[0].content, room - used - 1).into_owned();
            let style = parts[i].spans[0].style;
            parts[i].spans = vec![Span::styled(cut, style)];
            used += parts[i].width();
            keep[i] = true;
        }
    }
    let spans: Vec<Span> = parts.into_iter().zip(keep).filter(|(_, k)| *k).flat_map(|(p, _)| p.spans).collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}
