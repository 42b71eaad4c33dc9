//! The whole story of a period: every bill the customer made in it, matched
//! to the event it became, or said not to have counted and why — the signal
//! the API gives (a not-interested bill, an outlier, a return, a time outside
//! the period or before the enrolment), or plainly no signal, with the bill
//! number and id to escalate with. Pure: bills, the rule's events, the
//! period's verdict and target in; the story out. Both front ends call it.

use crate::told::Told;
use std::collections::HashSet;

use serde::Serialize;

use crate::api::bills::Bill;
use crate::api::model::{EventKind, Money, TargetEvent, UserTarget};
use crate::verdict::window::{Placement, Window, instant};
use crate::verdict::{EventRef, Outcome, PeriodVerdict, capital};

/// A bill named as evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillRef {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub amount: Option<Money>,
    /// The amount's text as sent (made safe), for when it is no exact decimal.
    pub amount_sent: String,
    /// When it was made, in the store's zone where known, with the offset.
    pub when: String,
    pub store: Option<String>,
    pub outlier_status: Option<String>,
    /// The hour it was made, in the store's zone where known (for causes).
    #[serde(skip)]
    pub hour: Option<u8>,
}

impl BillRef {
    fn of(b: &Bill) -> BillRef {
        BillRef {
            id: b.id,
            number: b.number.clone(),
            kind: b.kind.clone(),
            amount: b.amount,
            amount_sent: b.amount_text.clone(),
            when: b.when(),
            store: b.store.clone(),
            outlier_status: b.outlier_status.clone(),
            hour: b.hour(),
        }
    }

    /// "bill B-118 (id 896977973)".
    pub fn named(&self) -> String {
        if self.number.is_empty() {
            format!("bill id {}", self.id)
        } else {
            format!("bill {} (id {})", self.number, self.id)
        }
    }

    pub fn amount_text(&self) -> String {
        match self.amount {
            Some(a) => a.as_money(),
            None if self.amount_sent.is_empty() => "no amount".into(),
            None => format!("an amount that cannot be read exactly (\"{}\" as sent)", self.amount_sent),
        }
    }
}

/// How a bill was found to be an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchedBy {
    /// The event's uniqueId is the bill's id.
    Id,
    /// No id matched: the same amount (within a unit of its last decimal,
    /// which floor-rounding can take) within the same minute.
    TimeAndAmount,
}

/// Why a bill did not count, by the signal the API gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Why {
    /// Made without the loyalty number (`NOT_INTERESTED` and its kin).
    NotInterested,
    /// Marked by the platform (`outlierStatus` other than NORMAL).
    Outlier {
        status: String,
    },
    /// A return bill, not a purchase.
    Return,
    /// Returned by a credit note.
    CreditNote {
        number: String,
    },
    /// Dated outside the period, by its instant.
    OutsidePeriod,
    /// Only local times, within hours of a bound: which period is not settled.
    Unsettled,
    /// Made before the enrolment. When purchases made before it counted all
    /// the same, that is said too: then it may not be the reason.
    BeforeEnrolment {
        others_counted: bool,
    },
    /// A type the API does not document (or none): whether it counts cannot be said.
    UnknownType {
        kind: String,
    },
    AfterUnenrolment,
    /// Its amount has more digits than the tool holds exactly: it could not
    /// be matched by amount.
    AmountUnreadable,
    /// It has no time: no period can be said.
    NoTime,
    /// Nothing the API gives explains it.
    NoSignal,
}

impl Why {
    pub fn sentence(&self) -> String {
        match self {
            Why::NotInterested => "made without the loyalty number (not interested)".into(),
            Why::Outlier { status } => format!("marked {status} by the platform"),
            Why::Return => "a return bill".into(),
            Why::CreditNote { number } => format!("returned by credit note {number}"),
            Why::OutsidePeriod => "dated outside the period".into(),
            Why::Unsettled => "dated so near the period's bounds that the dates (the bill's or the period's lack an offset) cannot settle which period it belongs to".into(),
            Why::BeforeEnrolment { others_counted: false } => "made before the enrolment".into(),
            Why::BeforeEnrolment { others_counted: true } => {
                "made before the enrolment, though purchases made before it counted all the same".into()
            }
            Why::UnknownType { kind } if kind.is_empty() => {
                "it has no type, so whether it counts cannot be said".into()
            }
            Why::UnknownType { kind } => {
                format!("its type {kind} is not one the API documents, so whether it counts cannot be said")
            }
            Why::AfterUnenrolment => "made after the unenrolment".into(),
            Why::AmountUnreadable => "its amount could not be read exactly, so it could not be matched".into(),
            Why::NoTime => "it has no time, so no period can be said".into(),
            Why::NoSignal => "the API gives no reason for it".into(),
        }
    }
}

/// What happened to a bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Fate {
    CountedHere {
        event_log_id: i64,
        matched_by: MatchedBy,
    },
    CountedElsewhere {
        event_log_id: i64,
        period_id: i64,
        period_name: String,
        processed: String,
        matched_by: MatchedBy,
    },
    NotCounted(Why),
}

/// A bill and what happened to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillLine {
    pub bill: BillRef,
    pub fate: Fate,
    /// Where its time falls against the period.
    pub inside: bool,
    /// Not counted, dated in the period, the target not reached, and adding
    /// its amount to what counted reaches it.
    pub alone_reaches: bool,
    /// The same, for a bill the dates cannot settle in or out of the period.
    pub might_reach: bool,
}

/// The bills of a period, read or not.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillsStory {
    pub lines: Vec<BillLine>,
    /// Counted in this period with no bill among those read (behavioural
    /// events, bills outside the window read).
    pub events_without_bill: Vec<EventRef>,
    /// The uncounted bill that alone would have reached the target (the
    /// smallest that does).
    pub would_have_reached: Option<BillRef>,
    /// When none alone would: the fewest uncounted bills that together would.
    pub together: Vec<BillRef>,
    /// What could not be read, with its request id: nothing is claimed from it.
    pub unread: Option<String>,
    /// Why the bills read may not be all of them, when they may not.
    pub incomplete: Option<String>,
}

impl BillsStory {
    /// The bills could not be read: one sentence says so, nothing else.
    pub fn unread(sentence: String) -> BillsStory {
        BillsStory { unread: Some(sentence), ..BillsStory::default() }
    }

    pub fn not_counted(&self) -> impl Iterator<Item = &BillLine> {
        self.lines.iter().filter(|l| matches!(l.fate, Fate::NotCounted(_)))
    }

    /// Why a bill of the story did not count, when it did not. The bill
    /// whole, not its id: two bills can share an id.
    pub fn why(&self, bill: &BillRef) -> Option<&Why> {
        self.lines.iter().find(|l| l.bill == *bill).and_then(|l| match &l.fate {
            Fate::NotCounted(why) => Some(why),
            _ => None,
        })
    }

    /// The sentences the verdict says about the bills.
    pub fn sentences(&self) -> Vec<String> {
        if let Some(why) = &self.unread {
            return vec![format!("The bills could not be read: {why}. Nothing is claimed about them.")];
        }
        let mut out = Vec::new();
        if let Some(why) = &self.incomplete {
            out.push(format!("Not every bill could be read ({why}): what follows is about the bills read."));
        }
        if let Some(b) = &self.would_have_reached {
            let why = self.why(b).map_or_else(String::new, |w| format!(": {}", w.sentence()));
            let store = b.store.as_deref().map_or_else(String::new, |s| format!(" at {s}"));
            let number = if b.number.is_empty() { String::new() } else { format!(" {}", b.number) };
            out.push(format!(
                "Bill{number} of {} (id {}), {}{store}, did not count{why}; alone it would have reached the target.",
                b.amount_text(),
                b.id,
                b.when
            ));
        } else if let Some(l) = self.lines.iter().filter(|l| l.might_reach).min_by_key(|l| l.bill.amount) {
            let b = &l.bill;
            let number = if b.number.is_empty() { String::new() } else { format!(" {}", b.number) };
            out.push(format!(
                "Bill{number} of {} (id {}), {}, did not count: if it belongs to this period it alone would have reached the target, but the dates cannot settle which period it belongs to.",
                b.amount_text(),
                b.id,
                b.when
            ));
        } else if !self.together.is_empty() {
            let named: Vec<String> =
                self.together.iter().map(|b| format!("{} ({})", b.named(), b.amount_text())).collect();
            out.push(format!("{} did not count; together they would have reached the target.", named.join(", ")));
        }
        let uncounted: Vec<&BillLine> = self.not_counted().filter(|l| l.inside).collect();
        if !uncounted.is_empty() {
            // The amounts that could be read, summed; the others said apart.
            let unreadable = uncounted.iter().filter(|l| l.bill.amount.is_none()).count();
            let sum = uncounted.iter().filter_map(|l| l.bill.amount).try_fold(Money::ZERO, |acc, a| acc.checked_add(a));
            let sum = match (sum, unreadable) {
                (Some(s), 0) => s.as_money(),
                (Some(s), n) => {
                    format!(
                        "{} and {} that cannot be read exactly",
                        s.as_money(),
                        crate::verdict::count(n, "amount", "amounts")
                    )
                }
                (None, _) => "more than an exact decimal holds".into(),
            };
            let bills = crate::verdict::count(uncounted.len(), "bill", "bills");
            let none = uncounted.iter().filter(|l| matches!(l.fate, Fate::NotCounted(Why::NoSignal))).count();
            let silent = if none > 0 {
                format!(", {} with no reason the API gives", crate::verdict::count(none, "", "").trim())
            } else {
                String::new()
            };
            out.push(format!("{bills} dated in the period did not count ({sum}){silent}."));
        } else if self.lines.iter().any(|l| l.inside) {
            // Counted somewhere is not counted here: those are named apart.
            let elsewhere =
                self.lines.iter().filter(|l| l.inside && matches!(l.fate, Fate::CountedElsewhere { .. })).count();
            out.push(match elsewhere {
                0 => "Every bill read for the period counted toward it.".into(),
                n => format!(
                    "Every bill read for the period counted, {} in another period.",
                    crate::verdict::count(n, "bill", "bills").replace("1 bill", "one")
                ),
            });
        }
        let timeless = self.not_counted().filter(|l| matches!(l.fate, Fate::NotCounted(Why::NoTime))).count();
        if timeless > 0 {
            out.push(format!(
                "{} no time: which period {} belongs to cannot be said.",
                capital(&crate::verdict::count(timeless, "bill has", "bills have")),
                if timeless == 1 { "it" } else { "they" }
            ));
        }
        if !self.events_without_bill.is_empty() {
            out.push(format!(
                "{} counted here with no bill among those read ({}).",
                capital(&crate::verdict::count(self.events_without_bill.len(), "event", "events")),
                if self.incomplete.is_some() {
                    "bills not read, behavioural events, or bills outside the window read"
                } else {
                    "behavioural events, or bills outside the window read"
                }
            ));
        }
        out
    }
}

impl BillLine {
    /// What happened to it, for a table cell.
    pub fn short_fate(&self) -> String {
        match &self.fate {
            Fate::CountedHere { event_log_id, matched_by: MatchedBy::Id } => format!("counted: event {event_log_id}"),
            Fate::CountedHere { event_log_id, .. } => format!("counted: event {event_log_id} (time+amount)"),
            // The period is what matters in a cell; the event is in the story beneath.
            Fate::CountedElsewhere { period_name, .. } => format!("counted in {period_name}"),
            Fate::NotCounted(why) => match why {
                Why::NotInterested => "not counted: not interested".into(),
                Why::Outlier { status } => format!("not counted: {status}"),
                Why::Return => "not counted: a return".into(),
                Why::CreditNote { number } => format!("not counted: credit note {number}"),
                Why::OutsidePeriod => "not counted: outside the period".into(),
                Why::Unsettled => "not settled: no offset".into(),
                Why::BeforeEnrolment { .. } => "not counted: before enrolment".into(),
                Why::UnknownType { kind } if kind.is_empty() => "not counted: no type".into(),
                Why::UnknownType { kind } => format!("not counted: type {kind}?"),
                Why::AfterUnenrolment => "not counted: after unenrolment".into(),
                Why::AmountUnreadable => "amount unreadable".into(),
                Why::NoTime => "no time: no period".into(),
                Why::NoSignal => "not counted: no reason given".into(),
            },
        }
    }

    /// What happened to it, in a few words.
    pub fn fate_words(&self) -> String {
        match &self.fate {
            Fate::CountedHere { event_log_id, matched_by } => {
                format!("counted here: event {event_log_id}{}", by(*matched_by))
            }
            Fate::CountedElsewhere { event_log_id, period_name, processed, matched_by, .. } => {
                format!("counted in {period_name}: event {event_log_id}, processed {processed}{}", by(*matched_by))
            }
            Fate::NotCounted(why) => format!("not counted: {}", why.sentence()),
        }
    }
}

fn by(m: MatchedBy) -> &'static str {
    match m {
        MatchedBy::Id => "",
        MatchedBy::TimeAndAmount => " (matched by time and amount)",
    }
}

/// Whether two amounts are the same, allowing the one unit of the last
/// decimal that floor-rounding can take (38.98 may read 38.97).
pub fn same_amount(a: Money, b: Money) -> bool {
    let scale = a.0.scale().max(b.0.scale());
    let unit = rust_decimal::Decimal::new(1, scale);
    (a.0 - b.0).abs() <= unit
}

/// Whether an event may stand for a bill (a purchase or a return, not a
/// behavioural event or a membership change).
pub(crate) fn may_be_a_bill(e: &TargetEvent) -> bool {
    matches!(e.kind(), EventKind::Transaction | EventKind::Return | EventKind::Other)
}

/// The minute an event or a bill happened, as a number to look up.
pub(crate) fn minute_key(t: chrono::NaiveDateTime) -> i64 {
    t.and_utc().timestamp().div_euclid(60)
}

/// A moment to compare within a minute: the instant when there is one (in
/// UTC), else the local time as written.
pub(crate) fn minute_of_event(e: &TargetEvent) -> Option<chrono::NaiveDateTime> {
    instant(e.event_date_iso.as_deref()).map(|t| t.naive_utc()).or(e.event_date.parsed)
}

pub(crate) fn minute_of_bill(b: &Bill) -> Option<chrono::NaiveDateTime> {
    b.billed_at.map(|t| t.naive_utc()).or(b.billed_local)
}

fn within_a_minute(a: chrono::NaiveDateTime, b: chrono::NaiveDateTime) -> bool {
    (a - b).abs() < chrono::TimeDelta::minutes(1)
}

/// What reconciling a period needs of its verdict: a full [`PeriodVerdict`]
/// gives it, and so does a batch's running tally, so both tell a bill's
/// fate alike.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeriodFacts {
    pub period_id: i64,
    /// What the customer has towards the target.
    pub have: Option<Money>,
    pub target: Option<Money>,
    /// What is missing, when not reached.
    pub short_by: Option<Money>,
    /// Something dated before the enrolment counted here: then being made
    /// before it is no reason a bill did not count.
    pub counted_before_enrolment: bool,
}

impl PeriodFacts {
    pub fn of(v: &PeriodVerdict) -> PeriodFacts {
        PeriodFacts {
            period_id: v.period_id,
            have: v.have(),
            target: v.target,
            short_by: match &v.outcome {
                Outcome::NotReached { short_by } => *short_by,
                _ => None,
            },
            counted_before_enrolment: !v.before_enrolment.is_empty(),
        }
    }
}

/// The story of `v`'s period from `bills` (read for its window) and every
/// event of the rule.
/// `name_of` names a period for people ("Oct_2025 (7602)").
pub fn reconcile(
    bills: &[Bill],
    events: &[TargetEvent],
    target: &UserTarget,
    v: &PeriodVerdict,
    name_of: &dyn Fn(i64) -> String,
) -> BillsStory {
    let (mut story, matched) = story(bills, events, target, PeriodFacts::of(v), name_of);
    let period = v.period_id;
    story.events_without_bill = events
        .iter()
        .filter(|e| e.target_rule_id == target.target_rule_id)
        .filter(|e| e.period_id == period && !matched.contains(&e.event_log_id))
        .filter(|e| !matches!(e.kind(), EventKind::Enrol | EventKind::Unenrol))
        .map(EventRef::of)
        .collect();
    story
}

/// Every bill's fate and the headline bills, from the events that may have
/// become them (any others are never looked at); with the events matched.
/// Events without a bill are the caller's to say.
pub fn story(
    bills: &[Bill],
    events: &[TargetEvent],
    target: &UserTarget,
    v: PeriodFacts,
    name_of: &dyn Fn(i64) -> String,
) -> (BillsStory, HashSet<i64>) {
    let window = Window::of(target);
    let period = v.period_id;
    let rule_events: Vec<&TargetEvent> = events.iter().filter(|e| e.target_rule_id == target.target_rule_id).collect();
    // Each event is the fate of one bill at most.
    let mut taken: HashSet<i64> = HashSet::new();
    let by_id: std::collections::HashMap<&str, &TargetEvent> =
        rule_events.iter().map(|e| (e.unique_id.trim(), *e)).collect();
    // First every match by id, then by time and amount among what is left.
    let mut matched: Vec<Option<(&TargetEvent, MatchedBy)>> = bills
        .iter()
        .map(|b| {
            let e = by_id.get(b.id.to_string().as_str()).copied()?;
            taken.insert(e.event_log_id).then_some((e, MatchedBy::Id))
        })
        .collect();
    // Purchases by the minute they happened, so each bill looks at three
    // minutes' events, not all of them.
    let minute = minute_key;
    let mut by_minute: std::collections::HashMap<i64, Vec<&TargetEvent>> = std::collections::HashMap::new();
    for e in rule_events.iter().copied().filter(|e| may_be_a_bill(e) && !taken.contains(&e.event_log_id)) {
        if let Some(t) = minute_of_event(e) {
            by_minute.entry(minute(t)).or_default().push(e);
        }
    }
    for (b, m) in bills.iter().zip(matched.iter_mut()).filter(|(_, m)| m.is_none()) {
        let (Some(amount), Some(at)) = (b.amount, minute_of_bill(b)) else { continue };
        let near = (-1..=1).flat_map(|d| by_minute.get(&(minute(at) + d)).into_iter().flatten());
        let found = near.copied().find(|e| {
            !taken.contains(&e.event_log_id)
                && same_amount(e.target_value, amount)
                && minute_of_event(e).is_some_and(|t| within_a_minute(t, at))
        });
        if let Some(e) = found {
            taken.insert(e.event_log_id);
            *m = Some((e, MatchedBy::TimeAndAmount));
        }
    }
    let enrolled_at = instant(target.enrolled_on_iso.as_deref());
    let enrolled_local = target.enrolled_on.as_deref().and_then(|s| {
        chrono::DateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S%.f%z").ok().map(|d| d.naive_local())
    });
    let unenrolments: Vec<&TargetEvent> =
        rule_events.iter().copied().filter(|e| e.kind() == EventKind::Unenrol).collect();
    let have = v.have;
    let target_value = v.target.filter(|t| t.0 > rust_decimal::Decimal::ZERO);
    let short = v.short_by;
    let mut lines = Vec::with_capacity(bills.len());
    for (b, m) in bills.iter().zip(&matched) {
        let placement = window.place(b.billed_at, b.billed_local.or(b.billed_at.map(|t| t.naive_local())));
        let inside = placement == Some(Placement::Inside);
        let fate = match m {
            Some((e, by)) if e.period_id == period => {
                Fate::CountedHere { event_log_id: e.event_log_id, matched_by: *by }
            }
            Some((e, by)) => Fate::CountedElsewhere {
                event_log_id: e.event_log_id,
                period_id: e.period_id,
                period_name: name_of(e.period_id),
                processed: crate::verdict::window::shown(
                    e.event_processed_date_iso.as_deref(),
                    &e.event_processed_date.raw,
                ),
                matched_by: *by,
            },
            None => Fate::NotCounted(why_not(
                b,
                placement,
                v.counted_before_enrolment,
                enrolled_at,
                enrolled_local,
                &unenrolments,
            )),
        };
        let reaches = matches!(fate, Fate::NotCounted(_))
            && match (b.amount, have, target_value) {
                (Some(a), Some(h), Some(t)) => a.0 > rust_decimal::Decimal::ZERO && h.0 < t.0 && h.0 + a.0 >= t.0,
                _ => false,
            };
        // Only a bill settled inside the period is claimed; one the dates
        // cannot place is said to be one that might have.
        let alone_reaches = reaches && inside;
        let might_reach = reaches && placement == Some(Placement::Unsettled);
        lines.push(BillLine { bill: BillRef::of(b), fate, inside, alone_reaches, might_reach });
    }
    // The headline bill: one that alone reaches — first one the API gives
    // no reason for (the one to escalate), then the smallest; else the
    // fewest together.
    let rank = |l: &BillLine| match &l.fate {
        Fate::NotCounted(Why::NoSignal) => 0,
        Fate::NotCounted(Why::AmountUnreadable) => 1,
        _ => 2,
    };
    let would_have_reached = short.and(
        lines
            .iter()
            .filter(|l| l.alone_reaches)
            // The largest: the purchase an "I spent enough" is most likely about.
            .min_by_key(|l| (rank(l), std::cmp::Reverse(l.bill.amount), l.bill.id))
            .map(|l| l.bill.clone()),
    );
    let together = match (short, &would_have_reached) {
        (Some(short), None) => {
            let mut candidates: Vec<&BillLine> = lines
                .iter()
                .filter(|l| matches!(l.fate, Fate::NotCounted(_)) && l.inside)
                .filter(|l| l.bill.amount.is_some_and(|a| a.0 > rust_decimal::Decimal::ZERO))
                .collect();
            candidates.sort_by_key(|l| std::cmp::Reverse(l.bill.amount));
            let mut sum = rust_decimal::Decimal::ZERO;
            let mut chosen = Vec::new();
            for l in candidates {
                if sum >= short.0 {
                    break;
                }
                sum += l.bill.amount.map_or(rust_decimal::Decimal::ZERO, |a| a.0);
                chosen.push(l.bill.clone());
            }
            if sum >= short.0 { chosen } else { Vec::new() }
        }
        _ => Vec::new(),
    };
    let matched_events: HashSet<i64> = matched.iter().flatten().map(|(e, _)| e.event_log_id).collect();
    let story = BillsStory { lines, would_have_reached, together, ..BillsStory::default() };
    (story, matched_events)
}

/// Why a bill no event matched did not count: the first signal the API
/// gives, else none.
fn why_not(
    b: &Bill,
    placement: Option<Placement>,
    counted_before_enrolment: bool,
    enrolled_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    enrolled_local: Option<chrono::NaiveDateTime>,
    unenrolments: &[&TargetEvent],
) -> Why {
    let kind = b.kind.to_ascii_uppercase();
    if b.amount.is_none() {
        return Why::AmountUnreadable;
    }
    if kind.starts_with("NOT_INTERESTED") || kind == "NI_MIXED" {
        return Why::NotInterested;
    }
    if let Some(status) = b.outlier_status.as_deref().filter(|s| !s.eq_ignore_ascii_case("NORMAL")) {
        return Why::Outlier { status: status.to_string() };
    }
    const DOCUMENTED: [&str; 6] = ["REGULAR", "RETURN", "NOT_INTERESTED", "NOT_INTERESTED_RETURN", "MIXED", "NI_MIXED"];
    if !DOCUMENTED.contains(&kind.as_str()) {
        return Why::UnknownType { kind: b.kind.clone() };
    }
    if kind == "RETURN" {
        return Why::Return;
    }
    if let Some((number, _)) = b.credit_notes.first() {
        return Why::CreditNote { number: number.clone() };
    }
    if b.billed_at.is_none() && b.billed_local.is_none() {
        return Why::NoTime;
    }
    match placement {
        Some(Placement::Outside) => return Why::OutsidePeriod,
        Some(Placement::Unsettled) => return Why::Unsettled,
        _ => {}
    }
    let before = match (enrolled_at, b.billed_at) {
        (Some(at), Some(t)) => t < at,
        _ => match (enrolled_local, b.billed_local.or(b.billed_at.map(|t| t.naive_local()))) {
            (Some(at), Some(t)) => t < at,
            _ => false,
        },
    };
    // Before the enrolment: said, and when purchases dated before it counted
    // all the same, said too (then it may not be the reason).
    if before {
        return Why::BeforeEnrolment { others_counted: counted_before_enrolment };
    }
    let after_unenrolment = unenrolments.iter().any(|u| match (instant(u.event_date_iso.as_deref()), b.billed_at) {
        (Some(u), Some(t)) => t > u,
        _ => {
            u.event_date.parsed.zip(b.billed_local.or(b.billed_at.map(|t| t.naive_local()))).is_some_and(|(u, t)| t > u)
        }
    });
    if after_unenrolment {
        return Why::AfterUnenrolment;
    }
    Why::NoSignal
}

/// The days to read bills for, for the periods of `targets`: a day wider on
/// each side (the endpoint's zone and bounds are undocumented), and no later
/// than tomorrow (a lifetime period ends decades from now).
pub fn bills_window<'a>(
    targets: impl IntoIterator<Item = &'a UserTarget>,
    today: chrono::NaiveDate,
) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let day = |s: Option<&str>| crate::verdict::parse_day(s);
    let (mut from, mut to): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) = (None, None);
    for t in targets {
        if let (Some(s), Some(e)) = (day(t.period_start_date.as_deref()), day(t.period_end_date.as_deref())) {
            from = Some(from.map_or(s, |f| f.min(s)));
            to = Some(to.map_or(e, |x| x.max(e)));
        }
    }
    let (from, to) = (from?.pred_opt()?, to?.min(today).succ_opt()?);
    (from <= to).then_some((from, to))
}

/// Gives each period of `periods` its bills: those billed within a day of
/// it, or that became one of its events. `bills` is what was read, or the
/// sentence that says why nothing was (with its request id).
pub fn attach(
    periods: &mut [PeriodVerdict],
    targets: &[&UserTarget],
    events: &[TargetEvent],
    bills: Result<&[Bill], &str>,
    incomplete: Option<&str>,
) {
    let names: std::collections::HashMap<i64, String> = targets
        .iter()
        .filter_map(|t| Some((t.period_id?, crate::verdict::period_name(t.period_ref_code.as_deref(), t.period_id?))))
        .collect();
    let name_of = |p: i64| names.get(&p).cloned().unwrap_or_else(|| crate::verdict::period_name(None, p));
    for v in periods.iter_mut() {
        let bills = match bills {
            Err(why) => {
                v.bills = Some(BillsStory::unread(why.to_string()));
                continue;
            }
            Ok(b) => b,
        };
        let Some(target) = targets.iter().find(|t| t.period_id == Some(v.period_id)) else { continue };
        let mine = period_bills(bills, events, target);
        let mut story = reconcile(&mine, events, target, v, &name_of);
        story.incomplete = incomplete.map(str::to_string);
        v.bills = Some(story);
    }
}

/// A period's own bills among `bills`: placed in it (or not settled out of
/// it), those its events stand for, and those with no time at all.
pub fn period_bills(bills: &[Bill], events: &[TargetEvent], target: &UserTarget) -> Vec<Bill> {
    let window = Window::of(target);
    let period = target.period_id.unwrap_or_default();
    let ids: HashSet<&str> = events
        .iter()
        .filter(|e| e.period_id == period && e.target_rule_id == target.target_rule_id)
        .map(|e| e.unique_id.trim())
        .collect();
    bills
        .iter()
        .filter(|b| {
            ids.contains(b.id.to_string().as_str())
                || b.day().is_none()
                || matches!(
                    window.place(b.billed_at, b.billed_local.or(b.billed_at.map(|t| t.naive_local()))),
                    Some(Placement::Inside | Placement::Unsettled)
                )
        })
        .cloned()
        .collect()
}

/// Why the bills could not be read, for the verdict: the sentence (without
/// a server page pasted in) and the request id to quote.
pub fn unread_sentence(e: &crate::api::ApiError) -> String {
    let sentence = e.sentence();
    // A server's HTML or text is for the log, not the verdict.
    let sentence = sentence.split(": \"").next().unwrap_or(&sentence);
    let sentence = sentence.strip_suffix(". It began").unwrap_or(sentence).trim_end_matches('.');
    // It follows a colon: "…could not be read: the server's answer…" (an
    // acronym such as "HTTP" keeps its capitals).
    let mut chars = sentence.chars();
    let sentence = match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(sentence.chars().skip(1)).collect()
        }
        _ => sentence.to_string(),
    };
    format!("{sentence} (request id {})", e.request_id.as_deref().unwrap_or("none"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Readings, verdicts_read};
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use serde_json::json;

    fn event(id: i64, unique: i64, value: &str, iso: &str, period: i64) -> TargetEvent {
        let t = crate::verdict::window::instant(Some(iso)).unwrap();
        let local = t.naive_local().format("%Y-%m-%d %H:%M:%S.0").to_string();
        let raw = json!({
            "eventLogId": id, "eventName": "ADD_TRANSACTION", "customerId": 1, "uniqueId": unique.to_string(),
            "eventDate": local, "eventProcessedDate": local, "periodId": period, "targetGroupId": 9,
            "targetRuleId": 100, "targetValue": serde_json::Number::from_string_unchecked(value.into()),
            "eventDateISO": iso
        });
        TargetEvent::from_raw(&raw.to_string()).unwrap()
    }

    fn bill(id: i64, amount: &str, time: &str, extra: serde_json::Value) -> Bill {
        let mut v = json!({"id": id, "billNumber": format!("B-{id}"), "type": "REGULAR", "billingTime": time,
                           "amount": serde_json::Number::from_string_unchecked(amount.into()), "outlierStatus": "NORMAL"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        Bill::from_value(&v).unwrap()
    }

    fn september(achieved: &str) -> UserTarget {
        serde_json::from_value(json!({
            "periodId": 7601, "periodRefCode": "Sep_2025", "periodStartDate": "2025-09-01", "periodEndDate": "2025-09-30",
            "targetValue": "5000.00", "targetAchievedValue": achieved, "targetRuleId": 100, "currentPeriod": false,
            "periodStartDateWithTimeStampISO": "2025-09-01T00:00:00+05:30",
            "periodEndDateWithTimeStampISO": "2025-09-30T23:59:59+05:30",
            "enrolledOn": "2025-09-05T00:00:00.000+0530", "enrolledOnISO": "2025-09-05T00:00:00+05:30"
        }))
        .unwrap()
    }

    fn story(bills: &[Bill], events: &[TargetEvent], t: &UserTarget) -> BillsStory {
        let now = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let v = verdicts_read(&[t], 100, None, events, now, Readings::default()).remove(0);
        reconcile(bills, events, t, &v, &|p| format!("period {p}"))
    }

    #[test]
    fn an_unknown_or_missing_type_and_an_early_bill_among_early_purchases_are_said_as_they_are() {
        let t = september("4820.50");
        // A purchase made before the enrolment counted: an early bill is still said to be early.
        let events = vec![event(1, 501, "3000.00", "2025-09-03T11:20:00+05:30", 7601)];
        let bills = vec![
            bill(501, "3000.00", "2025-09-03T05:50:00Z", json!({})),
            bill(510, "275.00", "2025-09-01T05:15:00Z", json!({})),
            bill(511, "600.00", "2025-09-15T05:15:00Z", json!({"type": "LAYAWAY_PARTIAL"})),
            bill(512, "600.00", "2025-09-16T05:15:00Z", json!({"type": null})),
            bill(513, "600.00", "2025-09-17T05:15:00Z", json!({"type": "MIXED"})),
            bill(514, "0", "2025-09-18T05:15:00Z", json!({"amount": "1,250.00"})),
        ];
        let s = story(&bills, &events, &t);
        let fate = |id: i64| &s.lines.iter().find(|l| l.bill.id == id).unwrap().fate;
        assert_eq!(fate(510), &Fate::NotCounted(Why::BeforeEnrolment { others_counted: true }));
        assert_eq!(fate(511), &Fate::NotCounted(Why::UnknownType { kind: "LAYAWAY_PARTIAL".into() }));
        assert_eq!(fate(512), &Fate::NotCounted(Why::UnknownType { kind: String::new() }));
        assert_eq!(fate(513), &Fate::NotCounted(Why::NoSignal), "MIXED is documented: a purchase and a return");
        let words = s.lines.iter().find(|l| l.bill.id == 514).unwrap();
        assert_eq!(words.fate, Fate::NotCounted(Why::AmountUnreadable));
        assert!(words.bill.amount_text().contains("\"1,250.00\" as sent"), "{}", words.bill.amount_text());
        let said = s.lines.iter().map(|l| l.fate_words()).collect::<Vec<_>>().join("\n");
        assert!(said.contains("made before the enrolment, though purchases made before it counted"), "{said}");
        assert!(said.contains("its type LAYAWAY_PARTIAL is not one the API documents"), "{said}");
    }

    #[test]
    fn two_bills_sharing_an_id_are_each_told_with_their_own_reason() {
        let t = september("4820.50");
        let events = vec![event(1, 501, "3000.00", "2025-09-10T11:20:00+05:30", 7601)];
        let mut early = bill(600, "275.00", "2025-09-01T05:15:00Z", json!({}));
        early.number = "B-EARLY".into();
        let bills = vec![early, bill(600, "1250.00", "2025-09-28T14:10:00Z", json!({}))];
        let s = story(&bills, &events, &t);
        assert_eq!(s.lines.len(), 2);
        for l in &s.lines {
            let own = match &l.fate {
                Fate::NotCounted(why) => Some(why),
                _ => None,
            };
            assert_eq!(s.why(&l.bill), own, "{}", l.bill.named());
        }
        let headline = s.would_have_reached.as_ref().expect("the 1250.00 bill alone reaches");
        assert_eq!(headline.number, "B-600");
        let said = s.sentences().join(" ");
        assert!(
            said.contains("the API gives no reason for it")
                && !said.contains("B-600 of 1250.00 (id 600), 2025-09-28 19:40 +05:30, did not count: made before"),
            "{said}"
        );
    }

    #[test]
    fn each_bill_is_counted_or_said_not_to_be_with_the_apis_signal() {
        let t = september("4820.50");
        let events = vec![
            event(1, 501, "3000.00", "2025-09-10T11:20:00+05:30", 7601),
            event(2, 999, "1820.50", "2025-09-20T16:45:00+05:30", 7601),
            event(3, 503, "600.00", "2025-09-30T23:50:00+05:30", 7602),
        ];
        let bills = vec![
            bill(501, "3000.00", "2025-09-10T05:50:00Z", json!({})),
            // No id matches: the same amount less a rounded-off unit, the same minute.
            bill(502, "1820.49", "2025-09-20T11:15:30Z", json!({})),
            bill(503, "600.00", "2025-09-30T18:20:00Z", json!({})),
            bill(504, "1250.00", "2025-09-28T14:10:00Z", json!({})),
            bill(505, "2000.00", "2025-09-14T06:45:00Z", json!({"outlierStatus": "OUTLIER"})),
            bill(506, "420.00", "2025-09-22T12:30:00Z", json!({"type": "NOT_INTERESTED"})),
            bill(507, "275.00", "2025-09-01T05:15:00Z", json!({})),
            bill(508, "90.00", "2025-10-01T00:30:00Z", json!({})),
            bill(509, "80.00", "2025-09-12T10:00:00Z", json!({"creditNotes": [{"number": "CN-1", "amount": 80}]})),
        ];
        let s = story(&bills, &events, &t);
        let fate = |id: i64| &s.lines.iter().find(|l| l.bill.id == id).unwrap().fate;
        assert_eq!(fate(501), &Fate::CountedHere { event_log_id: 1, matched_by: MatchedBy::Id });
        assert_eq!(fate(502), &Fate::CountedHere { event_log_id: 2, matched_by: MatchedBy::TimeAndAmount });
        assert!(matches!(fate(503), Fate::CountedElsewhere { period_id: 7602, .. }));
        assert_eq!(fate(504), &Fate::NotCounted(Why::NoSignal));
        assert_eq!(fate(505), &Fate::NotCounted(Why::Outlier { status: "OUTLIER".into() }));
        assert_eq!(fate(506), &Fate::NotCounted(Why::NotInterested));
        assert_eq!(fate(507), &Fate::NotCounted(Why::BeforeEnrolment { others_counted: false }));
        assert_eq!(fate(508), &Fate::NotCounted(Why::OutsidePeriod));
        assert_eq!(fate(509), &Fate::NotCounted(Why::CreditNote { number: "CN-1".into() }));
        // The bill to escalate: no signal, and alone it reaches (4820.50 + 1250.00).
        assert_eq!(s.would_have_reached.as_ref().map(|b| b.id), Some(504));
        let said = s.sentences().join(" ");
        assert!(said.contains("Bill B-504 of 1250.00 (id 504)") && said.contains("the API gives no reason"), "{said}");
        assert!(s.events_without_bill.is_empty());
        assert!(
            said.contains("matched") || s.lines.iter().any(|l| l.fate_words().contains("matched by time and amount"))
        );
    }

    #[test]
    fn bills_that_could_not_be_read_are_one_sentence_and_nothing_is_claimed() {
        let s = BillsStory::unread("the server answered 503 (HTTP 503 · request id abc)".into());
        assert_eq!(s.sentences().len(), 1);
        assert!(s.sentences()[0].contains("request id abc") && s.would_have_reached.is_none());
    }

    #[test]
    fn none_alone_but_the_fewest_together() {
        let t = september("4820.50");
        let bills = vec![
            bill(1, "100.00", "2025-09-10T05:50:00Z", json!({})),
            bill(2, "90.00", "2025-09-11T05:50:00Z", json!({})),
            bill(3, "10.00", "2025-09-12T05:50:00Z", json!({})),
        ];
        let s = story(&bills, &[], &t);
        assert!(s.would_have_reached.is_none());
        assert_eq!(s.together.iter().map(|b| b.id).collect::<Vec<_>>(), vec![1, 2], "179.50 by the two largest");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Every bill is classified exactly once, and "alone it would have
        /// reached" holds exactly when adding its amount to what counted
        /// reaches the target (for an uncounted bill dated in the period).
        #[test]
        fn every_bill_once_and_would_have_reached_by_definition(
            raw_bills in proptest::collection::vec((0u32..40, 0i64..300_000, -600i32..600, 0u8..6, any::<bool>()), 0..25),
            raw_events in proptest::collection::vec((0u32..40, 0i64..300_000, 0usize..25, any::<bool>()), 0..15),
            achieved in 0i64..600_000,
            legacy in any::<bool>(),
        ) {
            let t = {
                let mut t = september(&Decimal::new(achieved, 2).to_string());
                if legacy {
                    t.period_start_iso = None;
                    t.period_end_iso = None;
                }
                t
            };
            let base = chrono::NaiveDate::from_ymd_opt(2025, 8, 28).unwrap().and_hms_opt(12, 0, 0).unwrap();
            let bills: Vec<Bill> = raw_bills.iter().enumerate().map(|(i, &(day, cents, offset_min, kind, with_offset))| {
                let at = base + chrono::Days::new(u64::from(day));
                let time = if with_offset {
                    let o = chrono::FixedOffset::east_opt(offset_min * 60).unwrap();
                    at.and_local_timezone(o).unwrap().to_rfc3339()
                } else {
                    at.format("%Y-%m-%d %H:%M:%S").to_string()
                };
                let extra = match kind {
                    0 => json!({"type": "NOT_INTERESTED"}),
                    1 => json!({"outlierStatus": "OUTLIER"}),
                    2 => json!({"type": "RETURN"}),
                    _ => json!({}),
                };
                bill(i as i64 + 1, &Decimal::new(cents, 2).to_string(), &time, extra)
            }).collect();
            let events: Vec<TargetEvent> = raw_events.iter().enumerate().map(|(i, &(day, cents, bill_index, here))| {
                let at = base + chrono::Days::new(u64::from(day));
                let iso = at.and_local_timezone(chrono::FixedOffset::east_opt(19800).unwrap()).unwrap().to_rfc3339();
                let unique = bills.get(bill_index).map_or(10_000 + i as i64, |b| b.id);
                event(100 + i as i64, unique, &Decimal::new(cents, 2).to_string(), &iso, if here { 7601 } else { 7602 })
            }).collect();
            let s = story(&bills, &events, &t);
            // Every bill classified exactly once.
            prop_assert_eq!(s.lines.len(), bills.len());
            let ids: HashSet<i64> = s.lines.iter().map(|l| l.bill.id).collect();
            prop_assert_eq!(ids.len(), bills.len());
            // No event is the fate of two bills.
            let mut matched = HashSet::new();
            for l in &s.lines {
                if let Fate::CountedHere { event_log_id, .. } | Fate::CountedElsewhere { event_log_id, .. } = l.fate {
                    prop_assert!(matched.insert(event_log_id));
                }
            }
            let now = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
            let v = verdicts_read(&[&t], 100, None, &events, now, Readings::default()).remove(0);
            let have = v.have().unwrap().0;
            let window = Window::of(&t);
            for (l, b) in s.lines.iter().zip(&bills) {
                let placed = window.place(b.billed_at, b.billed_local.or(b.billed_at.map(|t| t.naive_local())));
                let in_period = placed == Some(Placement::Inside);
                let target = Decimal::new(500_000, 2);
                let reaches = b.amount.is_some_and(|a| a.0 > Decimal::ZERO && have < target && have + a.0 >= target);
                let expected = matches!(l.fate, Fate::NotCounted(_)) && in_period && reaches;
                prop_assert_eq!(l.alone_reaches, expected, "bill {}", b.id);
                // One the dates cannot settle is never claimed, only said to be one that might.
                let might = matches!(l.fate, Fate::NotCounted(_)) && placed == Some(Placement::Unsettled) && reaches;
                prop_assert_eq!(l.might_reach, might, "bill {}", b.id);
            }
            // The headline bill is one of them, and only when the target was missed.
            if let Some(w) = &s.would_have_reached {
                prop_assert!(s.lines.iter().any(|l| l.bill.id == w.id && l.alone_reaches));
                let missed = matches!(v.outcome, Outcome::NotReached { .. });
                prop_assert!(missed);
            }
        }
    }
}
