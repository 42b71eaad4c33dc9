//! Totals over the loaded events, per period: count, exact sum, counts and
//! sums by event name, first and last event, and value per day for the chart.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::api::model::{Money, TargetEvent, UserTargetGroup};

/// An exact sum, or `None` once it overflowed or needed more digits than a
/// Decimal holds: a figure is right or absent.
pub type Sum = Option<Money>;

fn add(sum: &mut Sum, v: Money) {
    *sum = sum.and_then(|s| s.checked_add(v));
}

/// A sum as shown: the figure, or why there is none.
pub fn show(sum: Sum) -> String {
    sum.map_or_else(|| "not exact".into(), |s| s.to_string())
}

#[derive(Clone, Debug, PartialEq)]
pub struct ByName {
    pub count: usize,
    pub sum: Sum,
}

impl Default for ByName {
    fn default() -> Self {
        ByName { count: 0, sum: Some(Money::ZERO) }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PeriodSummary {
    pub period_id: i64,
    pub count: usize,
    /// The exact sum of the loaded events' targetValue.
    pub sum: Sum,
    pub by_name: BTreeMap<String, ByName>,
    /// The first and last event's dates (in the order they happened), with
    /// the offset where the API gave one.
    pub first: Option<String>,
    pub last: Option<String>,
    /// When those happened, to order by (UTC where an offset was given).
    pub first_at: Option<chrono::NaiveDateTime>,
    pub last_at: Option<chrono::NaiveDateTime>,
    /// Value per calendar day, for the chart.
    pub per_day: BTreeMap<NaiveDate, Money>,
    /// From the customer's targets, when they were looked up.
    pub ref_code: Option<String>,
    pub target: Option<Money>,
    pub achieved: Option<Money>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl PeriodSummary {
    /// Target minus the loaded sum: what is missing (positive) or by how much
    /// the target was passed (zero or negative).
    pub fn missing(&self) -> Option<Money> {
        let (target, sum) = (self.target?, self.sum?);
        target.checked_add(Money(-sum.0))
    }

    /// Cumulative value at the end of each day with events.
    pub fn cumulative(&self) -> Vec<(NaiveDate, Money)> {
        let mut acc = Money::ZERO;
        self.per_day
            .iter()
            .map(|(d, v)| {
                acc = acc.checked_add(*v).unwrap_or(acc);
                (*d, acc)
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub periods: Vec<PeriodSummary>,
    pub count: usize,
    pub sum: Sum,
}

impl Default for Summary {
    fn default() -> Self {
        Summary { periods: Vec::new(), count: 0, sum: Some(Money::ZERO) }
    }
}

/// Summarises the events at `indices` (the current view), using the target
/// lookup when it is known for the same rule.
pub fn summarise(events: &[TargetEvent], indices: &[u32], groups: Option<&[UserTargetGroup]>) -> Summary {
    let mut periods: BTreeMap<i64, PeriodSummary> = BTreeMap::new();
    let mut summary = Summary::default();
    for &i in indices {
        let Some(e) = events.get(i as usize) else { continue };
        let p = periods.entry(e.period_id).or_insert_with(|| PeriodSummary {
            period_id: e.period_id,
            sum: Some(Money::ZERO),
            ..Default::default()
        });
        p.count += 1;
        add(&mut p.sum, e.target_value);
        let n = p.by_name.entry(e.event_name.clone()).or_default();
        n.count += 1;
        add(&mut n.sum, e.target_value);
        // Ordered by instants where the API gives them (never by the text),
        // shown with the offset; the day is the one where it happened.
        let instant = crate::core::verdict::window::instant(e.event_date_iso.as_deref());
        let at = instant.map(|t| t.naive_utc()).or(e.event_date.parsed);
        let shown = || crate::core::verdict::window::shown_plain(e.event_date_iso.as_deref(), &e.event_date.raw);
        if at.is_some() && p.first_at.is_none_or(|f| at.is_some_and(|a| a < f)) {
            (p.first_at, p.first) = (at, Some(shown()));
        }
        if at.is_some() && p.last_at.is_none_or(|l| at.is_some_and(|a| a > l)) {
            (p.last_at, p.last) = (at, Some(shown()));
        }
        if let Some(day) = instant.map(|t| t.date_naive()).or(e.event_date.parsed.map(|t| t.date())) {
            let day = p.per_day.entry(day).or_insert(Money::ZERO);
            *day = day.checked_add(e.target_value).unwrap_or(*day);
        }
        summary.count += 1;
        add(&mut summary.sum, e.target_value);
    }
    let rule = indices.first().and_then(|&i| events.get(i as usize)).map(|e| e.target_rule_id);
    for p in periods.values_mut() {
        let target = groups
            .into_iter()
            .flatten()
            .flat_map(|g| &g.targets)
            .find(|t| Some(t.target_rule_id) == rule && t.period_id == Some(p.period_id));
        if let Some(t) = target {
            p.ref_code = t.period_ref_code.clone();
            p.target = t.target_value;
            p.achieved = t.target_achieved_value;
            p.start = t.period_start_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            p.end = t.period_end_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        }
    }
    summary.periods = periods.into_values().collect();
    summary
}

/// The summary as tab-separated lines, for the clipboard: a header, a line
/// per period and the total. Names and refs are the API's, made safe.
pub fn as_text(summary: &Summary) -> String {
    let opt = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
    let mut lines = vec!["period\tref\tevents\tsum\ttarget\tachieved\tmissing".to_string()];
    for p in &summary.periods {
        let reference = p.ref_code.as_deref().map(|r| crate::sanitize::line(r).into_owned()).unwrap_or_default();
        lines.push(format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            p.period_id,
            reference.replace('\t', " "),
            p.count,
            show(p.sum),
            opt(p.target),
            opt(p.achieved),
            opt(p.missing())
        ));
    }
    lines.push(format!("total\t\t{}\t{}\t\t\t", summary.count, show(summary.sum)));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::response::parse_events_page;
    use crate::demo::Dataset;

    #[test]
    fn sums_are_exact_per_period_and_name() {
        let d = Dataset::embedded();
        let body = d.events_page(564332013, 1986, None, 100, 0, crate::api::OffsetMode::Page).unwrap();
        let events = parse_events_page(body.to_string().as_bytes()).unwrap().events;
        let all: Vec<u32> = (0..events.len() as u32).collect();
        let s = summarise(&events, &all, None);
        assert_eq!(s.periods.len(), 3);
        assert_eq!(show(s.periods[0].sum), "9000.92");
        assert_eq!(show(s.periods[1].sum), "3999.54");
        assert_eq!(s.periods[1].by_name["ADD_TRANSACTION"].count, 3);
        assert_eq!(s.periods[0].first.as_deref(), Some("2025-01-09 12:00:12.0"));
        assert_eq!(s.periods[0].last.as_deref(), Some("2025-01-09 13:00:12.0"));
        assert_eq!(show(s.sum), "15000.46");
        let cumulative = s.periods[1].cumulative();
        assert_eq!(cumulative.last().unwrap().1.to_string(), "3999.54");
    }

    #[test]
    fn an_overflowing_sum_is_absent_never_wrong() {
        let d = Dataset::embedded();
        let body = d.events_page(564332013, 1986, None, 100, 0, crate::api::OffsetMode::Page).unwrap();
        let mut events = parse_events_page(body.to_string().as_bytes()).unwrap().events;
        for e in events.iter_mut().take(2) {
            e.target_value = Money(rust_decimal::Decimal::MAX);
        }
        let all: Vec<u32> = (0..events.len() as u32).collect();
        let s = summarise(&events, &all, None);
        assert_eq!(s.sum, None);
        assert_eq!(show(s.periods[0].sum), "not exact");
        assert_eq!(s.periods[1].sum.map(|m| m.to_string()).as_deref(), Some("3999.54"));
    }
}

/// The summary pane's state: the totals of the view and the period selected.
#[derive(Clone, Debug, Default)]
pub struct SummaryPanel {
    pub(in crate::explorer::features::summary) summary: Summary,
    pub(in crate::explorer::features::summary) selected: usize,
}

impl SummaryPanel {
    /// A summary opened on the period `selected` (kept when it is opened again).
    pub(crate) fn opened_at(selected: usize) -> SummaryPanel {
        SummaryPanel { summary: Summary::default(), selected }
    }

    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The period selected, when there is one.
    pub fn selected_period(&self) -> Option<&PeriodSummary> {
        self.summary.periods.get(self.selected)
    }

    /// New totals: the selection stays inside them.
    pub(crate) fn set_summary(&mut self, summary: Summary) {
        self.selected = self.selected.min(summary.periods.len().saturating_sub(1));
        self.summary = summary;
    }
}
