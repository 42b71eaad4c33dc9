//! A reply the agent can send the customer: a few plain sentences from the
//! same verdict as the case note — the month by name, the amount short, what
//! happened to the purchase that would have made it, what happens next. No
//! event, rule or request ids and no HTTP words: the case note stays the
//! escalation's evidence.

use chrono::{Datelike, NaiveDate};

use super::{EventRef, Outcome, PeriodVerdict};

/// "30 September 2025".
fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The day of an API date text, for people; the text itself when it is no date.
fn day_of(raw: &str) -> String {
    super::parse_day(Some(raw)).map_or_else(|| crate::sanitize::line(raw).into_owned(), day)
}

/// The day an event happened where it happened: by its offset (the
/// store's) when the API gave one, else the date as the API wrote it.
fn day_of_event(e: &EventRef) -> String {
    match super::window::instant(e.event_date_iso.as_deref()) {
        Some(t) => day(t.date_naive()),
        None => day_of(&e.event_date),
    }
}

/// A period for the customer: "September 2025" when it is a calendar month,
/// else "the period from 1 January 2025 to 12 January 2025", else its code.
pub fn period_words(v: &PeriodVerdict) -> String {
    match (v.start, v.end) {
        (Some(s), Some(e)) if s.day() == 1 && e.succ_opt().is_some_and(|n| n.day() == 1) && s.month() == e.month() => {
            s.format("%B %Y").to_string()
        }
        (Some(s), Some(e)) => format!("the period from {} to {}", day(s), day(e)),
        _ => v.ref_code.clone().unwrap_or_else(|| "this period".into()),
    }
}

/// The period an event counted in, for the customer: its month when the
/// reference code names one ("Oct_2025" → "October 2025"), else the code.
fn counted_in(e: &EventRef, others: &[PeriodVerdict]) -> String {
    others
        .iter()
        .find(|p| p.period_id == e.period_id)
        .map(period_words)
        .or_else(|| e.period_ref.as_deref().map(month_of_code))
        .unwrap_or_else(|| "another period".into())
}

/// The reply for `v`, one of `all` (the rule's periods, to name where a
/// moved purchase counted).
pub fn reply(v: &PeriodVerdict, all: &[PeriodVerdict]) -> String {
    let when = period_words(v);
    // A target of purchases speaks of purchases; one of check-ins or visits does not.
    let purchases = v.target_entity.as_deref().is_none_or(|e| e.eq_ignore_ascii_case("TRANSACTION"));
    let (yours, that_count, come) = if purchases {
        ("Your purchases", "the purchases that count", "come")
    } else {
        ("Your activity", "what counts", "comes")
    };
    let target = v.target.map(|t| t.as_money());
    let have = v.have().map(|h| h.as_money());
    let mut out: Vec<String> = Vec::new();
    match (&v.outcome, target) {
        (Outcome::Reached { on, .. }, Some(t)) => {
            out.push(format!("{yours} in {when} reached the target of {t} on {}.", day_of_event(on)))
        }
        (Outcome::ReachedByApi, Some(t)) => out.push(format!("{yours} in {when} reached the target of {t}.")),
        (Outcome::NotReached { short_by }, Some(t)) if v.current && v.days_left != Some(0) => {
            let have = have.unwrap_or_else(|| "nothing yet".into());
            let more = short_by.map_or(String::new(), |s| format!(": {} more", s.as_money()));
            let by = v.end.map_or(String::new(), |e| format!(" by {}", day(e)));
            out.push(format!("So far in {when} {that_count} {come} to {have} of the {t} needed{more}{by} reaches it."));
        }
        (Outcome::NotReached { short_by }, Some(t)) => {
            let have = have.unwrap_or_else(|| "nothing".into());
            let short = short_by.map_or(String::new(), |s| format!(", {} short", s.as_money()));
            out.push(format!("In {when} {that_count} came to {have} of the {t} needed{short}."));
        }
        _ => out.push(format!("There was no amount to reach in {when}.")),
    }
    if let Some(l) = &v.late_enrolment {
        out.push(format!(
            "You joined on {}, with {} of the period's {} days to go.",
            day(l.enrolled),
            l.days_enrolled,
            l.period_days
        ));
    }
    if let Some(w) = &v.would_have_reached {
        let processed = super::parse_day(Some(&w.event_processed_date));
        let made = day_of_event(w);
        let elsewhere = counted_in(w, all);
        let reason = match processed {
            Some(p) => format!(" because it was processed on {}", day(p)),
            None => String::new(),
        };
        out.push(format!(
            "Your purchase of {} on {made} counted toward {elsewhere} instead{reason}; with it, {when} would have reached the target.",
            w.value.as_money()
        ));
    }
    // The bill the caller means, when one did not count.
    if let Some(story) = &v.bills
        && let Some(b) = &story.would_have_reached
    {
        let when = b.when.get(..10).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let on = when.map_or_else(String::new, |d| format!(" on {}", day(d)));
        let number = if b.number.is_empty() { String::new() } else { format!(" (bill number {})", b.number) };
        let amount = b.amount_text();
        use crate::reconcile::Why;
        let (what, next) = match story.why(b) {
            Some(Why::NotInterested) => {
                ("was made without your loyalty number, so it did not count toward the target", "")
            }
            // What OUTLIER means for targets is not documented: said as it is.
            Some(Why::Outlier { .. }) => ("was flagged by our system and did not count toward the target", ""),
            Some(Why::BeforeEnrolment { others_counted: false }) => {
                ("was made before you joined, so it did not count toward the target", "")
            }
            Some(Why::BeforeEnrolment { others_counted: true }) => {
                ("was made before you joined and did not count toward the target", " We will look into why.")
            }
            Some(Why::CreditNote { .. } | Why::Return) => ("was returned, so it did not count toward the target", ""),
            _ => ("did not count toward the target", " We will look into why."),
        };
        out.push(format!(
            "Your bill of {amount}{on}{number} {what}; with it, {when_p} would have reached the target.{next}",
            when_p = when_words(v)
        ));
    }
    if let Some(r) = &v.returned_below {
        out.push(format!(
            "A return of {} on {} took the total back below the target.",
            crate::api::model::Money(r.value.0.abs()).as_money(),
            day_of_event(r)
        ));
    }
    match &v.outcome {
        Outcome::NotReached { .. } if v.current && v.days_left != Some(0) => {
            out.push("Purchases from now until the period ends still count toward it.".into())
        }
        // Ended by the calendar, but the API still calls it current: purchases
        // being processed may yet count.
        Outcome::NotReached { .. } if v.current => out.push(format!(
            "{} has ended; purchases still being processed may yet count. If you made a purchase that is not reflected here, send us its bill number and we will look into it.",
            super::capital(&when)
        )),
        Outcome::NotReached { .. } => out.push(format!(
            "{} has closed, so its total can no longer change. If you made a purchase that is not reflected here, send us its bill number and we will look into it.",
            super::capital(&when)
        )),
        _ => {}
    }
    out.join(" ")
}

/// A reference code like "Oct_2025" as "October 2025"; any other as it is.
fn month_of_code(code: &str) -> String {
    NaiveDate::parse_from_str(&format!("01_{code}"), "%d_%b_%Y")
        .map_or_else(|_| code.to_string(), |d| d.format("%B %Y").to_string())
}

fn when_words(v: &PeriodVerdict) -> String {
    period_words(v)
}
