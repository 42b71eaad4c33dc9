//! The verdict in brief, for a row of a batch: reached or not, how much
//! short, the returns, and the events dated in the period but counted in
//! another that alone would have reached it.
//!
//! [`Brief::of`] reads it off a full [`PeriodVerdict`]. [`RuleTally`] gets
//! the same answer while the rule's events stream past, page by page, keeping
//! a few numbers per period instead of the events: a period of 100,000
//! events costs a batch no more memory than one of ten. A property test
//! holds the two to the same answer, with the bills as without.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::bills_brief::{BillsBrief, BillsReading, BillsTally};
use super::window::{Placement, Window};
use super::{Enrolment, Outcome, PeriodVerdict, parse_day, placement};
use crate::api::model::{EventKind, Money, TargetEvent, UserTarget};
use crate::reconcile::PeriodFacts;

/// The most events a brief names as "would have reached it" (smallest first);
/// `would_have_reached_count` says how many there were.
pub const MAX_NAMED: usize = 10;

/// How a period stands, in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Standing {
    Reached,
    NotReached,
    /// The current period, not reached yet, with days left.
    InProgress,
    /// The target has no value to reach.
    NoTarget,
}

impl Standing {
    pub fn word(self) -> &'static str {
        match self {
            Standing::Reached => "reached",
            Standing::NotReached => "not reached",
            Standing::InProgress => "in progress",
            Standing::NoTarget => "no target",
        }
    }
}

/// The verdict of one period in a few fields (money as exact strings in JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Brief {
    pub standing: Standing,
    /// What is missing, when not reached (absent when it cannot be exact).
    pub short_by: Option<Money>,
    /// The period's returns, summed (zero when none).
    pub returns_total: Option<Money>,
    /// Events counted in the period.
    pub events_counted: usize,
    /// Events dated in the period but counted in another.
    pub counted_elsewhere: usize,
    /// Of those, the ones that alone would have covered the shortfall:
    /// their eventLogIds, smallest value first, at most [`MAX_NAMED`].
    pub would_have_reached: Vec<i64>,
    /// How many such events there were in all.
    pub would_have_reached_count: usize,
    /// The period's bills in brief, when they were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bills: Option<BillsBrief>,
}

impl Brief {
    /// The brief of a full verdict.
    pub fn of(v: &PeriodVerdict) -> Brief {
        let short_by = match v.outcome {
            Outcome::NotReached { short_by } => short_by,
            _ => None,
        };
        let (would_have_reached, would_have_reached_count) =
            covering(v.counted_elsewhere.iter().map(|e| (e.value, e.event_log_id)), short_by);
        let standing = match v.outcome {
            Outcome::Reached { .. } | Outcome::ReachedByApi => Standing::Reached,
            Outcome::NoTarget => Standing::NoTarget,
            Outcome::NotReached { .. } if v.current && v.days_left != Some(0) => Standing::InProgress,
            Outcome::NotReached { .. } => Standing::NotReached,
        };
        Brief {
            standing,
            short_by,
            returns_total: v.returns_total,
            events_counted: v.events_count,
            counted_elsewhere: v.counted_elsewhere.len(),
            would_have_reached,
            would_have_reached_count,
            bills: v.bills.as_ref().map(BillsBrief::of),
        }
    }

    /// The eventLogIds that would have reached it, space-separated ("+N more" past the named).
    pub fn would_have_reached_text(&self) -> String {
        let mut ids = self.would_have_reached.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ");
        let more = self.would_have_reached_count.saturating_sub(self.would_have_reached.len());
        if more > 0 {
            ids.push_str(&format!(" +{more} more"));
        }
        ids
    }
}

/// Of the moved events (value, eventLogId), those that alone cover
/// `short_by`: the first [`MAX_NAMED`] ids, smallest value first, and how many.
fn covering(moved: impl Iterator<Item = (Money, i64)>, short_by: Option<Money>) -> (Vec<i64>, usize) {
    let Some(short_by) = short_by else { return (Vec::new(), 0) };
    let mut covering: Vec<(Money, i64)> = moved.filter(|(value, _)| value.0 >= short_by.0).collect();
    covering.sort();
    let count = covering.len();
    (covering.into_iter().take(MAX_NAMED).map(|(_, id)| id).collect(), count)
}

/// One period's running figures.
#[derive(Clone, Debug)]
struct PeriodTally {
    period_id: i64,
    end: Option<NaiveDate>,
    /// The bounds events are placed against (instants where given).
    window: Window,
    current: bool,
    target: Option<Money>,
    achieved: Option<Money>,
    /// None once the sum overflowed what an exact decimal holds.
    sum: Option<Money>,
    count: usize,
    returns_total: Option<Money>,
    counted_elsewhere: usize,
    /// What a moved event must cover, when known before the events (the
    /// API's achieved value); then only events that do are kept.
    needed: Option<Money>,
    /// Moved events that may cover the shortfall: (value, eventLogId).
    candidates: Vec<(Money, i64)>,
    enrolment: Enrolment,
    /// Something dated before the enrolment counted here.
    counted_before_enrolment: bool,
}

/// The briefs of a rule's periods, built from its events as they arrive.
#[derive(Clone, Debug)]
pub struct RuleTally {
    rule_id: i64,
    periods: Vec<PeriodTally>,
    /// The periods' targets, for the bills (only with them).
    targets: Vec<UserTarget>,
    bills: Option<BillsTally>,
}

impl RuleTally {
    /// The periods of `rule_id` among a customer's targets.
    pub fn new<'a>(targets: impl IntoIterator<Item = &'a UserTarget>, rule_id: i64) -> RuleTally {
        let targets: Vec<UserTarget> = targets.into_iter().filter(|t| t.target_rule_id == rule_id).cloned().collect();
        let periods = targets
            .iter()
            .map(|t| {
                let target = t.target_value;
                let needed = match (target, t.target_achieved_value) {
                    (Some(v), Some(a)) if v.0 > a.0 => v.checked_add(Money(-a.0)),
                    _ => None,
                };
                PeriodTally {
                    period_id: t.period_id.unwrap_or_default(),
                    end: parse_day(t.period_end_date.as_deref()),
                    window: Window::of(t),
                    current: t.current_period.unwrap_or(false),
                    target,
                    achieved: t.target_achieved_value,
                    sum: Some(super::zero_for(t)),
                    count: 0,
                    returns_total: Some(super::zero_for(t)),
                    counted_elsewhere: 0,
                    needed,
                    candidates: Vec::new(),
                    enrolment: Enrolment::of(t),
                    counted_before_enrolment: false,
                }
            })
            .collect();
        RuleTally { rule_id, periods, targets, bills: None }
    }

    /// Tells each period's bills too, from those read for the customer.
    pub fn with_bills(mut self, reading: BillsReading) -> RuleTally {
        self.bills = Some(BillsTally::new(reading));
        self
    }

    /// Counts a page of events (each event once: the fetch drops repeats).
    pub fn add(&mut self, events: &[TargetEvent]) {
        for e in events.iter().filter(|e| e.target_rule_id == self.rule_id) {
            if let Some(bills) = &mut self.bills {
                bills.add(e);
            }
            for p in &mut self.periods {
                if e.period_id == p.period_id {
                    p.count += 1;
                    p.counted_before_enrolment |= p.enrolment.after(e);
                    p.sum = p.sum.and_then(|s| s.checked_add(e.target_value));
                    if e.kind() == EventKind::Return || e.target_value.is_negative() {
                        p.returns_total = p.returns_total.and_then(|s| s.checked_add(e.target_value));
                    }
                } else if placement(e, &p.window) == Some(Placement::Inside) {
                    p.counted_elsewhere += 1;
                    // Without the API's figure the shortfall is known only at
                    // the end: keep every moved event's value and id (16 bytes).
                    if p.needed.is_none_or(|n| e.target_value.0 >= n.0) {
                        p.candidates.push((e.target_value, e.event_log_id));
                    }
                }
            }
        }
    }

    /// The brief of each period, by periodId. `now` is the clock, for whether
    /// a current period has days left.
    pub fn finish(self, now: NaiveDateTime) -> Vec<(i64, Brief)> {
        let (targets, bills) = (self.targets, self.bills);
        self.periods
            .into_iter()
            .zip(targets)
            .map(|(p, target)| {
                let have = p.achieved.or(p.sum);
                let (standing, short_by) = match p.target {
                    None => (Standing::NoTarget, None),
                    Some(t) if t.0 <= rust_decimal::Decimal::ZERO => (Standing::NoTarget, None),
                    // The running total ends at or past the target exactly
                    // when it crossed it for good (see `period_verdict`).
                    Some(t) if p.sum.is_some_and(|s| s.0 >= t.0) || have.is_some_and(|h| h.0 >= t.0) => {
                        (Standing::Reached, None)
                    }
                    Some(t) => {
                        let short_by = match have {
                            Some(h) => t.checked_add(Money(-h.0)),
                            None => Some(t),
                        };
                        let days_left = p.end.map(|end| super::days_left(end, now));
                        let standing =
                            if p.current && days_left != Some(0) { Standing::InProgress } else { Standing::NotReached };
                        (standing, short_by)
                    }
                };
                let (would_have_reached, would_have_reached_count) = covering(p.candidates.into_iter(), short_by);
                let facts = PeriodFacts {
                    period_id: p.period_id,
                    have,
                    target: p.target,
                    short_by,
                    counted_before_enrolment: p.counted_before_enrolment,
                };
                let brief = Brief {
                    standing,
                    short_by,
                    returns_total: p.returns_total,
                    events_counted: p.count,
                    counted_elsewhere: p.counted_elsewhere,
                    would_have_reached,
                    would_have_reached_count,
                    bills: bills.as_ref().map(|b| b.brief(&target, facts)),
                };
                (p.period_id, brief)
            })
            .collect()
    }
}
