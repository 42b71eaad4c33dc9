//! Watching a customer live (`w`): the query's last page is polled every few
//! seconds; new events join the table without moving the selection, marked
//! and announced. One poll at a time; errors back off and show in the banner
//! without stopping the watch.

use std::sync::Arc;

use crate::api::model::{EventsPage, TargetEvent};
use crate::api::{ApiError, EventsOutcome, EventsQuery, Fetched};
use crate::core::watch_plan::{DEFAULT_INTERVAL, WatchPlan, interval_for};
use crate::explorer::app::action::{Ask, Effect};
use crate::explorer::app::state::App;

use super::state::Watch;

/// `w`: starts watching the shown query, or stops.
pub(crate) fn toggle_watch(app: &mut App, fx: &mut Vec<Effect>) {
    if app.case.watch.is_some() {
        return stop_watch(app, fx, "Stopped watching.");
    }
    let Some(shown) = &app.case.results.shown else {
        return app.flash("Load a customer's events first: watching adds what arrives next.");
    };
    // New events land after the last: on the page after every event loaded,
    // or after the page shown when it is full (the server's count of pages
    // is not trusted). What lies beyond the page shown is learnt first, so
    // only what arrives after counts as new.
    let loaded = app.events().len();
    let limit = shown.query.limit.max(1);
    let (page, learning) = if app.showing_all() {
        (u32::try_from(loaded / limit as usize).unwrap_or(u32::MAX), false)
    } else if loaded >= limit as usize {
        (shown.query.page.saturating_add(1), true)
    } else {
        (shown.query.page, false)
    };
    let query = EventsQuery { page, ..shown.query };
    let seen = app.events().iter().map(|e| e.event_log_id).collect();
    let rpm = app.chrome.connection.requests_per_minute.unwrap_or(u32::MAX);
    let interval = interval_for(DEFAULT_INTERVAL, rpm);
    let plan = WatchPlan::new(query, interval, rpm, seen, learning);
    app.generation += 1;
    let now = app.now();
    let wait = plan.first_wait();
    app.case.watch = Some(Watch {
        plan,
        generation: app.generation,
        polling: learning,
        next_at: now + chrono::Duration::from_std(wait).unwrap_or_default(),
    });
    fx.push(if learning {
        Effect::WatchPoll { generation: app.generation, query }
    } else {
        Effect::WatchAfter { generation: app.generation, delay: wait }
    });
    app.flash(&format!("Watching: new events are checked every {} s.", interval.as_secs()));
}

pub(crate) fn stop_watch(app: &mut App, fx: &mut Vec<Effect>, why: &str) {
    if let Some(w) = app.case.watch.take() {
        fx.push(Effect::Cancel { generation: w.generation });
        app.flash(why);
    }
}

/// The wait is over: poll, unless a poll is still out.
pub(crate) fn watch_due(app: &mut App, generation: u64, fx: &mut Vec<Effect>) {
    let Some(w) = app.case.watch.as_mut().filter(|w| w.generation == generation) else { return };
    if w.polling {
        return;
    }
    w.polling = true;
    fx.push(Effect::WatchPoll { generation, query: w.plan.query });
}

pub(crate) fn watch_polled(
    app: &mut App,
    generation: u64,
    result: Result<Fetched<EventsOutcome>, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let Some(w) = app.case.watch.as_mut().filter(|w| w.generation == generation) else { return };
    w.polling = false;
    let step = match result {
        Ok(fetched) => {
            let step = w.plan.answered(Ok(fetched.value.into_page()));
            // The watch answered again: an earlier error is over.
            app.case.results.error = None;
            step
        }
        Err(e) => {
            let step = w.plan.answered(Err(&e));
            app.case.results.error = Some(e);
            step
        }
    };
    let wait = step.wait;
    add_watched(app, step.fresh, step.total, fx);
    let now = app.now();
    let Some(w) = app.case.watch.as_mut() else { return };
    w.next_at = now + chrono::Duration::from_std(wait).unwrap_or_default();
    fx.push(Effect::WatchAfter { generation: w.generation, delay: wait });
}

/// New events join the shown ones (the selection stays on its event),
/// are marked, and the last is announced; the summary and verdict follow.
pub(crate) fn add_watched(app: &mut App, fresh: Vec<TargetEvent>, total: Option<u64>, fx: &mut Vec<Effect>) {
    if fresh.is_empty() {
        return;
    }
    let selected_id = app.selected_event_id();
    let arrived = crate::core::clock::shown(app.now(), "%H:%M:%S");
    let Some(shown) = &mut app.case.results.shown else { return };
    let mut events: Vec<TargetEvent> = match &*shown.outcome {
        EventsOutcome::Page(p) => p.events.clone(),
        EventsOutcome::NoEvents { .. } => Vec::new(),
    };
    let announce: Vec<String> = fresh
        .iter()
        .map(|e| {
            // The moment with its offset where the API gives one.
            let at = match crate::core::verdict::window::instant(e.event_date_iso.as_deref()) {
                Some(t) => t.format("%H:%M %:z").to_string(),
                None => e
                    .event_date
                    .parsed
                    .map_or_else(|| e.event_date.short().into_owned(), |d| d.format("%H:%M, no offset").to_string()),
            };
            format!("{} {} (dated {at})", crate::sanitize::line_prefix(&e.event_name, 40), e.target_value)
        })
        .collect();
    app.case.results.fresh.extend(fresh.iter().map(|e| e.event_log_id));
    let arrived_events = fresh.clone();
    events.extend(fresh);
    let mut pagination = match &*shown.outcome {
        EventsOutcome::Page(p) => p.pagination,
        EventsOutcome::NoEvents { .. } => Default::default(),
    };
    // The server's count now includes what arrived.
    pagination.total = pagination.total.max(total);
    shown.outcome = Arc::new(EventsOutcome::Page(EventsPage { pagination, events, warnings: Vec::new() }));
    // Pages cached before these arrived are out of date.
    app.case.results.cache.clear();
    app.rebuild_view();
    if let Some(id) = selected_id
        && let Some(row) = app
            .case
            .results
            .view
            .iter()
            .position(|&i| app.events().get(i as usize).is_some_and(|e| e.event_log_id == id))
    {
        app.case.results.table.selected = row;
    }
    // The API's achieved values moved with these events: every figure read
    // before now is out of date until read again (one request).
    let now = app.now();
    app.case.last_arrival = Some(now);
    let Some(query) = app.case.results.shown.as_ref().map(|s| s.query) else { return };
    if app.case.targets.is_some() || app.screen.summary().is_some() || app.screen.verdict().is_some() {
        app.read_targets(query.user_id, fx);
    }
    // The verdict's events of this rule take the arrivals in (each once); it
    // is shown at once with the API's figures marked out of date, and again
    // when they are read.
    if let Some(r) = app.case.rule_events.as_mut().filter(|r| r.user_id == query.user_id && r.rule_id == query.rule_id)
    {
        let known: std::collections::HashSet<i64> = r.events.iter().map(|e| e.event_log_id).collect();
        let mut events = (*r.events).clone();
        events.extend(arrived_events.into_iter().filter(|e| !known.contains(&e.event_log_id)));
        r.events = Arc::new(events);
        r.read_at = now;
    }
    if let Some(v) = app.screen.verdict() {
        let (user_id, rule_id) = (v.user_id(), v.rule_id());
        let period_id = v.periods().get(v.selected()).map(|p| p.period_id);
        app.ask(Ask::Reconcile { user_id, rule_id, period_id, open_bills: false });
    } else if let Some(b) = app.screen.bills().filter(|b| b.user_id() == query.user_id) {
        // The bills alone (B from the events): reconciled again with what
        // arrived, so a bill that just became an event is not still said not
        // to have counted; the cursor stays on its bill.
        let period_id = Some(b.period_id());
        app.ask(Ask::Reconcile { user_id: query.user_id, rule_id: query.rule_id, period_id, open_bills: true });
    }
    // What arrived is likely a new bill: the bills shown are read again.
    let bills_shown = app.screen.verdict().is_some() || app.screen.bills().is_some();
    if bills_shown && app.case.bills.as_ref().is_some_and(|b| b.user_id == query.user_id) {
        app.ask(Ask::ReadBillsAgain);
    }
    app.flash(&format!("✚ {arrived} {}", announce.join(" · ")));
}
