//! The verdict panel (`e`): why the current query's target was or was not
//! reached, per period. It needs the customer's targets and every event of
//! the rule (all periods: events move between neighbours), so it looks them
//! up — the targets once per customer, the events with a fetch-all — and
//! computes when both are there.

use chrono::NaiveDateTime;

use super::action::Effect;
use super::screen::{Layer, Panel};
use super::state::{AllRun, App};
use crate::api::EventsQuery;
use crate::core::verdict::{PeriodVerdict, verdicts};

/// What the panel shows.
#[derive(Clone, Debug)]
pub struct VerdictPanel {
    pub user_id: i64,
    pub rule_id: i64,
    pub periods: Vec<PeriodVerdict>,
    /// The period shown in detail.
    pub selected: usize,
    /// The notable event under the cursor, in the selected period's list.
    pub event: usize,
    /// Whether j/k move through the events rather than the periods.
    pub in_events: bool,
}

/// A verdict waiting for the targets or the events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerdictWanted {
    pub user_id: i64,
    pub rule_id: i64,
    /// The period the query named, shown first.
    pub period_id: Option<i64>,
}

impl App {
    /// `e`: opens the verdict for the current query, or closes it.
    pub(super) fn toggle_verdict(&mut self, fx: &mut Vec<Effect>) {
        if self.screen.main() == Some(Panel::Verdict) {
            // A refresh on its way (while watching) must not reopen it.
            self.workflow.verdict_wanted = None;
            self.screen.remove(Panel::Verdict);
            return;
        }
        let Some(q) = self.base_query().or_else(|| self.query_from_inputs()) else {
            return self.flash("Enter a customer and a target rule first: the verdict is about their target.");
        };
        self.want_verdict(q.user_id, q.rule_id, q.period_id, fx);
    }

    /// Asks for the verdict of a customer's rule, opening on `period_id`.
    pub(super) fn want_verdict(&mut self, user_id: i64, rule_id: i64, period_id: Option<i64>, fx: &mut Vec<Effect>) {
        self.workflow.verdict_wanted = Some(VerdictWanted { user_id, rule_id, period_id });
        self.advance_verdict(fx);
    }

    /// Takes the next step towards the wanted verdict: the targets, then
    /// every event of the rule, then the verdict itself.
    pub(super) fn advance_verdict(&mut self, fx: &mut Vec<Effect>) {
        let Some(want) = self.workflow.verdict_wanted else { return };
        if !self.workflow.targets.contains_key(&want.user_id) {
            if self.workflow.targets_pending.is_none_or(|(_, u)| u != want.user_id) {
                self.generation += 1;
                self.workflow.targets_pending = Some((self.generation, want.user_id));
                fx.push(Effect::LoadTargets { generation: self.generation, user_id: want.user_id });
            }
            return;
        }
        let every_event = self.results.shown.as_ref().is_some_and(|s| {
            s.all.is_some()
                && s.query.user_id == want.user_id
                && s.query.rule_id == want.rule_id
                && s.query.period_id.is_none()
        });
        if !every_event {
            if self.workflow.all_run.is_none() {
                let query =
                    EventsQuery { user_id: want.user_id, rule_id: want.rule_id, period_id: None, limit: 1, page: 0 };
                self.generation += 1;
                let generation = self.generation;
                self.workflow.all_run =
                    Some(AllRun { generation, query, pages: 0, pages_done: 0, events: 0, retries: 0 });
                fx.push(Effect::FetchAll { generation, query });
            }
            return;
        }
        self.workflow.verdict_wanted = None;
        let groups = self.workflow.targets.get(&want.user_id).cloned().unwrap_or_default();
        let targets: Vec<_> = groups.iter().flat_map(|g| &g.targets).collect();
        let now = self.now();
        let periods = verdicts(&targets, want.rule_id, None, self.events(), now);
        if periods.is_empty() {
            return self.warn(&format!("Customer {} has no target with rule {}.", want.user_id, want.rule_id));
        }
        let selected = want.period_id.and_then(|p| periods.iter().position(|v| v.period_id == p)).unwrap_or(0);
        let panel = VerdictPanel {
            user_id: want.user_id,
            rule_id: want.rule_id,
            periods,
            selected,
            event: 0,
            in_events: false,
        };
        match self.screen.verdict_mut() {
            // A refresh (while watching) keeps its place in the stack.
            Some(open) if open.user_id == panel.user_id && open.rule_id == panel.rule_id => *open = panel,
            _ => self.screen.push(Layer::Verdict(panel)),
        }
    }

    /// The clock the verdict counts days left with (fixed in tests).
    pub fn now(&self) -> NaiveDateTime {
        self.chrome.clock.unwrap_or_else(|| chrono::Local::now().naive_local())
    }
}

impl App {
    pub(super) fn verdict_switch(&mut self) {
        if let Some(v) = self.screen.verdict_mut() {
            v.in_events = !v.in_events;
        }
    }

    /// Moves through the periods, or through the selected period's events.
    pub(super) fn verdict_move(&mut self, delta: isize) {
        let Some(v) = self.screen.verdict_mut() else { return };
        let (at, len) = if v.in_events {
            let n = v.periods.get(v.selected).map_or(0, |p| crate::core::verdict::report::notable(p).len());
            (&mut v.event, n)
        } else {
            (&mut v.selected, v.periods.len())
        };
        *at = (*at as isize).saturating_add(delta).clamp(0, len.saturating_sub(1) as isize) as usize;
        if !v.in_events {
            v.event = 0;
        }
    }

    /// Enter on a listed event: the panel closes on the table with it selected.
    pub(super) fn verdict_open_event(&mut self) {
        let Some(v) = self.screen.verdict() else { return };
        let Some(id) = v
            .periods
            .get(v.selected)
            .and_then(|p| crate::core::verdict::report::notable(p).get(v.event).map(|(e, _)| e.event_log_id))
        else {
            return self.flash("Tab to the events, then Enter selects one in the table.");
        };
        // The filter could hide it: it is cleared so the event is there.
        self.results.filter = Default::default();
        self.rebuild_view();
        let events = self.events();
        match self.results.view.iter().position(|&i| events.get(i as usize).is_some_and(|e| e.event_log_id == id)) {
            Some(row) => {
                // Every panel over the table closes: the event is the answer.
                self.screen.clear();
                self.results.table.selected = row;
                self.form.focus = super::Focus::Table;
            }
            None => self.flash(&format!("Event {id} is not among the loaded events.")),
        }
    }
}

impl App {
    /// The verdict as a Markdown case note: the customer (and what found
    /// them), the target, the verdicts, and every request made with its
    /// request id and a cURL line without any secret.
    pub fn case_note(&self) -> Option<String> {
        use crate::core::case_note::{NoteFacts, report};
        let v = self.screen.verdict()?;
        let found = self.resolved_customer().filter(|(_, id)| *id == v.user_id).map(|(c, _)| c);
        let mut requests: Vec<&crate::api::ResponseMeta> =
            found.as_ref().and_then(|c| self.workflow.lookup_requests.get(c)).into_iter().collect();
        requests.extend(self.workflow.target_requests.get(&v.user_id));
        if let Some(all) = self.results.shown.as_ref().and_then(|s| s.all.as_ref()) {
            requests.extend(all.requests.iter());
        }
        let groups = self.workflow.targets.get(&v.user_id).map_or(&[][..], |g| g.as_slice());
        let facts = NoteFacts {
            user_id: v.user_id,
            found_by: found.map(|c| c.to_string()),
            rule_id: v.rule_id,
            groups,
            periods: v.periods.clone(),
            requests,
            now: self.now(),
        };
        Some(report(facts, &self.chrome.connection).markdown())
    }
}
