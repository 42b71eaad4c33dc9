//! The customer being served: one value holding everything read or made for
//! them — the events query and its pages, their targets and when those were
//! read, every event of the verdict's rule, the fetch-all, the watch, a
//! verdict on its way. A new customer, by any route (typed, pasted, the
//! recent list, a batch row, a profile switch), replaces it whole in
//! [`App::new_case`], so nothing of the last caller stays on screen or
//! answers a key.

use std::sync::Arc;

use chrono::NaiveDateTime;

use super::action::Effect;
use super::state::{AllRun, App, Results};
use crate::api::ResponseMeta;
use crate::api::model::{TargetEvent, UserTargetGroup};
use crate::explorer::features::verdict::state::VerdictWanted;
use crate::explorer::features::watch::state::Watch;

#[derive(Clone, Debug)]
pub struct Case {
    /// The events query, its pages and how the table views them.
    pub results: Results,
    /// A fetch-all under way for the table.
    pub all_run: Option<AllRun>,
    /// A fetch-all under way for the verdict (every event of its rule).
    pub verdict_run: Option<AllRun>,
    /// The customer's targets as last read.
    pub targets: Option<Targets>,
    /// A read of the targets under way.
    pub targets_pending: Option<PendingTargets>,
    /// The target group of the last target picked, for the period picker.
    pub group_id: Option<i64>,
    /// "No events" answered for a rule: whether the customer has a target
    /// with it is checked when their targets arrive: (generation, userId, rule).
    pub rule_check: Option<(u64, i64, i64)>,
    /// Watching the query live, when on.
    pub watch: Option<Watch>,
    /// A verdict waiting for the targets or the events.
    pub verdict_wanted: Option<VerdictWanted>,
    /// Every event of the verdict's rule, read for it apart from the table,
    /// so opening the verdict never changes the query beneath it.
    pub rule_events: Option<RuleEvents>,
    /// When the watch last saw an event arrive: a figure read before it is
    /// out of date.
    pub last_arrival: Option<NaiveDateTime>,
    /// The customer's bills, read for the verdict.
    pub bills: Option<BillsCase>,
    /// A read of the bills under way: its generation.
    pub bills_pending: Option<u64>,
}

/// The bills read for the verdict, or why they could not be.
#[derive(Clone, Debug)]
pub struct BillsCase {
    pub user_id: i64,
    pub read: Result<Arc<crate::api::bills::BillsRead>, String>,
    /// The request that failed, when they could not be read: the case note lists it.
    pub failed: Option<crate::api::ResponseMeta>,
}

/// A read of a customer's targets under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingTargets {
    pub generation: u64,
    pub user_id: i64,
    /// When it was asked: the answer is at least this fresh.
    pub asked_at: NaiveDateTime,
}

/// A customer's targets (achieved values, milestones, enrolment) as read.
#[derive(Clone, Debug)]
pub struct Targets {
    pub user_id: i64,
    pub groups: Arc<Vec<UserTargetGroup>>,
    /// When they were asked for (the explorer's clock): the figures are at
    /// least this fresh.
    pub read_at: NaiveDateTime,
    /// The exchange, for the case note.
    pub meta: Option<ResponseMeta>,
}

/// Every event of one rule of the customer, all periods (events move
/// between neighbours), as read for the verdict.
#[derive(Clone, Debug)]
pub struct RuleEvents {
    pub user_id: i64,
    pub rule_id: i64,
    pub events: Arc<Vec<TargetEvent>>,
    /// When they were asked for, or last joined by a watched arrival.
    pub read_at: NaiveDateTime,
    /// Every page's exchange, for the case note.
    pub requests: Vec<ResponseMeta>,
    /// Why the events are not all there, when they are not.
    pub incomplete: Option<String>,
}

impl Case {
    pub fn new(results: Results) -> Case {
        Case {
            results,
            all_run: None,
            verdict_run: None,
            targets: None,
            targets_pending: None,
            group_id: None,
            rule_check: None,
            watch: None,
            verdict_wanted: None,
            rule_events: None,
            last_arrival: None,
            bills: None,
            bills_pending: None,
        }
    }

    /// The customer this case holds anything of.
    pub fn customer(&self) -> Option<i64> {
        let r = &self.results;
        r.in_flight
            .as_ref()
            .map(|f| f.query.user_id)
            .or_else(|| r.shown.as_ref().map(|s| s.query.user_id))
            .or_else(|| self.targets.as_ref().map(|t| t.user_id))
            .or_else(|| self.rule_events.as_ref().map(|e| e.user_id))
    }

    /// The targets, when they are `user_id`'s.
    pub fn targets_of(&self, user_id: i64) -> Option<&Targets> {
        self.targets.as_ref().filter(|t| t.user_id == user_id)
    }

    /// Whether a figure read at `at` is out of date: an event arrived since.
    pub fn stale(&self, at: NaiveDateTime) -> bool {
        self.last_arrival.is_some_and(|arrival| at < arrival)
    }

    /// The targets, when they are `user_id`'s and no event arrived since they were read.
    pub fn current_targets(&self, user_id: i64) -> Option<&Targets> {
        self.targets_of(user_id).filter(|t| !self.stale(t.read_at))
    }

    /// Every generation an answer of this case carries, to cancel them all.
    fn generations(&self) -> impl Iterator<Item = u64> + '_ {
        let r = &self.results;
        r.in_flight
            .iter()
            .map(|f| f.generation)
            .chain(self.all_run.iter().chain(&self.verdict_run).map(|a| a.generation))
            .chain(self.watch.iter().map(|w| w.generation))
            .chain(self.targets_pending.iter().map(|p| p.generation))
            .chain(self.rule_check.iter().map(|(g, _, _)| *g))
            .chain(self.bills_pending)
    }
}

impl App {
    /// Reads `user_id`'s targets again: the achieved values move with every
    /// purchase. One read at a time; one asked before the last arrival is
    /// superseded (its answer is dropped).
    pub(crate) fn read_targets(&mut self, user_id: i64, fx: &mut Vec<Effect>) {
        if self.case.targets_pending.is_some_and(|p| p.user_id == user_id && !self.case.stale(p.asked_at)) {
            return;
        }
        self.generation += 1;
        let generation = self.generation;
        self.case.targets_pending = Some(PendingTargets { generation, user_id, asked_at: self.now() });
        fx.push(Effect::LoadTargets { generation, user_id });
    }

    /// Another customer: the whole case is replaced (the page size, a
    /// setting, carries over), every request of the last one is cancelled
    /// and every panel closes. The rule and period fields are the caller's
    /// to set.
    pub(crate) fn new_case(&mut self, fx: &mut Vec<Effect>) {
        let results = Results::new(self.case.results.limit, self.case.results.max_limit);
        let old = std::mem::replace(&mut self.case, Case::new(results));
        fx.extend(old.generations().map(|generation| Effect::Cancel { generation }));
        if old.watch.is_some() {
            self.flash("Stopped watching: another customer.");
        } else if self.chrome.notice.is_some() {
            // A warning about the last customer does not stay under the new one.
            self.chrome.notice = None;
        }
        // What it held is freed off the UI thread (an empty case needs no trip).
        if old.customer().is_some() {
            fx.push(Effect::Retire(super::action::Retired(Box::new(old))));
        }
        // Answers still on their way for the last customer are dropped.
        self.generation += 1;
        self.screen.clear();
    }
}
