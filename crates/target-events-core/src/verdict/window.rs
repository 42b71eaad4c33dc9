//! Whether an event (or a bill) belongs to a period, compared as instants.
//!
//! The API gives legacy dates as local strings in the cluster's zone and, on
//! newer clusters, ISO 8601 fields with their offsets beside them
//! (`eventDateISO`, `periodEndDateWithTimeStampISO`, …). Where both sides
//! carry an offset, the comparison is between instants and settles the
//! question. Where only the legacy strings exist, a store in another zone
//! than the cluster can put a bill on the other side of midnight: within
//! [`UNSETTLED_HOURS`] of a boundary the answer is "cannot be settled", and
//! the verdict says so instead of claiming.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta};

use crate::api::model::{TargetEvent, UserTarget};

/// How close to a period's boundary a local time without an offset cannot be
/// placed: the widest gap between two zones' clocks (UTC−12 to UTC+14).
pub const UNSETTLED_HOURS: i64 = 14;

/// Where a dated thing falls against a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Inside,
    Outside,
    /// Only local strings exist and it lies within [`UNSETTLED_HOURS`] of a
    /// boundary: the API's dates cannot settle which period it belongs to.
    Unsettled,
}

/// An ISO 8601 instant with its offset (`2025-10-01T03:00:00+05:30`,
/// `…Z`, `….000+0000`); None for anything else.
pub fn instant(text: Option<&str>) -> Option<DateTime<FixedOffset>> {
    let t = text?.trim();
    DateTime::parse_from_rfc3339(t)
        .ok()
        .or_else(|| DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
        .or_else(|| DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%z").ok())
}

/// A period's bounds: instants where the API gives them, else its days.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub start_day: Option<NaiveDate>,
    pub end_day: Option<NaiveDate>,
    pub start: Option<DateTime<FixedOffset>>,
    pub end: Option<DateTime<FixedOffset>>,
}

impl Window {
    pub fn of(target: &UserTarget) -> Window {
        Window {
            start_day: super::parse_day(target.period_start_date.as_deref()),
            end_day: super::parse_day(target.period_end_date.as_deref()),
            start: instant(target.period_start_iso.as_deref()),
            end: instant(target.period_end_iso.as_deref()),
        }
    }

    /// Where the event's date falls.
    pub fn place_event(&self, e: &TargetEvent) -> Option<Placement> {
        self.place(instant(e.event_date_iso.as_deref()), e.event_date.parsed)
    }

    /// Where a moment falls: by instants when it and the window's bounds
    /// carry offsets, else by its local time (unsettled near a boundary);
    /// None when it has no time at all.
    pub fn place(&self, at: Option<DateTime<FixedOffset>>, local: Option<NaiveDateTime>) -> Option<Placement> {
        if let (Some(at), Some(start), Some(end)) = (at, self.start, self.end) {
            return Some(if at >= start && at <= end { Placement::Inside } else { Placement::Outside });
        }
        let local = local.or_else(|| at.map(|a| a.naive_local()))?;
        let start = self.start_day.map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists"));
        let end = self.end_day.map(|d| d.and_hms_opt(23, 59, 59).expect("a second before midnight exists"));
        let near = |edge: NaiveDateTime| (local - edge).abs() < TimeDelta::hours(UNSETTLED_HOURS);
        if start.is_some_and(near) || end.is_some_and(near) {
            return Some(Placement::Unsettled);
        }
        let inside = start.is_none_or(|s| local >= s) && end.is_none_or(|e| local <= e);
        Some(if inside { Placement::Inside } else { Placement::Outside })
    }

    /// Whether the bounds are instants (the ISO fields were given).
    pub fn has_instants(&self) -> bool {
        self.start.is_some() && self.end.is_some()
    }
}

/// A time for people, with its offset where the API gave one:
/// "2025-10-01 03:00 +05:30"; else the legacy text as it came.
pub fn shown(iso: Option<&str>, legacy: &str) -> String {
    match instant(iso) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        // The cluster's local string: said to have no offset, so no one reads
        // it as their own zone's time.
        None if legacy.trim().is_empty() => String::new(),
        None => format!("{} (no offset)", crate::sanitize::line(legacy)),
    }
}

/// [`shown`] without the words on a missing offset, for a narrow column
/// whose neighbours say it (the summary's first and last event).
pub fn shown_plain(iso: Option<&str>, legacy: &str) -> String {
    match instant(iso) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        None => crate::sanitize::line(legacy).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn local(s: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()
    }

    #[test]
    fn instants_settle_what_local_strings_cannot() {
        // A UTC cluster, a store at +05:30: 03:00 on 1 October at the store is
        // 21:30 on 30 September in the cluster's strings.
        let with_offsets = Window {
            start_day: day("2025-09-01"),
            end_day: day("2025-09-30"),
            start: instant(Some("2025-09-01T00:00:00+05:30")),
            end: instant(Some("2025-09-30T23:59:59+05:30")),
        };
        let bill = instant(Some("2025-10-01T03:00:00+05:30"));
        assert_eq!(with_offsets.place(bill, local("2025-09-30 21:30:00")), Some(Placement::Outside));
        let earlier = instant(Some("2025-09-30T23:00:00+05:30"));
        assert_eq!(with_offsets.place(earlier, None), Some(Placement::Inside));
        // The same bill with only the local strings: too close to the end to say.
        let legacy = Window { start: None, end: None, ..with_offsets };
        assert_eq!(legacy.place(None, local("2025-09-30 21:30:00")), Some(Placement::Unsettled));
        assert_eq!(legacy.place(None, local("2025-09-01 05:00:00")), Some(Placement::Unsettled));
        assert_eq!(legacy.place(None, local("2025-09-15 12:00:00")), Some(Placement::Inside));
        assert_eq!(legacy.place(None, local("2025-10-02 12:00:00")), Some(Placement::Outside));
        assert_eq!(legacy.place(None, None), None);
    }

    #[test]
    fn the_forms_of_an_instant_are_read_and_shown_with_their_offset() {
        for text in ["2025-10-01T03:00:00+05:30", "2025-09-30T21:30:00Z", "2025-09-30T21:30:00.000+0000"] {
            assert!(instant(Some(text)).is_some(), "{text}");
        }
        assert!(instant(Some("2025-09-30 21:30:00.0")).is_none(), "no offset: no instant");
        assert_eq!(shown(Some("2025-10-01T03:00:00+05:30"), "x"), "2025-10-01 03:00:00 +05:30");
        assert_eq!(shown(None, "2025-09-30 21:30:00.0"), "2025-09-30 21:30:00.0 (no offset)", "said to have none");
    }
}
