//! Every page of a query: bounded concurrency, a requests-per-minute limit,
//! retries that honour Retry-After, and an exact account of what is missing.
//! Events come back in the API's order, each exactly once.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::client::{Client, EventsOutcome, EventsQuery};
use super::error::ApiError;
use super::model::TargetEvent;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchAllOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per minute, at most.
    pub requests_per_minute: u32,
    /// Page size: the largest the profile allows.
    pub limit: u32,
    /// Retries of a page after a transient failure.
    pub retries: u32,
    /// First backoff when the server gives no Retry-After; doubles each try.
    pub backoff: Duration,
}

impl Default for FetchAllOptions {
    fn default() -> Self {
        FetchAllOptions {
            concurrency: 4,
            requests_per_minute: 90,
            limit: 1000,
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// What the fetch reports while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Page 1 arrived: now the number of pages is known.
    Planned { pages: u32, total: Option<u64> },
    /// A page arrived.
    Page { page: u32, events: usize },
    /// A page failed and will be tried again after `wait`.
    Retrying { page: u32, attempt: u32, wait: Duration },
}

/// A page that failed for good.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingPage {
    /// 0-based page index.
    pub page: u32,
    pub error: ApiError,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AllEvents {
    /// Every event received, in page order, each once.
    pub events: Vec<TargetEvent>,
    /// Pages fetched successfully.
    pub pages_fetched: u32,
    /// Pages planned.
    pub pages: u32,
    pub missing: Vec<MissingPage>,
    /// Events seen twice (the data moved between pages while fetching);
    /// kept once and counted here so nothing is dropped or doubled silently.
    pub duplicates: usize,
    /// The API said the customer has no events (310149).
    pub no_events: Option<String>,
    pub total: Option<u64>,
    /// Page size used.
    pub limit: u32,
}

impl AllEvents {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Spaces request starts so no more than `per_minute` start in any minute.
struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    fn new(per_minute: u32) -> Self {
        RateLimiter { interval: Duration::from_secs(60) / per_minute.max(1), next: Mutex::new(Instant::now()) }
    }

    async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// After a 429, nobody starts before `until`.
    async fn hold_until(&self, until: Instant) {
        let mut next = self.next.lock().await;
        *next = (*next).max(until);
    }
}

type PageResult = Result<(Vec<TargetEvent>, Option<u64>, Option<String>), ApiError>;

async fn fetch_page(
    client: &Client,
    limiter: &RateLimiter,
    opts: &FetchAllOptions,
    query: EventsQuery,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> PageResult {
    let mut attempt = 0;
    loop {
        limiter.wait().await;
        match client.events(&query).await {
            Ok(f) => {
                return Ok(match f.value {
                    EventsOutcome::Page(p) => (p.events, p.pagination.total, None),
                    EventsOutcome::NoEvents { message } => (Vec::new(), Some(0), Some(message)),
                });
            }
            Err(e) if e.is_transient() && attempt < opts.retries => {
                attempt += 1;
                let wait = e.retry_after().unwrap_or(opts.backoff * 2u32.saturating_pow(attempt - 1));
                if e.retry_after().is_some() {
                    limiter.hold_until(Instant::now() + wait).await;
                }
                tracing::info!(page = query.page, attempt, wait_ms = wait.as_millis() as u64, error = %e, "retrying page");
                progress(Progress::Retrying { page: query.page, attempt, wait });
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Fetches every page of `base` (its page and limit are replaced). Fails only
/// when the first page fails; later failures are reported as missing pages.
pub async fn fetch_all(
    client: &Client,
    base: EventsQuery,
    opts: FetchAllOptions,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
) -> Result<AllEvents, ApiError> {
    let limiter = RateLimiter::new(opts.requests_per_minute);
    let limit = opts.limit.clamp(1, 1000);
    let first = EventsQuery { page: 0, limit, ..base };
    let (events, total, no_events) = fetch_page(client, &limiter, &opts, first, &*progress).await?;
    let mut all = AllEvents { limit, total, no_events, ..AllEvents::default() };
    if all.no_events.is_some() {
        progress(Progress::Planned { pages: 1, total: Some(0) });
        all.pages = 1;
        all.pages_fetched = 1;
        return Ok(all);
    }
    let first_full = events.len() as u32 >= limit;
    let planned = match total {
        Some(t) if first_full => u32::try_from(t.div_ceil(u64::from(limit))).unwrap_or(u32::MAX).max(1),
        _ if first_full => 2,
        _ => 1,
    };
    progress(Progress::Planned { pages: planned, total });
    progress(Progress::Page { page: 0, events: events.len() });
    let mut pages: BTreeMap<u32, Vec<TargetEvent>> = BTreeMap::new();
    let mut last_len = events.len();
    pages.insert(0, events);
    let mut missing = Vec::new();

    let mut next = 1u32;
    let mut end = planned;
    // Fetch the planned pages; if the last one is still full (total was
    // low), keep going until a short page ends the result.
    while next < end {
        let batch: Vec<u32> = (next..end).collect();
        next = end;
        let results: Vec<(u32, PageResult)> = futures::stream::iter(batch)
            .map(|page| {
                let (limiter, progress) = (&limiter, &progress);
                async move {
                    let r = fetch_page(client, limiter, &opts, EventsQuery { page, limit, ..base }, &**progress).await;
                    if let Ok((events, _, _)) = &r {
                        progress(Progress::Page { page, events: events.len() });
                    }
                    (page, r)
                }
            })
            .buffer_unordered(opts.concurrency.max(1))
            .collect()
            .await;
        for (page, r) in results {
            match r {
                Ok((events, _, _)) => {
                    if page == end - 1 {
                        last_len = events.len();
                    }
                    pages.insert(page, events);
                }
                Err(error) => missing.push(MissingPage { page, error }),
            }
        }
        // A full last page means more may follow, unless the events so far
        // are exactly the total the server reported.
        let count: u64 = pages.values().map(|p| p.len() as u64).sum();
        let last_ok = pages.contains_key(&(end - 1));
        let total_met = total.is_some_and(|t| count == t);
        if last_ok && last_len >= limit as usize && missing.is_empty() && !total_met {
            end += 1;
            progress(Progress::Planned { pages: end, total });
        }
    }
    missing.sort_by_key(|m| m.page);
    let mut seen = HashSet::new();
    for (_, events) in pages.iter_mut() {
        for e in events.drain(..) {
            if seen.insert(e.event_log_id) {
                all.events.push(e);
            } else {
                all.duplicates += 1;
            }
        }
    }
    all.pages = end;
    all.pages_fetched = pages.len() as u32;
    all.missing = missing;
    Ok(all)
}

/// "pages 3, 7–9": missing pages, 1-based, in ranges.
pub fn describe_pages(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}–{}", start + 1, pages[j] + 1) } else { (start + 1).to_string() });
        i = j + 1;
    }
    format!("{} {}", if pages.len() == 1 { "page" } else { "pages" }, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_pages_read_as_ranges() {
        assert_eq!(describe_pages(&[2]), "page 3");
        assert_eq!(describe_pages(&[2, 6, 7, 8]), "pages 3, 7–9");
    }
}
