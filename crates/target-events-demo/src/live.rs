//! A demo customer whose purchases keep arriving, so that watching (`w`) has
//! something to show: every `everySeconds` after the server started, the next
//! of `values` is bought, up to `max` purchases. Pure: the time is given.

use std::borrow::Cow;
use std::time::Duration;

use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{Value, json};

use super::data::Customer;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveFeed {
    pub every_seconds: u64,
    /// Faster than a second apart (tests of a busy customer): overrides
    /// `every_seconds` when set.
    #[serde(default)]
    pub every_millis: Option<u64>,
    pub max: usize,
    pub group_id: i64,
    pub rule_id: i64,
    pub period_id: i64,
    /// Purchase amounts, used in turn (exact decimal text).
    pub values: Vec<String>,
}

/// When the demo server started (wall clock) and how long ago.
#[derive(Clone, Copy, Debug)]
pub struct LiveClock {
    pub started: NaiveDateTime,
    pub elapsed: Duration,
}

/// The first id of an arrived event: above every event of the dataset.
const FIRST_ID: i64 = 990_000_000;

impl LiveFeed {
    /// How many purchases have arrived `elapsed` after the start.
    pub fn arrived(&self, elapsed: Duration) -> usize {
        let n = match self.every_millis {
            Some(ms) => elapsed.as_millis().checked_div(u128::from(ms)).map(|n| u64::try_from(n).unwrap_or(u64::MAX)),
            None => elapsed.as_secs().checked_div(self.every_seconds),
        };
        n.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX).min(self.max))
    }

    /// The `k`th arrival (0-based), dated when it arrived.
    pub fn event(&self, customer: i64, k: usize, started: NaiveDateTime) -> Value {
        let k64 = u64::try_from(k).unwrap_or(u64::MAX);
        let secs = self.every_seconds.saturating_mul(k64.saturating_add(1));
        let at = chrono::TimeDelta::try_seconds(i64::try_from(secs).unwrap_or(i64::MAX))
            .and_then(|d| started.checked_add_signed(d))
            .unwrap_or(started);
        let date = format!("{}.0", at.format("%Y-%m-%d %H:%M:%S"));
        let value = match self.values.get(k % self.values.len().max(1)) {
            Some(v) => serde_json::from_str::<Value>(v).unwrap_or(Value::Null),
            None => Value::Null,
        };
        let id = FIRST_ID.saturating_add(i64::try_from(k).unwrap_or(i64::MAX));
        json!({
            "eventLogId": id,
            "eventName": "ADD_TRANSACTION",
            "customerId": customer,
            "eventDisplayName": null,
            "uniqueId": (FIRST_ID + 6_000_000).saturating_add(i64::try_from(k).unwrap_or(i64::MAX)).to_string(),
            "eventDate": date,
            "eventProcessedDate": date,
            "periodId": self.period_id,
            "targetGroupId": self.group_id,
            "targetRuleId": self.rule_id,
            "targetValue": value,
        })
    }
}

/// The customer as of `clock`: with the purchases that have arrived by then.
/// Customers without a feed, and every customer when there is no clock, are
/// returned as they are.
pub fn as_of(customer: &Customer, clock: Option<LiveClock>) -> Cow<'_, Customer> {
    let (Some(feed), Some(clock)) = (&customer.live, clock) else {
        return Cow::Borrowed(customer);
    };
    let n = feed.arrived(clock.elapsed);
    if n == 0 {
        return Cow::Borrowed(customer);
    }
    let mut c = customer.clone();
    c.events.extend((0..n).map(|k| feed.event(customer.user_id, k, clock.started)));
    Cow::Owned(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dataset;

    fn clock(secs: u64) -> LiveClock {
        let started = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap();
        LiveClock { started, elapsed: Duration::from_secs(secs) }
    }

    #[test]
    fn purchases_arrive_on_time_dated_when_they_arrive() {
        let d = Dataset::embedded();
        let live = d.customers.iter().find(|c| c.live.is_some()).expect("the demo has a live customer");
        let feed = live.live.as_ref().unwrap();
        let before = live.events.len();
        assert_eq!(as_of(live, None).events.len(), before);
        assert_eq!(as_of(live, Some(clock(feed.every_seconds - 1))).events.len(), before);
        let later = as_of(live, Some(clock(feed.every_seconds * 2 + 1)));
        assert_eq!(later.events.len(), before + 2);
        let first = &later.events[before];
        let second = &later.events[before + 1];
        assert_eq!(first["eventDate"], format!("2026-11-26 12:00:{:02}.0", feed.every_seconds));
        assert_eq!(first["targetValue"].to_string(), feed.values[0]);
        assert_eq!(second["targetValue"].to_string(), feed.values[1]);
        assert_ne!(first["eventLogId"], second["eventLogId"]);
        // Never more than max, however long the demo runs.
        let much_later = as_of(live, Some(clock(u64::MAX)));
        assert_eq!(much_later.events.len(), before + feed.max);
    }

    #[test]
    fn the_api_counts_what_has_arrived() {
        let d = Dataset::embedded();
        let achieved = |secs| {
            let body = d.target_groups_at(808000808, Some(clock(secs))).unwrap();
            body["data"]["targetGroups"][0]["targets"][0]["targetAchievedValue"].to_string()
        };
        assert_eq!(achieved(0), "9000.00");
        // 333.33 + 120.00 + 649.90 after three arrivals: the target is reached.
        assert_eq!(achieved(46), "10103.23");
        let page = d.events_page_at(808000808, 8080, None, 50, 0, crate::api::OffsetMode::Page, Some(clock(46)));
        assert_eq!(page.unwrap()["pagination"]["total"], 7);
    }

    #[test]
    fn a_feed_without_a_period_or_values_cannot_panic() {
        let feed = LiveFeed {
            every_seconds: 0,
            every_millis: None,
            max: 3,
            group_id: 1,
            rule_id: 1,
            period_id: 1,
            values: vec![],
        };
        assert_eq!(feed.arrived(Duration::from_secs(100)), 0);
        let e = feed.event(1, usize::MAX / 2, clock(0).started);
        assert_eq!(e["targetValue"], Value::Null);
    }
}
