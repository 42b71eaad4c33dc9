//! The bills in brief, for a row of a batch: how many bills dated in the
//! period did not count, their amount, and the bill (or the fewest bills)
//! that would have reached the target.
//!
//! [`BillsBrief::of`] reads it off a period's [`BillsStory`]. [`BillsTally`]
//! gets the same while the rule's events stream past: it keeps only the
//! events that may have become one of the bills read (the bill's id, or a
//! purchase within a minute of one) and the unenrolments, which are all the
//! reconciliation ever looks at, so a batch's memory grows with the bills,
//! not with the events.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::api::bills::Bill;
use crate::api::model::{EventKind, Money, TargetEvent, UserTarget};
use crate::reconcile::{self, BillsStory, PeriodFacts};

/// The most events a tally keeps to match bills with (each within a minute
/// of a bill or carrying a bill's id); past it the brief says it is partial.
pub const MAX_KEPT_EVENTS: usize = 100_000;

/// A bill named in a brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedBill {
    pub id: i64,
    pub number: String,
    pub amount: Option<Money>,
}

impl NamedBill {
    /// "B-118 (id 896977973)", or "id 896977973" without a number.
    pub fn named(&self) -> String {
        if self.number.is_empty() { format!("id {}", self.id) } else { format!("{} (id {})", self.number, self.id) }
    }
}

/// A period's bills in a few fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillsBrief {
    /// Bills dated in the period that did not count (absent when the bills
    /// could not be read).
    pub uncounted: Option<usize>,
    /// Their amounts summed, exact (absent when one could not be held exactly).
    pub uncounted_amount: Option<Money>,
    /// The uncounted bill that alone would have reached the target, or, when
    /// none would alone, the fewest that together would.
    pub would_have_reached: Vec<NamedBill>,
    /// Why the bills are not all known: could not be read (with the request
    /// id), or read in part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Bills dated in the period that counted in another one: how many,
    /// the hours of the day they were made in (first, last) and their stores.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub late: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_hours: Option<(u8, u8)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub late_stores: Vec<String>,
    /// The uncounted bills by store, the store with most first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncounted_stores: Vec<StoreBills>,
    /// Of the uncounted bills, those made before the customer's enrolment.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub before_enrolment: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A store's uncounted bills in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreBills {
    /// The store's code as the bills give it ("" when they give none).
    pub store: String,
    pub bills: usize,
    /// Their amounts summed (absent when one is not exact).
    pub amount: Option<Money>,
}

/// The most stores a brief names.
const MAX_STORES: usize = 5;

impl BillsBrief {
    pub fn of(story: &BillsStory) -> BillsBrief {
        if let Some(why) = &story.unread {
            return BillsBrief { note: Some(format!("the bills could not be read: {why}")), ..BillsBrief::default() };
        }
        let uncounted: Vec<_> = story.not_counted().filter(|l| l.inside).collect();
        let uncounted_amount =
            uncounted.iter().map(|l| l.bill.amount).try_fold(Money::ZERO, |acc, a| acc.checked_add(a?));
        let named = |b: &reconcile::BillRef| NamedBill { id: b.id, number: b.number.clone(), amount: b.amount };
        let would_have_reached = match &story.would_have_reached {
            Some(b) => vec![named(b)],
            None => story.together.iter().map(named).collect(),
        };
        // Bills dated in the period and counted in another: late.
        let late: Vec<_> = story
            .lines
            .iter()
            .filter(|l| l.inside && matches!(l.fate, reconcile::Fate::CountedElsewhere { .. }))
            .collect();
        let hours = late.iter().filter_map(|l| l.bill.hour);
        let late_hours = hours.clone().min().zip(hours.max());
        let mut late_stores: Vec<String> = late.iter().filter_map(|l| l.bill.store.clone()).collect();
        late_stores.sort();
        late_stores.dedup();
        late_stores.truncate(MAX_STORES);
        // The uncounted ones by store, most bills first, ties by name.
        let mut stores: Vec<StoreBills> = Vec::new();
        for l in &uncounted {
            let name = l.bill.store.clone().unwrap_or_default();
            let at = match stores.iter().position(|s| s.store == name) {
                Some(i) => i,
                None => {
                    stores.push(StoreBills { store: name, bills: 0, amount: Some(Money::ZERO) });
                    stores.len() - 1
                }
            };
            let s = &mut stores[at];
            s.bills += 1;
            s.amount = s.amount.zip(l.bill.amount).and_then(|(a, b)| a.checked_add(b));
        }
        stores.sort_by(|a, b| b.bills.cmp(&a.bills).then_with(|| a.store.cmp(&b.store)));
        stores.truncate(MAX_STORES);
        let before_enrolment = uncounted
            .iter()
            .filter(|l| matches!(l.fate, reconcile::Fate::NotCounted(reconcile::Why::BeforeEnrolment { .. })))
            .count();
        BillsBrief {
            uncounted: Some(uncounted.len()),
            uncounted_amount,
            would_have_reached,
            note: story.incomplete.as_ref().map(|why| format!("not every bill could be read: {why}")),
            late: late.len(),
            late_hours,
            late_stores,
            uncounted_stores: stores,
            before_enrolment,
        }
    }

    /// The bill that would have reached the target, for a cell: "B-118 (id
    /// 896977973)", or bills joined with "+" when only together.
    pub fn would_have_reached_text(&self) -> String {
        self.would_have_reached.iter().map(NamedBill::named).collect::<Vec<_>>().join(" + ")
    }
}

/// The bills read for a batch's customer, or why they could not be.
#[derive(Clone, Debug)]
pub enum BillsReading {
    Read { bills: Arc<[Bill]>, incomplete: Option<String> },
    Unread(String),
}

/// The bills' side of a [`super::brief::RuleTally`].
#[derive(Clone, Debug)]
pub(super) struct BillsTally {
    reading: BillsReading,
    /// The bills' ids, as an event's uniqueId names them.
    ids: HashSet<String>,
    /// The minutes the bills were made in.
    minutes: HashSet<i64>,
    /// The events reconciliation may look at, in the order they came.
    kept: Vec<TargetEvent>,
    /// More such events came than are kept.
    overflow: bool,
}

impl BillsTally {
    pub(super) fn new(reading: BillsReading) -> BillsTally {
        let (mut ids, mut minutes) = (HashSet::new(), HashSet::new());
        if let BillsReading::Read { bills, .. } = &reading {
            for b in bills.iter() {
                ids.insert(b.id.to_string());
                if let Some(t) = reconcile::minute_of_bill(b) {
                    minutes.insert(reconcile::minute_key(t));
                }
            }
        }
        BillsTally { reading, ids, minutes, kept: Vec::new(), overflow: false }
    }

    /// Keeps `e` when a bill may be it, or when it is an unenrolment.
    pub(super) fn add(&mut self, e: &TargetEvent) {
        let near = || {
            reconcile::may_be_a_bill(e)
                && reconcile::minute_of_event(e)
                    .is_some_and(|t| (-1..=1).any(|d| self.minutes.contains(&(reconcile::minute_key(t) + d))))
        };
        if self.ids.contains(e.unique_id.trim()) || e.kind() == EventKind::Unenrol || near() {
            if self.kept.len() < MAX_KEPT_EVENTS {
                self.kept.push(e.clone());
            } else {
                self.overflow = true;
            }
        }
    }

    /// The brief of one period of `target`.
    pub(super) fn brief(&self, target: &UserTarget, facts: PeriodFacts) -> BillsBrief {
        let (bills, incomplete) = match &self.reading {
            BillsReading::Unread(why) => return BillsBrief::of(&BillsStory::unread(why.clone())),
            BillsReading::Read { bills, incomplete } => (bills, incomplete),
        };
        let mine = reconcile::period_bills(bills, &self.kept, target);
        let name = |p: i64| super::period_name(None, p);
        let (mut story, _) = reconcile::story(&mine, &self.kept, target, facts, &name);
        story.incomplete = match (incomplete, self.overflow) {
            (Some(why), _) => Some(why.clone()),
            (None, true) => Some(format!("more than {MAX_KEPT_EVENTS} events lay near the bills to match")),
            (None, false) => None,
        };
        BillsBrief::of(&story)
    }
}
