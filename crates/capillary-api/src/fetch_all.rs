//! Every page of a query: bounded concurrency (paced by the client's one
//! rate limit), retries that honour Retry-After, a bound on what one run
//! collects, and an exact account of what is missing. Events come back in the API's
//! order, each exactly once.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;

use super::client::Client;
use super::error::ApiError;
use super::limiter::RateLimiter;
use super::model::TargetEvent;
use super::query::EventsQuery;
use super::response::{EventsOutcome, Fetched, ResponseMeta};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchAllOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Page size: the largest the profile allows.
    pub limit: u32,
    /// Retries of a page after a transient failure.
    pub retries: u32,
    /// First backoff when the server gives no Retry-After; doubles each try.
    pub backoff: Duration,
    /// The longest Retry-After honoured; a longer one fails the page at once.
    pub max_retry_after: Duration,
    /// The most events one run collects; past it the run stops and says so.
    pub max_events: usize,
    /// Pages asked for at once before the first answer says how many there
    /// are (at most `concurrency`). 1 wastes nothing on a small customer;
    /// more saves a round trip on a large one (`fetch --all` asks for all).
    pub first_round: u32,
}

impl Default for FetchAllOptions {
    fn default() -> Self {
        FetchAllOptions {
            concurrency: 8,
            limit: super::MAX_PAGE_SIZE,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            max_events: 200_000,
            first_round: 1,
        }
    }
}

/// What the fetch reports while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The number of pages known so far (it grows when the server gave no total).
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

/// Why a run stopped before the server's data ran out. Never silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// `max_events` were collected and more pages were due.
    Cap { max_events: usize },
    /// This page (0-based) brought no event not already seen: the server
    /// repeats itself, and going on would never end.
    NoProgress { page: u32 },
    /// The run was interrupted (a signal) before every page was in.
    Interrupted,
}

impl Stopped {
    pub fn sentence(self) -> String {
        match self {
            Stopped::Cap { max_events } => {
                format!("Stopped at {max_events} events (the fetch-all cap); the customer has more.")
            }
            Stopped::NoProgress { page } => format!(
                "Stopped at page {}: it repeated events already received, so the server's paging cannot be trusted past it.",
                page + 1
            ),
            Stopped::Interrupted => "Interrupted before every page was in: the events are those received.".into(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AllEvents {
    /// Every event received, in page order, each once.
    pub events: Vec<TargetEvent>,
    /// Pages fetched successfully.
    pub pages_fetched: u32,
    /// Pages asked for.
    pub pages: u32,
    /// The pages there are, as far as the run knew when it ended (the
    /// server's total, or the page found short); None when unknown. Said of
    /// an interrupted run, never used to stop one.
    pub pages_known: Option<u32>,
    pub missing: Vec<MissingPage>,
    /// Events seen twice (the data moved between pages while fetching);
    /// kept once and counted here so nothing is dropped or doubled silently.
    pub duplicates: usize,
    /// The API said the customer has no events (310149).
    pub no_events: Option<String>,
    pub total: Option<u64>,
    /// Page size used.
    pub limit: u32,
    /// Set when the run ended early (cap, a server repeating itself).
    pub stopped: Option<Stopped>,
    /// Every answered request, with its request id, in the order answered.
    pub requests: Vec<ResponseMeta>,
}

impl AllEvents {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.stopped.is_none()
    }
}

/// Runs `call`, retrying transient failures as `opts` says (Retry-After
/// honoured up to its cap, else a doubling backoff); `on_retry` hears of each
/// retry and its wait. The pace itself is the client's rate limit, which
/// every request draws from; a Retry-After closes its gate for every call
/// made through this policy with the same `limiter`.
pub async fn with_retries<T, F, Fut>(
    limiter: Option<&RateLimiter>,
    opts: &FetchAllOptions,
    mut call: F,
    on_retry: impl Fn(u32, Duration),
) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let mut attempt = 0;
    loop {
        if let Some(limiter) = limiter {
            limiter.gate().await;
        }
        match call().await {
            Ok(v) => return Ok(v),
            // A server asking for a longer wait than we give fails now,
            // its error naming the wait it asked for.
            Err(e) if e.retry_after().is_some_and(|w| w > opts.max_retry_after) => return Err(e),
            Err(e) if e.is_transient() && attempt < opts.retries => {
                attempt += 1;
                let backoff = opts.backoff.saturating_mul(2u32.saturating_pow(attempt - 1));
                let wait = e.retry_after().unwrap_or(backoff);
                if let (Some(limiter), Some(asked)) = (limiter, e.retry_after()) {
                    // The server asked the whole client to wait, not only this call.
                    limiter.hold_for(asked).await;
                }
                tracing::info!(attempt, wait_ms = wait.as_millis() as u64, error = %e, "retrying");
                on_retry(attempt, wait);
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

struct PageAnswer {
    events: Vec<TargetEvent>,
    total: Option<u64>,
    no_events: Option<String>,
    meta: ResponseMeta,
}

async fn fetch_page<S: PageSource>(
    source: &S,
    opts: &FetchAllOptions,
    query: EventsQuery,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<PageAnswer, ApiError> {
    let on_retry = |attempt, wait| progress(Progress::Retrying { page: query.page, attempt, wait });
    let f = with_retries(source.limiter(), opts, || source.page(query), on_retry).await?;
    let meta = f.meta;
    Ok(match f.value {
        EventsOutcome::Page(p) => PageAnswer { events: p.events, total: p.pagination.total, no_events: None, meta },
        EventsOutcome::NoEvents { message } => {
            PageAnswer { events: Vec::new(), total: Some(0), no_events: Some(message), meta }
        }
    })
}

/// Which pages to ask for next. Pages are generated one at a time, never
/// listed up front: a server's `total` of 10^12 costs nothing.
struct Plan {
    limit: u32,
    /// The next page to ask for.
    next: u32,
    /// Pages the server's total promises, when it gave one.
    end: Option<u32>,
    /// The first page that came back short: nothing lies beyond it.
    short_at: Option<u32>,
    /// Pages the event cap allows.
    cap_pages: u32,
    stopped: Option<Stopped>,
}

impl Plan {
    fn wants(&self, page: u32) -> bool {
        self.stopped.is_none()
            && page < self.cap_pages
            && self.short_at.is_none_or(|s| page < s)
            && self.end.is_none_or(|e| page < e)
    }

    /// Pages asked for so far, and what the server says is due, for progress.
    fn planned(&self) -> u32 {
        let due = self.end.unwrap_or(self.next).min(self.cap_pages);
        due.max(self.next)
    }
}

/// Fetches every page of `base` (its page and limit are replaced). Fails only
/// when the first page fails; later failures are reported as missing pages.
/// The run ends at a short or empty page, at the end the server's total
/// gives, at a page that brings nothing new, or at the event cap.
pub async fn fetch_all(
    client: &Client,
    base: EventsQuery,
    opts: FetchAllOptions,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
) -> Result<AllEvents, ApiError> {
    fetch_all_from(client, base, opts, progress).await
}

/// [`fetch_all`] that ends early, with what it has, when `stop` completes:
/// the result then says [`Stopped::Interrupted`].
pub async fn fetch_all_until(
    client: &Client,
    base: EventsQuery,
    opts: FetchAllOptions,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    stop: impl Future<Output = ()>,
) -> Result<AllEvents, ApiError> {
    run(client, base, opts, progress, stop, None).await
}

/// A page's fresh events, handed over as they arrive instead of kept.
pub type Sink<'a> = &'a mut (dyn FnMut(&[TargetEvent]) + Send);

/// [`fetch_all`] that keeps no event: each page's new events go to `sink`
/// as they arrive (in any page order), so a run over 100,000 events holds
/// one page at a time (and the ids seen, for repeats). The result counts
/// the pages and requests; its `events` is empty.
pub async fn fetch_all_into(
    client: &Client,
    base: EventsQuery,
    opts: FetchAllOptions,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    sink: Sink<'_>,
) -> Result<AllEvents, ApiError> {
    run(client, base, opts, progress, std::future::pending(), Some(sink)).await
}

/// Where pages come from: the client, or anything that answers a query as
/// the client would (tests answer from the demo dataset without HTTP).
pub trait PageSource {
    fn page(&self, query: EventsQuery) -> impl Future<Output = Result<Fetched<EventsOutcome>, ApiError>>;

    /// The rate limit whose Retry-After gate the pages share, if any.
    fn limiter(&self) -> Option<&RateLimiter> {
        None
    }
}

impl PageSource for Client {
    async fn page(&self, query: EventsQuery) -> Result<Fetched<EventsOutcome>, ApiError> {
        self.events(&query).await
    }

    fn limiter(&self) -> Option<&RateLimiter> {
        Some(Client::limiter(self))
    }
}

/// [`fetch_all`] over any [`PageSource`]: the same planning, limits,
/// retries, stops and assembly.
pub async fn fetch_all_from<S: PageSource>(
    client: &S,
    base: EventsQuery,
    opts: FetchAllOptions,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
) -> Result<AllEvents, ApiError> {
    run(client, base, opts, progress, std::future::pending(), None).await
}

async fn run<S: PageSource>(
    client: &S,
    base: EventsQuery,
    opts: FetchAllOptions,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    stop: impl Future<Output = ()>,
    mut sink: Option<Sink<'_>>,
) -> Result<AllEvents, ApiError> {
    let mut stop = std::pin::pin!(stop);
    let limit = opts.limit.clamp(1, super::MAX_PAGE_SIZE);
    let query = |page| EventsQuery { page, limit, ..base };
    let ask = |page: u32| {
        let (progress, opts) = (&progress, &opts);
        async move { (page, fetch_page(client, opts, query(page), &**progress).await) }
    };
    // The first round: page 1 alone, or a few pages at once.
    let first_round = opts.first_round.clamp(1, u32::try_from(opts.concurrency.max(1)).unwrap_or(1));
    let mut in_flight = futures::stream::FuturesUnordered::new();
    for page in 0..first_round {
        in_flight.push(ask(page));
    }
    let mut early = Vec::new();
    let first = loop {
        match in_flight.next().await {
            Some((0, result)) => break result?,
            Some(other) => early.push(other),
            None => unreachable!("page 0 is in flight"),
        }
    };
    let mut all = AllEvents {
        limit,
        total: first.total,
        no_events: first.no_events,
        requests: vec![first.meta],
        ..AllEvents::default()
    };
    if all.no_events.is_some() {
        progress(Progress::Planned { pages: 1, total: Some(0) });
        all.pages = 1;
        all.pages_fetched = 1;
        return Ok(all);
    }
    let max_events = opts.max_events.max(1);
    let cap_pages = u32::try_from(max_events.div_ceil(limit as usize)).unwrap_or(u32::MAX).max(1);
    let mut plan = Plan {
        limit,
        next: first_round,
        end: first.total.map(|t| u32::try_from(t.div_ceil(u64::from(limit))).unwrap_or(u32::MAX).max(1)),
        short_at: None,
        cap_pages,
        stopped: None,
    };
    let mut seen: HashSet<i64> = HashSet::new();
    let mut pages: BTreeMap<u32, Vec<TargetEvent>> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut count = 0usize;
    // Returns whether the page brought anything new.
    let mut take = |page: u32, events: Vec<TargetEvent>, plan: &mut Plan, all: &mut AllEvents| {
        let len = events.len();
        if len < plan.limit as usize {
            plan.short_at = Some(plan.short_at.map_or(page, |s| s.min(page)));
        }
        let fresh: Vec<TargetEvent> = events.into_iter().filter(|e| seen.insert(e.event_log_id)).collect();
        all.duplicates += len - fresh.len();
        let progressed = !fresh.is_empty() || len == 0;
        count += fresh.len();
        match sink.as_mut() {
            Some(sink) => {
                sink(&fresh);
                pages.insert(page, Vec::new());
            }
            None => {
                pages.insert(page, fresh);
            }
        }
        // A full last page where the total promised a short one: the total
        // was low, so the end is wherever a short page says. (Not judged by
        // the count so far: pages arrive in any order.)
        if let (Some(end), Some(total)) = (plan.end, all.total)
            && page + 1 >= end
            && len >= plan.limit as usize
            && u64::from(end) * u64::from(plan.limit) > total
        {
            plan.end = None;
        }
        progressed
    };
    progress(Progress::Planned { pages: plan.planned(), total: all.total });
    progress(Progress::Page { page: 0, events: first.events.len() });
    take(0, first.events, &mut plan, &mut all);

    let mut early = early.into_iter();
    loop {
        while in_flight.len() < opts.concurrency.max(1) && plan.wants(plan.next) {
            let page = plan.next;
            plan.next += 1;
            in_flight.push(ask(page));
            progress(Progress::Planned { pages: plan.planned(), total: all.total });
        }
        // Answers of the first round that came before page 1's, then the rest.
        let next = match early.next() {
            Some(answer) => Some(answer),
            None => tokio::select! {
                next = in_flight.next() => next,
                () = &mut stop => {
                    plan.stopped = Some(Stopped::Interrupted);
                    None
                }
            },
        };
        let Some((page, result)) = next else { break };
        match result {
            Ok(answer) => {
                progress(Progress::Page { page, events: answer.events.len() });
                all.requests.push(answer.meta);
                if !take(page, answer.events, &mut plan, &mut all) && plan.stopped.is_none() {
                    plan.stopped = Some(Stopped::NoProgress { page });
                }
            }
            Err(error) => missing.push(MissingPage { page, error }),
        }
    }
    // More was due when the cap ended the run.
    let more_due = plan.short_at.is_none() && plan.end.is_none_or(|e| e > cap_pages);
    if plan.stopped.is_none() && plan.next >= cap_pages && more_due {
        plan.stopped = Some(Stopped::Cap { max_events });
    }
    if let Some(stop) = plan.stopped {
        tracing::warn!(?stop, "fetch-all stopped early");
    }
    // Pages asked for in the first round past the end are no pages of the
    // customer's: neither counted nor missing.
    let last = plan.end.or(plan.short_at.map(|s| s + 1)).unwrap_or(plan.next).min(plan.next);
    if plan.stopped != Some(Stopped::Interrupted) {
        pages.retain(|&p, _| p < last);
        missing.retain(|m| m.page < last);
        plan.next = plan.next.min(last.max(1));
    }
    missing.sort_by_key(|m| m.page);
    // Pages received (an interruption leaves some asked for and not in).
    all.pages_fetched = pages.len() as u32;
    all.events = pages.into_values().flatten().collect();
    all.events.truncate(max_events);
    all.pages = plan.next;
    all.pages_known = plan.short_at.map(|s| s + 1).or(plan.end).map(|n| n.max(all.pages));
    all.missing = missing;
    all.stopped = plan.stopped;
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
