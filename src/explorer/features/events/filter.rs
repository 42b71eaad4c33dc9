//! Which loaded events the table shows, in what order: a local filter
//! (the filter language of every table, `core::filter`) and a local sort. The API's
//! chronological order is the default. The view is a list of indices, so the
//! events themselves are never copied.

use std::cmp::Ordering;

use std::borrow::Cow;

use crate::api::model::TargetEvent;
use crate::core::filter::{Cell, Filter};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// As the API sent them (chronological).
    #[default]
    Api,
    Date,
    Value,
    Event,
    Name,
    Period,
    Processed,
}

impl SortKey {
    pub const CYCLE: [SortKey; 7] = [
        SortKey::Api,
        SortKey::Date,
        SortKey::Value,
        SortKey::Event,
        SortKey::Name,
        SortKey::Period,
        SortKey::Processed,
    ];

    pub fn next(self) -> SortKey {
        let i = Self::CYCLE.iter().position(|k| *k == self).unwrap_or(0);
        Self::CYCLE[(i + 1) % Self::CYCLE.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Api => "API order",
            SortKey::Date => "event date",
            SortKey::Value => "value",
            SortKey::Event => "event name",
            SortKey::Name => "display name",
            SortKey::Period => "period",
            SortKey::Processed => "processing lag",
        }
    }
}

/// True when the event passes `filter` (the filter language of every
/// table: words, `column:word`, `-word`; see `core::filter`). Each column
/// answers to the names its header and the API give it.
/// The names the events table's columns answer to in a filter.
pub const COLUMN_NAMES: &[&str] = &[
    "date",
    "eventdate",
    "event",
    "name",
    "eventname",
    "display",
    "displayname",
    "bill",
    "uniqueid",
    "processed",
    "processeddate",
    "value",
    "targetvalue",
    "period",
    "periodid",
    "id",
    "eventlogid",
    "customer",
    "customerid",
    "group",
    "targetgroupid",
    "rule",
    "targetruleid",
];

fn cell<'a>(names: [&'static str; 3], text: Cow<'a, str>) -> Cell<'a> {
    Cell { names, text }
}

pub fn matches(e: &TargetEvent, filter: &Filter) -> bool {
    if filter.is_empty() {
        return true;
    }
    let cells = [
        cell(["date", "eventdate", ""], Cow::Borrowed(e.event_date.raw.as_str())),
        cell(["event", "name", "eventname"], Cow::Borrowed(e.event_name.as_str())),
        cell(["display", "displayname", ""], Cow::Borrowed(e.event_display_name.as_deref().unwrap_or(""))),
        cell(["bill", "uniqueid", ""], Cow::Borrowed(e.unique_id.as_str())),
        cell(["processed", "processeddate", ""], Cow::Borrowed(e.event_processed_date.raw.as_str())),
        cell(["value", "targetvalue", ""], Cow::Owned(e.target_value.to_string())),
        cell(["period", "periodid", ""], Cow::Owned(e.period_id.to_string())),
        cell(["id", "eventlogid", ""], Cow::Owned(e.event_log_id.to_string())),
        cell(["customer", "customerid", ""], Cow::Owned(e.customer_id.to_string())),
        cell(["group", "targetgroupid", ""], Cow::Owned(e.target_group_id.to_string())),
        cell(["rule", "targetruleid", ""], Cow::Owned(e.target_rule_id.to_string())),
    ];
    filter.matches(&cells)
}

fn compare(a: &TargetEvent, b: &TargetEvent, key: SortKey) -> Ordering {
    match key {
        SortKey::Api => Ordering::Equal,
        SortKey::Date => {
            a.event_date.parsed.cmp(&b.event_date.parsed).then_with(|| a.event_date.raw.cmp(&b.event_date.raw))
        }
        SortKey::Value => a.target_value.cmp(&b.target_value),
        SortKey::Event => a.event_name.cmp(&b.event_name),
        SortKey::Name => a.event_display_name.cmp(&b.event_display_name),
        SortKey::Period => a.period_id.cmp(&b.period_id),
        SortKey::Processed => a.processing_lag().cmp(&b.processing_lag()),
    }
}

/// Indices of the events to show, filtered then sorted (stable, so ties keep
/// the API's order).
pub fn build(events: &[TargetEvent], filter: &str, sort: SortKey, descending: bool) -> Vec<u32> {
    let filter = Filter::parse(filter);
    let mut view: Vec<u32> = (0..events.len() as u32).filter(|&i| matches(&events[i as usize], &filter)).collect();
    if sort != SortKey::Api {
        view.sort_by(|&a, &b| compare(&events[a as usize], &events[b as usize], sort));
    }
    if descending {
        view.reverse();
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::response::parse_events_page;
    use crate::demo::Dataset;

    fn events() -> Vec<TargetEvent> {
        let d = Dataset::embedded();
        let body = d.events_page(498221730, 3150, None, 100, 0, crate::api::OffsetMode::Page).unwrap();
        parse_events_page(body.to_string().as_bytes()).unwrap().events
    }

    #[test]
    fn filter_is_case_insensitive_over_every_column() {
        let e = events();
        assert_eq!(build(&e, "return_bill", SortKey::Api, false).len(), 2);
        assert_eq!(build(&e, "appcheckin", SortKey::Api, false).len(), 2);
        assert_eq!(build(&e, "31502", SortKey::Api, false).len(), 5);
        assert_eq!(build(&e, "", SortKey::Api, false).len(), e.len());
        assert!(build(&e, "no such thing", SortKey::Api, false).is_empty());
        assert_eq!(build(&e, "period:31502", SortKey::Api, false).len(), 5, "a column named");
        assert_eq!(build(&e, "-return_bill", SortKey::Api, false).len(), e.len() - 2, "a word left out");
    }

    #[test]
    fn sort_by_value_is_exact_and_stable() {
        let e = events();
        let v = build(&e, "", SortKey::Value, false);
        let values: Vec<String> = v.iter().map(|&i| e[i as usize].target_value.to_string()).collect();
        assert_eq!(values.first().map(String::as_str), Some("-860.50"));
        assert_eq!(values.last().map(String::as_str), Some("2000.00"));
        let desc = build(&e, "", SortKey::Value, true);
        assert_eq!(e[desc[0] as usize].target_value.to_string(), "2000.00");
    }
}
