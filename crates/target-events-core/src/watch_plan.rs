//! Watching a query live, as a plan both front ends follow: which page to
//! poll next, how long to wait, and which events are new. The explorer runs
//! it through effects, `fetch --watch` in a loop; neither decides alone.
//!
//! The plan trusts nothing the server says about pages. It never polls more
//! than once an interval; events are new by their ids, each reported once.
//! While it learns what is already there (nothing is news) it walks forward
//! a page at a time, and only past a page that was full and brought events
//! it had not seen: a server that repeats a page, or answers every offset
//! with the same events, stops the walk instead of leading it on. The
//! server's count of records is tried once as a hint of where the last page
//! is; a hinted page that holds nothing new sends the walk back where it was.

use std::collections::HashSet;
use std::time::Duration;

use crate::api::model::{EventsPage, TargetEvent};
use crate::api::{ApiError, EventsQuery};

/// The shortest time between polls, whatever the settings say.
pub const MIN_INTERVAL: Duration = Duration::from_secs(2);
/// The default time between polls.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// The longest wait after repeated errors (unless the server asks for more).
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The longest wait a `Retry-After` is obeyed for: past it, the plan waits this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// The wait before the next poll: the interval, doubled per failure in a row
/// up to [`MAX_BACKOFF`].
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.min(6));
    interval.saturating_mul(factor).min(MAX_BACKOFF.max(interval))
}

/// The shortest time between two requests a requests-per-minute allows.
pub fn quota(requests_per_minute: u32) -> Duration {
    Duration::from_secs(60) / requests_per_minute.max(1)
}

/// The interval a profile allows: at least [`MIN_INTERVAL`], and no faster
/// than its requests-per-minute.
pub fn interval_for(wanted: Duration, requests_per_minute: u32) -> Duration {
    wanted.max(MIN_INTERVAL).max(quota(requests_per_minute))
}

/// The watch: where it is and what it has seen.
#[derive(Clone, Debug)]
pub struct WatchPlan {
    /// The page polled next.
    pub query: EventsQuery,
    pub interval: Duration,
    /// Errors in a row.
    pub failures: u32,
    /// Every event id known, so only new ones are reported.
    pub seen: HashSet<i64>,
    /// Still learning what is there: nothing counts as new yet.
    pub learning: bool,
    /// Where the walk goes on if the page being tried on the server's
    /// count does not hold up.
    fallback: Option<u32>,
    /// The server's count was tried once already (it is not followed twice).
    hint_tried: bool,
}

/// What one answer means.
#[derive(Debug, Default)]
pub struct Step {
    /// Events not seen before, in the order the page lists them.
    pub fresh: Vec<TargetEvent>,
    /// The server's count of records, when it gave one (said, never followed).
    pub total: Option<u64>,
    /// How long to wait before the next poll.
    pub wait: Duration,
}

impl WatchPlan {
    /// A plan polling `query`'s page, with `seen` already known. When
    /// `learning`, what the pages hold until the end is found is taken as
    /// known, not new. `requests_per_minute` keeps the interval within the
    /// profile's quota.
    pub fn new(
        query: EventsQuery,
        interval: Duration,
        requests_per_minute: u32,
        seen: HashSet<i64>,
        learning: bool,
    ) -> Self {
        WatchPlan {
            query,
            interval: interval.max(quota(requests_per_minute)),
            failures: 0,
            seen,
            learning,
            fallback: None,
            hint_tried: false,
        }
    }

    /// How long to wait before the first poll: at once while learning.
    pub fn first_wait(&self) -> Duration {
        if self.learning { Duration::ZERO } else { self.interval }
    }

    /// Reads an answer to the poll of [`WatchPlan::query`]. The next poll is
    /// an interval away, whatever the answer.
    pub fn answered(&mut self, result: Result<EventsPage, &ApiError>) -> Step {
        let page = match result {
            Ok(page) => page,
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                let mut wait = backoff(self.interval, self.failures);
                if let Some(asked) = e.retry_after() {
                    wait = wait.max(asked.min(MAX_RETRY_AFTER));
                }
                return Step { wait, ..Step::default() };
            }
        };
        self.failures = 0;
        let limit = self.query.limit.max(1) as usize;
        let total = page.pagination.total;
        let full = page.events.len() >= limit;
        let mut brought_new = false;
        let mut fresh = Vec::new();
        for e in page.events {
            if self.seen.insert(e.event_log_id) {
                brought_new = true;
                if !self.learning {
                    fresh.push(e);
                }
            }
        }
        let polled = self.query.page;
        match self.fallback.take() {
            // The page the count pointed at held nothing new (past the end,
            // or the same events again): back to the walk.
            Some(back) if !brought_new => self.query.page = back,
            _ if full && brought_new => {
                // More may lie beyond: first where the count says the last
                // page is (once), else the next page.
                let hinted = total
                    .and_then(|t| u32::try_from(t.saturating_sub(1) / limit as u64).ok())
                    .filter(|&last| self.learning && !self.hint_tried && last > polled.saturating_add(1));
                match hinted {
                    Some(last) => {
                        self.hint_tried = true;
                        self.fallback = Some(polled.saturating_add(1));
                        self.query.page = last;
                    }
                    None => self.query.page = polled.saturating_add(1),
                }
            }
            // Not full, or nothing new (a repeated page): the end is here.
            _ => self.learning = false,
        }
        Step { fresh, total, wait: self.interval }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Pagination;

    fn page(ids: std::ops::Range<i64>, total: u64) -> EventsPage {
        let events = ids
            .map(|id| {
                TargetEvent::from_raw(&format!(
                    r#"{{"eventLogId":{id},"eventName":"X","customerId":1,"uniqueId":"u{id}","eventDate":"2025-01-01 00:00:00.0","eventProcessedDate":"2025-01-01 00:00:00.0","periodId":1,"targetGroupId":1,"targetRuleId":1,"targetValue":1}}"#
                ))
                .unwrap()
            })
            .collect();
        EventsPage { pagination: Pagination { total: Some(total), ..Default::default() }, events, warnings: Vec::new() }
    }

    fn query(page: u32) -> EventsQuery {
        EventsQuery { user_id: 1, rule_id: 1, period_id: None, limit: 10, page }
    }

    #[test]
    fn learning_tries_the_count_once_then_walks_every_page_one_poll_an_interval() {
        let five = Duration::from_secs(5);
        let mut plan = WatchPlan::new(query(0), five, 600, HashSet::new(), true);
        assert_eq!(plan.first_wait(), Duration::ZERO);
        let step = plan.answered(Ok(page(0..10, 35)));
        assert!(step.fresh.is_empty(), "what was there is not news");
        assert_eq!((plan.query.page, step.wait), (3, five), "the count's last page, an interval later");
        let step = plan.answered(Ok(page(30..35, 35)));
        assert!(step.fresh.is_empty() && !plan.learning);
        assert_eq!(step.wait, five);
        // 25 events arrive before the next poll: pages 3, 4 and 5 are walked,
        // one an interval, each event reported once.
        let step = plan.answered(Ok(page(30..40, 60)));
        assert_eq!(step.fresh.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), (35..40).collect::<Vec<_>>());
        assert_eq!((plan.query.page, step.wait), (4, five));
        assert_eq!(plan.answered(Ok(page(40..50, 60))).fresh.len(), 10);
        assert_eq!(plan.answered(Ok(page(50..60, 60))).fresh.len(), 10);
        assert_eq!(plan.query.page, 6);
        let step = plan.answered(Ok(page(60..60, 60)));
        assert_eq!((step.fresh.len(), plan.query.page, step.wait), (0, 6, five));
    }

    #[test]
    fn a_lying_count_costs_one_poll_and_the_walk_goes_on_where_it_was() {
        let five = Duration::from_secs(5);
        let mut plan = WatchPlan::new(query(0), five, 600, HashSet::new(), true);
        plan.answered(Ok(page(0..10, 1_000_000)));
        assert_eq!(plan.query.page, 99_999, "tried once");
        let step = plan.answered(Ok(page(0..0, 1_000_000)));
        assert_eq!((plan.query.page, step.wait), (1, five), "back to the page after the last real one");
        plan.answered(Ok(page(10..14, 1_000_000)));
        assert!(!plan.learning);
        assert_eq!(plan.query.page, 1, "the count is not followed twice");
        let step = plan.answered(Ok(page(10..16, 1_000_000)));
        assert_eq!(step.fresh.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), vec![14, 15]);
    }

    #[test]
    fn a_server_that_repeats_its_first_page_stops_the_walk() {
        let five = Duration::from_secs(5);
        let mut plan = WatchPlan::new(query(0), five, 600, HashSet::new(), true);
        plan.answered(Ok(page(0..10, 10)));
        assert_eq!(plan.query.page, 1);
        // Every offset answers the first page again: nothing new, no further walk.
        for _ in 0..5 {
            let step = plan.answered(Ok(page(0..10, 10)));
            assert!(step.fresh.is_empty());
            assert_eq!((plan.query.page, step.wait), (1, five));
        }
        assert!(!plan.learning);
        // A page shorter than before, then a new event: reported once.
        assert!(plan.answered(Ok(page(0..4, 4))).fresh.is_empty());
        let step = plan.answered(Ok(page(3..11, 8)));
        assert_eq!(step.fresh.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), vec![10]);
        assert!(plan.answered(Ok(page(3..11, 8))).fresh.is_empty(), "never twice");
    }

    #[test]
    fn the_interval_never_goes_under_the_quota() {
        let plan = WatchPlan::new(query(0), Duration::from_secs(2), 6, HashSet::new(), false);
        assert_eq!(plan.interval, Duration::from_secs(10));
    }

    #[test]
    fn the_wait_doubles_per_failure_up_to_a_minute_and_respects_the_rate_limit() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(5), 0), s(5));
        assert_eq!(backoff(s(5), 2), s(20));
        assert_eq!(backoff(s(5), u32::MAX), MAX_BACKOFF);
        // An interval above the cap is never shortened by it.
        assert_eq!(backoff(s(90), 3), s(90));
        assert_eq!(quota(100), Duration::from_millis(600));
        assert_eq!(quota(0), s(60));
        assert_eq!(interval_for(s(1), 100), MIN_INTERVAL);
        assert_eq!(interval_for(s(5), 6), s(10));
    }

    #[test]
    fn an_absurd_total_is_ignored_not_followed() {
        let mut plan = WatchPlan::new(query(0), Duration::from_secs(5), 600, HashSet::new(), false);
        let step = plan.answered(Ok(page(0..3, u64::MAX)));
        assert_eq!(step.fresh.len(), 3);
        assert_eq!(plan.query.page, 0, "a total past any page number is no page to go to");
        let mut plan = WatchPlan::new(query(0), Duration::from_secs(5), 600, HashSet::new(), true);
        plan.answered(Ok(page(0..10, u64::MAX)));
        assert_eq!(plan.query.page, 1, "nor a page to try");
    }

    #[test]
    fn errors_back_off_and_retry_after_is_obeyed() {
        use crate::api::error::{ApiError, ErrorKind};
        let mut plan = WatchPlan::new(query(0), Duration::from_secs(2), 600, HashSet::new(), false);
        let limited = ApiError::new(
            ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(600)), message: None },
            Some(429),
            None,
            "",
        );
        assert_eq!(plan.answered(Err(&limited)).wait, Duration::from_secs(600));
        let other = ApiError::new(ErrorKind::Server { snippet: String::new() }, Some(503), None, "");
        assert_eq!(plan.answered(Err(&other)).wait, Duration::from_secs(8));
        plan.answered(Ok(page(0..1, 1)));
        assert_eq!(plan.failures, 0);
    }
}
