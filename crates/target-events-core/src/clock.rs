//! The tool's own clock as people read it: this machine's local time with
//! its offset, so a time pasted into an escalation ("as of 15:00:00 +05:30",
//! "Made 2025-10-22 15:00 +05:30") means one moment wherever it is read.

use std::sync::OnceLock;

use chrono::{FixedOffset, NaiveDateTime, Offset, TimeZone};

static FIXED: OnceLock<FixedOffset> = OnceLock::new();

/// Shows the tool's clock at `offset` instead of this machine's zone, for
/// the rest of the process (a fixed clock's screens are the same anywhere).
/// The first offset fixed stays.
pub fn fix_offset(offset: FixedOffset) {
    let _ = FIXED.set(offset);
}

/// The offset of this machine's zone at local time `t` (the earlier one in
/// a repeated hour; UTC when the zone cannot say).
pub fn offset_at(t: NaiveDateTime) -> FixedOffset {
    FIXED.get().copied().unwrap_or_else(|| {
        chrono::Local.offset_from_local_datetime(&t).earliest().map_or_else(|| chrono::Utc.fix(), |o| o.fix())
    })
}

/// Local time `t` in `format`, then its offset: "15:00:00 +05:30".
pub fn shown(t: NaiveDateTime, format: &str) -> String {
    format!("{} {}", t.format(format), offset_at(t))
}

/// A local time of the tool's clock in JSON, as an instant with its offset
/// ("2025-10-22T15:00:00+05:30"), whole seconds.
pub fn serialize_local<S: serde::Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format!("{}{}", t.format("%Y-%m-%dT%H:%M:%S"), offset_at(*t))),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_local_time_is_shown_with_its_offset() {
        let t = chrono::NaiveDate::from_ymd_opt(2025, 10, 22).and_then(|d| d.and_hms_opt(15, 0, 0));
        let shown = super::shown(t.unwrap_or_default(), "%H:%M:%S");
        assert!(
            shown.starts_with("15:00:00 ")
                && (shown.ends_with(":00") || shown.ends_with(":30") || shown.ends_with(":45")),
            "{shown}"
        );
    }
}
