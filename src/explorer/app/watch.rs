//! Watching a customer live (`w`): the query's last page is polled every few
//! seconds; new events join the table without moving the selection, marked
//! and announced. One poll at a time; errors back off and show in the banner
//! without stopping the watch.

use std::sync::Arc;

use chrono::NaiveDateTime;

use super::action::Effect;
use super::state::App;
use crate::api::model::{EventsPage, TargetEvent};
use crate::api::{ApiError, EventsOutcome, EventsQuery, Fetched};
use crate::core::watch_plan::{DEFAULT_INTERVAL, WatchPlan, interval_for};

/// A watch under way: the shared plan, and what the explorer adds to it.
#[derive(Clone, Debug)]
pub struct Watch {
    pub plan: WatchPlan,
    /// Which scheduled wake-up or poll is current; older ones are dropped.
    pub generation: u64,
    /// A poll is out: no second one is sent until it answers.
    pub polling: bool,
    /// When the next poll is due (for the status line).
    pub next_at: NaiveDateTime,
}

impl App {
    /// `w`: starts watching the shown query, or stops.
    pub(super) fn toggle_watch(&mut self, fx: &mut Vec<Effect>) {
        if self.workflow.watch.is_some() {
            return self.stop_watch(fx, "Stopped watching.");
        }
        let Some(shown) = &self.results.shown else {
            return self.flash("Load a customer's events first: watching adds what arrives next.");
        };
        let info = shown.info();
        // The last page is where new events land.
        let last = info.page_count().map_or(shown.query.page, |n| n.saturating_sub(1));
        let query = EventsQuery { page: last, ..shown.query };
        let seen = self.events().iter().map(|e| e.event_log_id).collect();
        // Showing another page than the last: what the last holds now is
        // learnt first, so only what arrives after counts as new.
        let learning = !self.showing_all() && query.page != shown.query.page;
        let rpm = self.chrome.connection.requests_per_minute.unwrap_or(u32::MAX);
        let interval = interval_for(DEFAULT_INTERVAL, rpm);
        let plan = WatchPlan::new(query, interval, rpm, seen, learning);
        self.generation += 1;
        let now = self.now();
        let wait = plan.first_wait();
        self.workflow.watch = Some(Watch {
            plan,
            generation: self.generation,
            polling: learning,
            next_at: now + chrono::Duration::from_std(wait).unwrap_or_default(),
        });
        fx.push(if learning {
            Effect::WatchPoll { generation: self.generation, query }
        } else {
            Effect::WatchAfter { generation: self.generation, delay: wait }
        });
        self.flash(&format!("Watching: new events are checked every {} s.", interval.as_secs()));
    }

    pub(super) fn stop_watch(&mut self, fx: &mut Vec<Effect>, why: &str) {
        if let Some(w) = self.workflow.watch.take() {
            fx.push(Effect::Cancel { generation: w.generation });
            self.flash(why);
        }
    }

    /// The wait is over: poll, unless a poll is still out.
    pub(super) fn watch_due(&mut self, generation: u64, fx: &mut Vec<Effect>) {
        let Some(w) = self.workflow.watch.as_mut().filter(|w| w.generation == generation) else { return };
        if w.polling {
            return;
        }
        w.polling = true;
        fx.push(Effect::WatchPoll { generation, query: w.plan.query });
    }

    pub(super) fn watch_polled(
        &mut self,
        generation: u64,
        result: Result<Fetched<EventsOutcome>, ApiError>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(w) = self.workflow.watch.as_mut().filter(|w| w.generation == generation) else { return };
        w.polling = false;
        let step = match result {
            Ok(fetched) => {
                let step = w.plan.answered(Ok(fetched.value.into_page()));
                // The watch answered again: an earlier error is over.
                self.results.error = None;
                step
            }
            Err(e) => {
                let step = w.plan.answered(Err(&e));
                self.results.error = Some(e);
                step
            }
        };
        let wait = step.wait;
        self.add_watched(step.fresh, step.total, fx);
        let now = self.now();
        let Some(w) = self.workflow.watch.as_mut() else { return };
        w.next_at = now + chrono::Duration::from_std(wait).unwrap_or_default();
        fx.push(Effect::WatchAfter { generation: w.generation, delay: wait });
    }

    /// New events join the shown ones (the selection stays on its event),
    /// are marked, and the last is announced; the summary and verdict follow.
    fn add_watched(&mut self, fresh: Vec<TargetEvent>, total: Option<u64>, fx: &mut Vec<Effect>) {
        if fresh.is_empty() {
            return;
        }
        let selected_id = self.selected_event_id();
        let Some(shown) = &mut self.results.shown else { return };
        let mut events: Vec<TargetEvent> = match &*shown.outcome {
            EventsOutcome::Page(p) => p.events.clone(),
            EventsOutcome::NoEvents { .. } => Vec::new(),
        };
        let announce: Vec<String> = fresh
            .iter()
            .map(|e| {
                let at = e
                    .event_date
                    .parsed
                    .map_or_else(|| e.event_date.short().into_owned(), |d| d.format("%H:%M").to_string());
                format!("{} {} at {at}", crate::sanitize::line_prefix(&e.event_name, 40), e.target_value)
            })
            .collect();
        self.results.fresh.extend(fresh.iter().map(|e| e.event_log_id));
        events.extend(fresh);
        let mut pagination = match &*shown.outcome {
            EventsOutcome::Page(p) => p.pagination,
            EventsOutcome::NoEvents { .. } => Default::default(),
        };
        // The server's count now includes what arrived.
        pagination.total = pagination.total.max(total);
        shown.outcome = Arc::new(EventsOutcome::Page(EventsPage { pagination, events, warnings: Vec::new() }));
        // Pages cached before these arrived are out of date.
        self.results.cache.clear();
        self.rebuild_view();
        if let Some(id) = selected_id
            && let Some(row) = self
                .results
                .view
                .iter()
                .position(|&i| self.events().get(i as usize).is_some_and(|e| e.event_log_id == id))
        {
            self.results.table.selected = row;
        }
        // The API's achieved values moved with these events: the summary and
        // the verdict show them, so they are asked for again.
        let user_id = self.results.shown.as_ref().map(|s| s.query.user_id);
        let showing_targets = self.screen.summary().is_some() || self.screen.verdict().is_some();
        if let Some(user_id) = user_id
            && showing_targets
            && self.workflow.targets.remove(&user_id).is_some()
            && self.screen.verdict().is_none()
        {
            self.generation += 1;
            self.workflow.targets_pending = Some((self.generation, user_id));
            fx.push(Effect::LoadTargets { generation: self.generation, user_id });
        }
        // The verdict stays on screen until the new one is ready.
        if let Some(v) = self.screen.verdict() {
            let (user_id, rule_id) = (v.user_id, v.rule_id);
            let period_id = v.periods.get(v.selected).map(|p| p.period_id);
            self.workflow.verdict_wanted = Some(super::verdict::VerdictWanted { user_id, rule_id, period_id });
            self.advance_verdict(fx);
        }
        self.flash(&format!("new: {}", announce.join(" · ")));
    }

    fn selected_event_id(&self) -> Option<i64> {
        self.selected_event().map(|e| e.event_log_id)
    }
}
