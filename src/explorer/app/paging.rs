//! Queries and pages: submitting, the page cache, prefetch, paging keys, and
//! showing an answer (dropping late answers to superseded requests).

use std::sync::Arc;

use super::action::Effect;
use super::state::{AfterLookup, App, CACHE_PAGES, CachedPage, Focus, InFlight, LastRequest, Shown};
use crate::api::{ApiError, EventsOutcome, EventsQuery, Fetched};

impl App {
    pub(super) fn flash_no_query(&mut self) {
        self.flash("Enter a customer id and a target rule id first, then press Enter.");
    }

    /// Whether the table shows every page of the query (a fetch-all's result).
    pub fn showing_all(&self) -> bool {
        self.results.shown.as_ref().is_some_and(|s| s.all.is_some())
    }

    /// The query navigation starts from: the one being fetched, else the one shown.
    pub fn base_query(&self) -> Option<EventsQuery> {
        self.results.in_flight.as_ref().map(|f| f.query).or_else(|| self.results.shown.as_ref().map(|s| s.query))
    }

    /// Pages in the result of the base query, when the shown page tells.
    pub fn known_pages(&self) -> Option<u32> {
        let base = self.base_query()?;
        let shown = self.results.shown.as_ref()?;
        let same = EventsQuery { page: 0, ..shown.query } == EventsQuery { page: 0, ..base };
        if same { shown.info().page_count() } else { None }
    }

    pub(super) fn submit(&mut self, fx: &mut Vec<Effect>) {
        if !self.customer_ready(AfterLookup::Submit, fx) {
            return;
        }
        match self.query_from_inputs() {
            Some(query) => self.new_query(query, fx),
            None => self.flash("Fix the marked fields first: nothing was sent."),
        }
    }

    /// A new query replaces everything under way: its page 1 is fetched for
    /// real, and a fetch-all of the old query is stopped.
    pub(super) fn new_query(&mut self, query: EventsQuery, fx: &mut Vec<Effect>) {
        if let Some(run) = self.workflow.all_run.take() {
            fx.push(Effect::Cancel { generation: run.generation });
        }
        self.results.cache.clear();
        // A warning about the old query does not outlive it, nor a watch.
        self.chrome.notice = None;
        self.results.fresh.clear();
        if let Some(w) = self.workflow.watch.take() {
            fx.push(Effect::Cancel { generation: w.generation });
        }
        // Every panel belonged to the last query: the new one starts on its table.
        self.screen.clear();
        self.workflow.verdict_wanted = None;
        self.request(query, true, true, fx);
    }

    pub(super) fn cancel(&mut self, fx: &mut Vec<Effect>) {
        if let Some(r) = self.form.resolving.take() {
            fx.push(Effect::Cancel { generation: r.generation });
            self.flash("Customer lookup cancelled.");
        }
        if let Some(f) = self.results.in_flight.take() {
            fx.push(Effect::Cancel { generation: f.generation });
            self.flash("Request cancelled.");
        }
        if let Some(run) = self.workflow.all_run.take() {
            fx.push(Effect::Cancel { generation: run.generation });
            self.flash(&format!(
                "Fetch-all cancelled after {} of {} pages; the table is as it was.",
                run.pages_done, run.pages
            ));
        }
    }

    pub(super) fn next_page(&mut self, fx: &mut Vec<Effect>) {
        let Some(q) = self.base_query() else {
            return self.flash_no_query();
        };
        match self.known_pages() {
            Some(n) if q.page + 1 >= n => self.flash(&format!("Already on the last page (page {n} of {n}).")),
            _ => self.request(q.at_page(q.page + 1), false, false, fx),
        }
    }

    /// Shows `query` from the cache, or asks the runtime to fetch it.
    pub(super) fn request(&mut self, query: EventsQuery, focus_table: bool, fresh: bool, fx: &mut Vec<Effect>) {
        if let Some(old) = self.results.in_flight.take() {
            fx.push(Effect::Cancel { generation: old.generation });
        }
        if !fresh && let Some(hit) = self.results.cache.get(&query).cloned() {
            self.results.last_request = Some(LastRequest {
                elapsed: hit.meta.elapsed,
                request_id: hit.meta.request_id,
                status: Some(hit.meta.status),
            });
            self.results.error = None;
            self.show(query, hit.outcome, focus_table);
            self.prefetch_next(fx);
            return;
        }
        self.generation += 1;
        let generation = self.generation;
        self.results.in_flight = Some(InFlight { generation, query, focus_table, fresh });
        // A prefetch of this very page is under way: wait for it instead.
        if fresh || !self.results.prefetching.contains(&query) {
            fx.push(Effect::Fetch { generation, query });
        }
    }

    pub(super) fn remember(&mut self, query: EventsQuery, fetched: &Fetched<EventsOutcome>) {
        if self.results.cache.len() >= CACHE_PAGES {
            self.results.cache.clear();
        }
        self.results
            .cache
            .insert(query, CachedPage { outcome: Arc::new(fetched.value.clone()), meta: fetched.meta.clone() });
    }

    pub(super) fn finish(
        &mut self,
        query: EventsQuery,
        elapsed: std::time::Duration,
        result: Result<Fetched<EventsOutcome>, ApiError>,
        focus_table: bool,
        fx: &mut Vec<Effect>,
    ) {
        match result {
            Ok(fetched) => {
                let elapsed = if elapsed.is_zero() { fetched.meta.elapsed } else { elapsed };
                self.results.last_request = Some(LastRequest {
                    elapsed,
                    request_id: fetched.meta.request_id.clone(),
                    status: Some(fetched.meta.status),
                });
                self.remember(query, &fetched);
                self.results.error = None;
                for field in &mut self.form.inputs {
                    field.api_error = None;
                }
                self.show(query, Arc::new(fetched.value), focus_table);
                self.prefetch_next(fx);
                if query.page == 0 {
                    self.remember_recent(query, fx);
                }
            }
            Err(e) => {
                self.results.last_request =
                    Some(LastRequest { elapsed, request_id: e.request_id.clone(), status: e.status });
                match (e.field(), e.code()) {
                    (Some(field), Some(code)) => {
                        let message = e.server_message().unwrap_or_default().to_string();
                        self.field_mut(field).api_error = Some((code, message));
                        self.form.focus = Focus::Input(field);
                        self.results.error = None;
                    }
                    _ => self.results.error = Some(e),
                }
            }
        }
    }

    pub(super) fn show(&mut self, query: EventsQuery, outcome: Arc<EventsOutcome>, focus_table: bool) {
        self.show_with(Shown { query, outcome, all: None }, focus_table);
    }

    pub(super) fn show_with(&mut self, shown: Shown, focus_table: bool) {
        let same = self
            .results
            .shown
            .as_ref()
            .is_some_and(|s| s.query == shown.query && s.all.is_none() && shown.all.is_none());
        self.results.shown = Some(shown);
        if !same {
            self.results.table = Default::default();
            self.results.detail.scroll = 0;
        }
        self.rebuild_view();
        if focus_table {
            self.form.focus = Focus::Table;
        }
    }

    pub(super) fn prefetch_next(&mut self, fx: &mut Vec<Effect>) {
        let Some(shown) = &self.results.shown else { return };
        if !matches!(&*shown.outcome, EventsOutcome::Page(_)) || shown.info().is_last() {
            return;
        }
        let next = shown.query.at_page(shown.query.page + 1);
        if !self.results.cache.contains_key(&next) && !self.results.prefetching.contains(&next) {
            self.results.prefetching.push(next);
            fx.push(Effect::Prefetch { query: next });
        }
    }
}
