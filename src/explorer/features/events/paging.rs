//! Queries and pages: submitting, the page cache, prefetch, paging keys, and
//! showing an answer (dropping late answers to superseded requests).

use std::sync::Arc;

use crate::api::{ApiError, EventsOutcome, EventsQuery, Fetched};
use crate::explorer::app::action::Effect;
use crate::explorer::app::state::{AfterLookup, App, CACHE_PAGES, CachedPage, Focus, InFlight, LastRequest, Shown};

pub(crate) fn submit(app: &mut App, fx: &mut Vec<Effect>) {
    if !app.customer_ready(AfterLookup::Submit, fx) {
        return;
    }
    match app.query_from_inputs() {
        Some(query) => new_query(app, query, fx),
        None => app.flash(crate::explorer::app::told::NOTHING_TO_SEND),
    }
}

/// A new query replaces everything under way: its page 1 is fetched for
/// real, and a fetch-all of the old query is stopped.
pub(crate) fn new_query(app: &mut App, query: EventsQuery, fx: &mut Vec<Effect>) {
    // Another customer, by whatever route: a new case.
    if app.case.customer().is_some_and(|u| u != query.user_id) {
        app.new_case(fx);
    }
    for run in [app.case.all_run.take(), app.case.verdict_run.take()].into_iter().flatten() {
        fx.push(Effect::Cancel { generation: run.generation });
    }
    app.case.results.cache.clear();
    // A warning about the old query does not outlive it, nor a watch.
    app.chrome.notice = None;
    app.case.results.fresh.clear();
    if let Some(w) = app.case.watch.take() {
        fx.push(Effect::Cancel { generation: w.generation });
    }
    // Every panel belonged to the last query: the new one starts on its table.
    app.screen.clear();
    app.case.verdict_wanted = None;
    request(app, query, true, true, fx);
}

pub(crate) fn cancel(app: &mut App, fx: &mut Vec<Effect>) {
    if let Some(r) = app.form.resolving.take() {
        fx.push(Effect::Cancel { generation: r.generation });
        app.flash("Customer lookup cancelled.");
    }
    if let Some(f) = app.case.results.in_flight.take() {
        fx.push(Effect::Cancel { generation: f.generation });
        app.flash("Request cancelled.");
    }
    // The reads beside it (the targets, the bills, the verdict's events) go too.
    let beside = [
        app.case.targets_pending.take().map(|p| p.generation),
        app.case.bills_pending.take(),
        app.case.verdict_run.take().map(|r| r.generation),
    ];
    for generation in beside.into_iter().flatten() {
        fx.push(Effect::Cancel { generation });
        app.case.verdict_wanted = None;
    }
    if let Some(run) = app.case.all_run.take() {
        fx.push(Effect::Cancel { generation: run.generation });
        app.flash(&format!(
            "Fetch-all cancelled after {} of {} pages; the table is as it was.",
            run.pages_done, run.pages
        ));
    }
}

pub(crate) fn next_page(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(q) = app.base_query() else {
        return app.flash_no_query();
    };
    match app.known_pages() {
        Some(n) if q.page + 1 >= n => app.flash(&format!("Already on the last page (page {n} of {n}).")),
        _ => request(app, q.at_page(q.page + 1), false, false, fx),
    }
}

/// Shows `query` from the cache, or asks the runtime to fetch it.
pub(crate) fn request(app: &mut App, query: EventsQuery, focus_table: bool, fresh: bool, fx: &mut Vec<Effect>) {
    // Every page is on its way (`a`, the verdict, the summary): a page shown
    // meanwhile would race it for the table, and whichever came last would
    // win. A new query (which stops the run) is the way past it.
    if app.case.all_run.is_some() {
        let esc = crate::explorer::app::keys::key_of(
            &app.keymap,
            crate::explorer::app::screen::Owner::Table,
            crate::explorer::app::Action::Cancel,
        );
        return app.flash(&format!("Every page is being fetched: ask for a page once it is in ({esc} cancels it)."));
    }
    if let Some(old) = app.case.results.in_flight.take() {
        fx.push(Effect::Cancel { generation: old.generation });
    }
    if !fresh && let Some(hit) = app.case.results.cache.get(&query).cloned() {
        app.case.results.last_request = Some(LastRequest {
            elapsed: hit.meta.elapsed,
            request_id: hit.meta.request_id,
            status: Some(hit.meta.status),
        });
        app.case.results.error = None;
        show(app, query, hit.outcome, focus_table);
        prefetch_next(app, fx);
        return;
    }
    app.generation += 1;
    let generation = app.generation;
    app.case.results.in_flight = Some(InFlight { generation, query, focus_table, fresh });
    // A prefetch of this very page is under way: wait for it instead.
    if fresh || !app.case.results.prefetching.contains(&query) {
        fx.push(Effect::Fetch { generation, query });
    }
}

pub(crate) fn remember(app: &mut App, query: EventsQuery, fetched: &Fetched<EventsOutcome>) {
    if app.case.results.cache.len() >= CACHE_PAGES {
        app.case.results.cache.clear();
    }
    app.case
        .results
        .cache
        .insert(query, CachedPage { outcome: Arc::new(fetched.value.clone()), meta: fetched.meta.clone() });
}

pub(crate) fn finish(
    app: &mut App,
    query: EventsQuery,
    elapsed: std::time::Duration,
    result: Result<Fetched<EventsOutcome>, ApiError>,
    focus_table: bool,
    fx: &mut Vec<Effect>,
) {
    match result {
        Ok(fetched) => {
            let elapsed = if elapsed.is_zero() { fetched.meta.elapsed } else { elapsed };
            app.case.results.last_request = Some(LastRequest {
                elapsed,
                request_id: fetched.meta.request_id.clone(),
                status: Some(fetched.meta.status),
            });
            remember(app, query, &fetched);
            app.case.results.error = None;
            for field in &mut app.form.inputs {
                field.api_error = None;
            }
            let no_events = matches!(fetched.value, EventsOutcome::NoEvents { .. });
            show(app, query, Arc::new(fetched.value), focus_table);
            prefetch_next(app, fx);
            if no_events && query.page == 0 {
                app.ask(crate::explorer::app::action::Ask::CheckRule {
                    user_id: query.user_id,
                    rule_id: query.rule_id,
                });
            }
            if query.page == 0 {
                app.ask(crate::explorer::app::action::Ask::RememberRecent(query));
            }
            // The customer's targets, once per case, in the background: the
            // table's ⇄ needs their periods, and the verdict's bills their days.
            if !no_events && app.case.targets.is_none() && app.case.targets_pending.is_none() {
                app.read_targets(query.user_id, fx);
            }
        }
        Err(e) => {
            app.case.results.last_request =
                Some(LastRequest { elapsed, request_id: e.request_id.clone(), status: e.status });
            // No customer has the digits typed as id: they may be a mobile.
            if crate::core::customer::is_unknown_customer(&e)
                && app.try_as_mobile(crate::explorer::app::state::AfterLookup::Submit, fx)
            {
                return;
            }
            match (crate::explorer::app::Field::blamed(&e), e.code()) {
                (Some(field), Some(code)) => {
                    let message = e.server_message().unwrap_or_default().to_string();
                    app.field_mut(field).api_error = Some((code, message));
                    app.form.focus = Focus::Input(field);
                    app.case.results.error = None;
                }
                _ => {
                    app.case.results.error = Some(e);
                    app.case.results.failed = Some(query);
                }
            }
        }
    }
}

pub(crate) fn show(app: &mut App, query: EventsQuery, outcome: Arc<EventsOutcome>, focus_table: bool) {
    show_with(app, Shown { query, outcome, all: None }, focus_table);
}

pub(crate) fn show_with(app: &mut App, shown: Shown, focus_table: bool) {
    let same = app
        .case
        .results
        .shown
        .as_ref()
        .is_some_and(|s| s.query == shown.query && s.all.is_none() && shown.all.is_none());
    app.case.results.shown = Some(shown);
    if !same {
        app.case.results.table = Default::default();
        app.case.results.detail.scroll = 0;
    }
    app.rebuild_view();
    if focus_table {
        app.form.focus = Focus::Table;
    }
}

pub(crate) fn prefetch_next(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(shown) = &app.case.results.shown else { return };
    if !matches!(&*shown.outcome, EventsOutcome::Page(_)) || shown.info().is_last() {
        return;
    }
    let next = shown.query.at_page(shown.query.page + 1);
    if !app.case.results.cache.contains_key(&next) && !app.case.results.prefetching.contains(&next) {
        app.case.results.prefetching.push(next);
        fx.push(Effect::Prefetch { query: next });
    }
}
