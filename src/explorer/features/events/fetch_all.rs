//! Fetch-all in the explorer: starting it, its progress, and its result
//! shown as one table with what is missing said.

use std::sync::Arc;

use crate::api::fetch_all::{AllEvents, Progress, describe_pages};
use crate::api::model::{EventsPage, Pagination};
use crate::api::{ApiError, EventsOutcome, EventsQuery};
use crate::explorer::app::action::Effect;
use crate::explorer::app::state::{AllMeta, AllRun, App, Shown};
use crate::explorer::features::events::paging;

pub(crate) fn fetch_all(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(query) = app.base_query().or_else(|| app.query_from_inputs()) else {
        return app.flash(&format!("Enter a customer id and a target rule id first, {}.", app.how_to_send()));
    };
    if let Some(old) = app.case.all_run.take() {
        fx.push(Effect::Cancel { generation: old.generation });
    }
    app.generation += 1;
    let generation = app.generation;
    app.case.all_run = Some(AllRun::new(generation, query, app.now()));
    fx.push(Effect::FetchAll { generation, query });
}

pub(crate) fn all_progress(app: &mut App, generation: u64, progress: Progress) {
    let case = &mut app.case;
    let Some(run) = case.all_run.iter_mut().chain(&mut case.verdict_run).find(|r| r.generation == generation) else {
        return;
    };
    match progress {
        Progress::Planned { pages, .. } => run.pages = pages,
        Progress::Page { events, .. } => {
            run.pages_done += 1;
            run.events += events;
        }
        Progress::Retrying { .. } => run.retries += 1,
    }
}

pub(crate) fn all_done(app: &mut App, generation: u64, query: EventsQuery, result: Result<AllEvents, ApiError>) {
    if app.case.all_run.as_ref().is_none_or(|r| r.generation != generation) {
        return;
    }
    app.case.all_run = None;
    let all = match result {
        Ok(all) => all,
        Err(e) => {
            app.case.results.error = Some(e);
            return;
        }
    };
    app.case.results.error = None;
    let query = EventsQuery { page: 0, limit: all.limit, ..query };
    if let Some(message) = all.no_events {
        paging::show(app, query, Arc::new(EventsOutcome::NoEvents { message }), false);
        return;
    }
    let meta = AllMeta {
        pages: all.pages,
        pages_fetched: all.pages_fetched,
        missing: all.missing.iter().map(|m| m.page).collect(),
        duplicates: all.duplicates,
        stopped: all.stopped,
        requests: all.requests,
    };
    let count = all.events.len();
    let page = EventsPage {
        pagination: Pagination { limit: Some(u64::from(all.limit)), offset: Some(0), total: all.total },
        events: all.events,
        warnings: Vec::new(),
    };
    paging::show_with(
        app,
        Shown { query, outcome: Arc::new(EventsOutcome::Page(page)), all: Some(meta.clone()) },
        false,
    );
    if let Some(stop) = meta.stopped {
        app.warn(&format!("Loaded {count} events. {}", stop.sentence()));
    } else if meta.missing.is_empty() {
        let count = crate::core::verdict::count(count, "event", "events");
        let pages = crate::core::verdict::count(meta.pages_fetched as usize, "page", "pages");
        app.flash(&format!("Loaded all {count} from {pages}."));
    } else {
        app.warn(&format!(
            "Loaded {count} events; {} failed: their events are missing. r tries again.",
            describe_pages(&meta.missing)
        ));
    }
}
