//! The verdict: why a target was or was not reached in a period, with the
//! evidence — exact figures, returns, events that counted in another period
//! than their date, events before enrolment, and sub-milestones.
//!
//! Pure: computed from the customer's targets, every event of the rule and a
//! clock, so each rule is unit-tested over constructed data.

pub mod bills_brief;
pub mod brief;
pub mod reply;
pub mod report;
pub mod window;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::api::model::{EventKind, Money, TargetEvent, UserTarget};

/// An event named as evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRef {
    pub event_log_id: i64,
    pub event_name: String,
    pub value: Money,
    pub event_date: String,
    pub event_processed_date: String,
    /// The same moment with its offset, when the API gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_date_iso: Option<String>,
    /// When it was processed, with its offset, when the API gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_processed_date_iso: Option<String>,
    /// The period it counted in.
    pub period_id: i64,
    /// That period's reference code ("Oct_2025"), when the targets name it.
    pub period_ref: Option<String>,
}

impl EventRef {
    pub(crate) fn of(e: &TargetEvent) -> EventRef {
        EventRef {
            event_log_id: e.event_log_id,
            event_name: crate::sanitize::line(&e.event_name).into_owned(),
            value: e.target_value,
            event_date: crate::sanitize::line(&e.event_date.raw).into_owned(),
            event_processed_date: crate::sanitize::line(&e.event_processed_date.raw).into_owned(),
            event_date_iso: window::instant(e.event_date_iso.as_deref()).map(|t| t.to_rfc3339()),
            event_processed_date_iso: window::instant(e.event_processed_date_iso.as_deref()).map(|t| t.to_rfc3339()),
            period_id: e.period_id,
            period_ref: None,
        }
    }

    /// When it is dated, for people: with its offset where the API gave one.
    pub fn dated(&self) -> String {
        window::shown(self.event_date_iso.as_deref(), &self.event_date)
    }

    /// When it was processed, for people: with its offset where the API gave one.
    pub fn processed(&self) -> String {
        window::shown(self.event_processed_date_iso.as_deref(), &self.event_processed_date)
    }

    /// The same to the minute, for lists: "2025-09-30 23:50 +05:30".
    pub fn dated_short(&self) -> String {
        match window::instant(self.event_date_iso.as_deref()) {
            Some(t) => t.format("%Y-%m-%d %H:%M %:z").to_string(),
            None => self.event_date.chars().take(16).collect(),
        }
    }

    /// The period it counted in, for people: "Oct_2025 (7602)".
    pub fn period_name(&self) -> String {
        period_name(self.period_ref.as_deref(), self.period_id)
    }
}

/// A period for people: its reference code with the id beside it
/// ("Oct_2025 (7602)"), or "period 7602" when it has no code.
pub fn period_name(ref_code: Option<&str>, id: i64) -> String {
    match ref_code.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("{} ({id})", crate::sanitize::line(r)),
        None => format!("period {id}"),
    }
}

/// `s` with its first letter in capitals ("period 7" → "Period 7").
pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// "1 event", "2 events".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// When the figures a verdict compares were read (the front end's clock).
/// The API's achieved value and the events' sum are compared only when
/// both were read after the last event seen to arrive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readings {
    /// When the targets (target, achieved value, enrolment) were asked for.
    #[serde(serialize_with = "crate::clock::serialize_local")]
    pub targets_at: Option<NaiveDateTime>,
    /// When the events were asked for (or last joined by an arrival).
    #[serde(serialize_with = "crate::clock::serialize_local")]
    pub events_at: Option<NaiveDateTime>,
    /// When an event last arrived while watching.
    #[serde(serialize_with = "crate::clock::serialize_local")]
    pub last_arrival: Option<NaiveDateTime>,
}

impl Readings {
    /// The API's figures were read before the last arrival.
    pub fn targets_stale(&self) -> bool {
        self.last_arrival.is_some_and(|a| self.targets_at.is_none_or(|t| t < a))
    }

    /// The events were read before the last arrival.
    pub fn events_stale(&self) -> bool {
        self.last_arrival.is_some_and(|a| self.events_at.is_none_or(|t| t < a))
    }

    /// Both were read after the last arrival: a difference between them is real.
    pub fn comparable(&self) -> bool {
        !self.targets_stale() && !self.events_stale()
    }
}

/// How the period ended, or stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Outcome {
    /// The cumulative value of the listed events crossed the target on this event.
    Reached { on: EventRef, cumulative: Money },
    /// The API says the target is reached, but the listed events do not add up to it.
    ReachedByApi,
    NotReached {
        /// Absent when it cannot be computed exactly (figures past what an
        /// exact decimal holds): never a different number.
        short_by: Option<Money>,
    },
    /// The target has no value to reach.
    NoTarget,
}

/// A sub-milestone: its value, whether the API says it was reached, and the
/// event on which the cumulative value crossed it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MilestoneVerdict {
    pub name: String,
    pub value: Option<Money>,
    pub reached_by_api: Option<bool>,
    pub crossed_on: Option<EventRef>,
}

/// The verdict for one period of one customer's target.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodVerdict {
    pub period_id: i64,
    pub ref_code: Option<String>,
    /// The target's name in this period (made safe): names often carry the month.
    pub target_name: Option<String>,
    /// What the target counts (`TRANSACTION`, an event…), as the API says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_entity: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub current: bool,
    pub target: Option<Money>,
    /// The API's achieved value.
    pub achieved: Option<Money>,
    /// The exact sum of the listed events that counted in this period; absent
    /// when it would need more digits than an exact decimal holds.
    pub events_sum: Option<Money>,
    pub events_count: usize,
    /// `achieved − events_sum` when they disagree and both were read after
    /// the last arrival.
    pub difference: Option<Money>,
    /// When the figures were read.
    pub readings: Readings,
    pub outcome: Outcome,
    /// For the current period: whole days left, the end day included.
    pub days_left: Option<i64>,
    pub returns: Vec<EventRef>,
    pub returns_total: Option<Money>,
    /// Dated inside this period's window but counted in another period.
    pub counted_elsewhere: Vec<EventRef>,
    /// Counted in this period but dated outside its window.
    pub counted_here_from_outside: Vec<EventRef>,
    /// Counted in another period, dated so near this one's bounds, with only
    /// local strings, that the API's dates cannot settle which it belongs to.
    pub unsettled: Vec<EventRef>,
    /// Whether the period's bounds came as instants (its ISO fields).
    pub instants: bool,
    /// An event of `counted_elsewhere` that alone would have covered the shortfall.
    pub would_have_reached: Option<EventRef>,
    pub enrolled_on: Option<String>,
    /// The customer enrolled after the period began: only part of it counted.
    pub late_enrolment: Option<LateEnrolment>,
    /// Counted here although dated before the enrolment: in the sum.
    pub before_enrolment: Vec<EventRef>,
    /// The customer's ENROL and UNENROL events dated in or counted in this period.
    pub membership: Vec<EventRef>,
    /// A return after which the total fell back below a target it had reached.
    pub returned_below: Option<EventRef>,
    pub milestones: Vec<MilestoneVerdict>,
    /// Every bill of the period and what happened to it, when they were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bills: Option<crate::reconcile::BillsStory>,
}

/// Enrolment after the period's first day: the days the customer had.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LateEnrolment {
    pub enrolled: NaiveDate,
    /// Days from the enrolment day to the period's last, both included.
    pub days_enrolled: i64,
    pub period_days: i64,
}

impl LateEnrolment {
    /// "enrolled 10 Sep 2025: 21 of the period's 30 days".
    pub fn sentence(&self) -> String {
        format!(
            "enrolled {}: {} of the period's {} days",
            self.enrolled.format("%-d %b %Y"),
            self.days_enrolled,
            self.period_days
        )
    }
}

impl PeriodVerdict {
    /// The period for people: "Oct_2025 (7602)".
    pub fn name(&self) -> String {
        period_name(self.ref_code.as_deref(), self.period_id)
    }

    /// What the customer has towards the target: the API's achieved value,
    /// unless it was read before the last arrival (then the events' sum).
    pub fn have(&self) -> Option<Money> {
        if self.readings.targets_stale() { self.events_sum } else { self.achieved.or(self.events_sum) }
    }

    /// The headline in few columns, for a narrow list: "4820.50/5000.00,
    /// 179.50 short".
    pub fn short_headline(&self) -> String {
        let target = self.target.map_or("?".into(), |t| t.as_money());
        let have = self.have().map_or("?".into(), |m| m.as_money());
        match &self.outcome {
            Outcome::Reached { .. } | Outcome::ReachedByApi => format!("reached, {have}/{target}"),
            Outcome::NotReached { short_by } if self.current && self.days_left != Some(0) => {
                format!("{have}/{target}, {} to go", short_by.map_or("?".into(), |s| s.as_money()))
            }
            Outcome::NotReached { short_by } => {
                format!("{have}/{target}, {} short", short_by.map_or("?".into(), |s| s.as_money()))
            }
            Outcome::NoTarget => "no target".into(),
        }
    }

    /// One line: "Not reached: 4820.50 of 5000.00 — 179.50 short".
    pub fn headline(&self) -> String {
        let target = self.target.map_or("?".into(), |t| t.as_money());
        let have = self.have().map_or("?".into(), |m| m.as_money());
        match &self.outcome {
            Outcome::Reached { on, cumulative } => format!(
                "Reached on {} with event {} (cumulative {} of {target})",
                short_date(&on.event_date),
                on.event_log_id,
                cumulative.as_money()
            ),
            Outcome::ReachedByApi => format!("Reached: the API counts {have} of {target}"),
            Outcome::NotReached { short_by } if self.current && self.days_left != Some(0) => {
                let days =
                    self.days_left.map_or(String::new(), |d| format!(", {} left", count(d as usize, "day", "days")));
                let needed = short_by.map_or("the rest (not exact)".into(), |s| s.as_money());
                format!("Not reached yet: {have} of {target} — {needed} still needed{days}")
            }
            Outcome::NotReached { short_by } => {
                let short =
                    short_by.map_or("short by an amount not exact".into(), |s| format!("{} short", s.as_money()));
                format!("Not reached: {have} of {target} — {short}")
            }
            Outcome::NoTarget => "This target has no value to reach".into(),
        }
    }
}

/// Whole days left in a period ending on `end`, the end day included (0 once past).
pub(crate) fn days_left(end: NaiveDate, now: NaiveDateTime) -> i64 {
    ((end - now.date()).num_days() + 1).max(0)
}

/// "2025-09-27 14:02" from the API's date text.
fn short_date(raw: &str) -> String {
    raw.get(..16).unwrap_or(raw).to_string()
}

/// A day from the API's date text ("2025-09-01", or a date and time).
pub fn parse_day(s: Option<&str>) -> Option<NaiveDate> {
    let s = s?.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

/// The API's dates: `2025-09-05T00:00:00.000+0000` (enrolment), or the
/// events' own form. Tenant-local time, as the events' dates are.
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S%.f%z")
        .map(|d| d.naive_local())
        .ok()
        .or_else(|| crate::api::model::EventTime::parse(s.to_string()).parsed)
}

/// When the customer enrolled in a target, to tell an event dated before it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Enrolment {
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
    local: Option<NaiveDateTime>,
}

impl Enrolment {
    pub(crate) fn of(target: &UserTarget) -> Enrolment {
        Enrolment {
            at: window::instant(target.enrolled_on_iso.as_deref()),
            local: target.enrolled_on.as_deref().and_then(parse_time),
        }
    }

    /// Whether the enrolment came after `e` was dated: by instants where
    /// both carry offsets, else by the local strings.
    pub(crate) fn after(&self, e: &TargetEvent) -> bool {
        match (self.at, window::instant(e.event_date_iso.as_deref())) {
            (Some(at), Some(t)) => t < at,
            _ => self.local.is_some_and(|at| e.event_date.parsed.is_some_and(|d| d < at)),
        }
    }
}

/// Where an event falls against a period: instants where both carry
/// offsets, else local strings (unsettled near a boundary).
pub(crate) fn placement(e: &TargetEvent, window: &window::Window) -> Option<window::Placement> {
    window.place_event(e)
}

/// Nothing, at the target's scale (at least two decimals): a sum of no
/// events reads "0.00" beside "5000.00", not "0".
pub(crate) fn zero_for(target: &UserTarget) -> Money {
    let scale = target.target_value.map_or(2, |t| t.0.scale()).max(2);
    Money(rust_decimal::Decimal::new(0, scale))
}

fn sum<'a>(zero: Money, mut values: impl Iterator<Item = &'a TargetEvent>) -> Option<Money> {
    values.try_fold(zero, |acc, e| acc.checked_add(e.target_value))
}

/// The verdict for `target`'s period, from every listed event of its rule
/// (all periods: events that moved between periods are found among the
/// neighbours'). `now` is the clock, for the days left.
/// How to say a difference (`achieved − events_sum`) and by how much, positive.
pub fn difference_label(d: Money) -> (&'static str, Money) {
    if d.is_negative() {
        ("The events count more than the API by", Money(-d.0))
    } else {
        ("The API counts more than the events by", d)
    }
}

pub fn period_verdict(target: &UserTarget, events: &[TargetEvent], now: NaiveDateTime) -> PeriodVerdict {
    period_verdict_read(target, events, now, Readings::default())
}

/// [`period_verdict`] with when its figures were read: an achieved value
/// read before the last arrival is neither compared with the events nor
/// trusted for the outcome.
pub fn period_verdict_read(
    target: &UserTarget,
    events: &[TargetEvent],
    now: NaiveDateTime,
    readings: Readings,
) -> PeriodVerdict {
    let period_id = target.period_id.unwrap_or_default();
    let start = parse_day(target.period_start_date.as_deref());
    let end = parse_day(target.period_end_date.as_deref());
    let current = target.current_period.unwrap_or(false);
    let rule_events: Vec<&TargetEvent> = events.iter().filter(|e| e.target_rule_id == target.target_rule_id).collect();
    // This period's events, in the order they happened.
    let mut here: Vec<&TargetEvent> = rule_events.iter().copied().filter(|e| e.period_id == period_id).collect();
    here.sort_by_key(|e| (e.event_date.parsed, e.event_log_id));
    let events_sum = sum(zero_for(target), here.iter().copied());
    let achieved = target.target_achieved_value;
    let difference = match (achieved, events_sum) {
        (Some(a), Some(s)) if a != s && readings.comparable() => a.checked_add(Money(-s.0)),
        _ => None,
    };

    // The event after which the cumulative value of the listed events
    // reached `value` and stayed there (a return can take it back below).
    let crossing = |value: Money| -> Option<(EventRef, Money)> {
        let mut acc = Money::ZERO;
        let mut lasting = None;
        for e in &here {
            let before = acc;
            acc = acc.checked_add(e.target_value)?;
            if acc.0 >= value.0 && before.0 < value.0 {
                lasting = Some((EventRef::of(e), acc));
            } else if acc.0 < value.0 {
                lasting = None;
            }
        }
        lasting
    };
    let have = if readings.targets_stale() { events_sum } else { achieved.or(events_sum) };
    let outcome = match target.target_value {
        None => Outcome::NoTarget,
        // Zero or less is no target to reach.
        Some(t) if t.0 <= rust_decimal::Decimal::ZERO => Outcome::NoTarget,
        Some(t) => match crossing(t) {
            Some((on, cumulative)) => Outcome::Reached { on, cumulative },
            None if have.is_some_and(|h| h.0 >= t.0) => Outcome::ReachedByApi,
            None => {
                // Nothing achieved: the whole target is missing.
                let short_by = match have {
                    Some(h) => t.checked_add(Money(-h.0)),
                    None => Some(t),
                };
                Outcome::NotReached { short_by }
            }
        },
    };
    let days_left =
        (current && matches!(outcome, Outcome::NotReached { .. })).then(|| end.map(|e| days_left(e, now))).flatten();

    let returns: Vec<&TargetEvent> =
        here.iter().copied().filter(|e| e.kind() == EventKind::Return || e.target_value.is_negative()).collect();
    let returns_total = sum(zero_for(target), returns.iter().copied());
    use window::Placement::{Inside, Outside, Unsettled};
    let window = window::Window::of(target);
    let counted_elsewhere: Vec<&TargetEvent> = rule_events
        .iter()
        .copied()
        .filter(|e| e.period_id != period_id && placement(e, &window) == Some(Inside))
        .collect();
    let unsettled: Vec<EventRef> = rule_events
        .iter()
        .filter(|e| e.period_id != period_id && placement(e, &window) == Some(Unsettled))
        .map(|e| EventRef::of(e))
        .collect();
    let counted_here_from_outside: Vec<EventRef> =
        here.iter().filter(|e| placement(e, &window) == Some(Outside)).map(|e| EventRef::of(e)).collect();
    let would_have_reached = match &outcome {
        Outcome::NotReached { short_by: Some(short_by) } => counted_elsewhere
            .iter()
            .filter(|e| e.target_value.0 >= short_by.0)
            .min_by_key(|e| e.target_value)
            .map(|e| EventRef::of(e)),
        _ => None,
    };
    let enrolled = target.enrolled_on.as_deref().and_then(parse_time);
    let late_enrolment = match (enrolled.map(|e| e.date()), start, end) {
        (Some(day), Some(s), Some(e)) if day > s && day <= e => Some(LateEnrolment {
            enrolled: day,
            days_enrolled: (e - day).num_days() + 1,
            period_days: (e - s).num_days() + 1,
        }),
        _ => None,
    };
    // A return that took a total that had reached the target back below it,
    // where it stayed.
    let returned_below = match (&outcome, target.target_value) {
        (Outcome::NotReached { .. }, Some(t)) => {
            let mut acc = Money::ZERO;
            let mut reached = false;
            let mut culprit = None;
            for e in &here {
                let Some(next) = acc.checked_add(e.target_value) else { break };
                if next.0 >= t.0 {
                    reached = true;
                    culprit = None;
                } else if reached && acc.0 >= t.0 && e.target_value.is_negative() {
                    culprit = Some(EventRef::of(e));
                }
                acc = next;
            }
            culprit
        }
        _ => None,
    };
    let enrolment = Enrolment::of(target);
    let before_enrolment = here.iter().filter(|e| enrolment.after(e)).map(|e| EventRef::of(e)).collect();
    let membership = rule_events
        .iter()
        .filter(|e| matches!(e.kind(), EventKind::Enrol | EventKind::Unenrol))
        .filter(|e| e.period_id == period_id || placement(e, &window) == Some(Inside))
        .map(|e| EventRef::of(e))
        .collect();
    let milestones = target
        .milestones
        .iter()
        .map(|m| MilestoneVerdict {
            name: crate::sanitize::line(m.trigger_name.as_deref().unwrap_or("")).into_owned(),
            value: m.trigger_value,
            reached_by_api: m.is_achieved,
            crossed_on: m.trigger_value.and_then(crossing).map(|(e, _)| e),
        })
        .collect();
    PeriodVerdict {
        period_id,
        ref_code: target.period_ref_code.as_deref().map(|r| crate::sanitize::line(r).into_owned()),
        target_name: target.target_name.as_deref().map(|n| crate::sanitize::line(n).into_owned()),
        target_entity: target.target_entity.as_deref().map(|n| crate::sanitize::line(n).into_owned()),
        start,
        end,
        current,
        target: target.target_value,
        achieved,
        events_sum,
        events_count: here.len(),
        difference,
        readings,
        outcome,
        days_left,
        returns: returns.iter().map(|e| EventRef::of(e)).collect(),
        returns_total,
        counted_elsewhere: counted_elsewhere.iter().map(|e| EventRef::of(e)).collect(),
        counted_here_from_outside,
        unsettled,
        instants: window.has_instants(),
        would_have_reached,
        enrolled_on: target.enrolled_on.as_deref().map(|e| crate::sanitize::line(e).into_owned()),
        late_enrolment,
        before_enrolment,
        membership,
        returned_below,
        milestones,
        bills: None,
    }
}

/// The period a complaint is most likely about: the most recent one that
/// ended without the target reached, else the current one, else the last.
pub fn complaint_period(periods: &[PeriodVerdict]) -> usize {
    let ended_short = |v: &PeriodVerdict| !v.current && matches!(v.outcome, Outcome::NotReached { .. });
    periods
        .iter()
        .rposition(ended_short)
        .or_else(|| periods.iter().position(|v| v.current))
        .unwrap_or(periods.len().saturating_sub(1))
}

/// The verdicts over the periods of `rule_id` the targets list (or only
/// `period_id`), in period order.
pub fn verdicts(
    targets: &[&UserTarget],
    rule_id: i64,
    period_id: Option<i64>,
    events: &[TargetEvent],
    now: NaiveDateTime,
) -> Vec<PeriodVerdict> {
    verdicts_read(targets, rule_id, period_id, events, now, Readings::default())
}

/// [`verdicts`] with when the figures were read. Every event named is
/// given its period's reference code, from the same targets.
pub fn verdicts_read(
    targets: &[&UserTarget],
    rule_id: i64,
    period_id: Option<i64>,
    events: &[TargetEvent],
    now: NaiveDateTime,
    readings: Readings,
) -> Vec<PeriodVerdict> {
    let of_rule: Vec<&&UserTarget> = targets.iter().filter(|t| t.target_rule_id == rule_id).collect();
    let mut chosen: Vec<&&UserTarget> =
        of_rule.iter().copied().filter(|t| period_id.is_none_or(|p| t.period_id == Some(p))).collect();
    chosen.sort_by_key(|t| (t.period_start_date.clone(), t.period_id));
    let names: std::collections::HashMap<i64, String> = of_rule
        .iter()
        .filter_map(|t| Some((t.period_id?, crate::sanitize::line(t.period_ref_code.as_deref()?).into_owned())))
        .collect();
    chosen
        .iter()
        .map(|t| {
            let mut v = period_verdict_read(t, events, now, readings);
            v.name_periods(&names);
            v
        })
        .collect()
}

impl PeriodVerdict {
    /// Gives every event named its period's reference code.
    fn name_periods(&mut self, names: &std::collections::HashMap<i64, String>) {
        let mut refs: Vec<&mut EventRef> = Vec::new();
        if let Outcome::Reached { on, .. } = &mut self.outcome {
            refs.push(on);
        }
        refs.extend(self.returns.iter_mut());
        refs.extend(self.counted_elsewhere.iter_mut());
        refs.extend(self.counted_here_from_outside.iter_mut());
        refs.extend(self.unsettled.iter_mut());
        refs.extend(self.would_have_reached.iter_mut());
        refs.extend(self.before_enrolment.iter_mut());
        refs.extend(self.membership.iter_mut());
        refs.extend(self.returned_below.iter_mut());
        refs.extend(self.milestones.iter_mut().filter_map(|m| m.crossed_on.as_mut()));
        for e in refs {
            e.period_ref = names.get(&e.period_id).cloned();
        }
    }
}

#[cfg(test)]
mod tests;
