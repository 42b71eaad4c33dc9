//! Every page at once against the demo API: each event exactly once and in
//! order, exact per-period sums, retries within limits, missing pages named.

use crate::common;

use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use target_events::api::auth::Credentials;
use target_events::api::fetch_all::{FetchAllOptions, Progress, fetch_all};
use target_events::api::{EventsQuery, Money};
use target_events::demo::{Dataset, Fault};

fn base(user: i64, rule: i64) -> EventsQuery {
    EventsQuery { user_id: user, rule_id: rule, period_id: None, limit: 1, page: 0 }
}

fn quick(limit: u32) -> FetchAllOptions {
    FetchAllOptions {
        concurrency: 4,
        limit,
        retries: 3,
        backoff: Duration::from_millis(10),
        ..FetchAllOptions::default()
    }
}

fn no_progress() -> Arc<dyn Fn(Progress) + Send + Sync> {
    Arc::new(|_| {})
}

/// Per-period sums straight from the dataset file, with Decimal parsed from
/// the JSON text: independent of the client's model.
fn expected_sums(user: i64) -> (Vec<i64>, BTreeMap<i64, Decimal>) {
    let raw: serde_json::Value = serde_json::from_str(target_events::demo::data::EMBEDDED).unwrap();
    let customer = raw["customers"].as_array().unwrap().iter().find(|c| c["userId"] == user).unwrap();
    let mut ids = Vec::new();
    let mut sums = BTreeMap::new();
    for e in customer["events"].as_array().unwrap() {
        ids.push(e["eventLogId"].as_i64().unwrap());
        let v = Decimal::from_str(&e["targetValue"].to_string()).unwrap();
        *sums.entry(e["periodId"].as_i64().unwrap()).or_insert(Decimal::ZERO) += v;
    }
    (ids, sums)
}

#[tokio::test]
async fn the_largest_customer_arrives_whole_in_order_with_exact_sums() {
    let server = common::server(None).await;
    let client = common::client(&server, Credentials::None);
    let pages_seen = Arc::new(Mutex::new(Vec::new()));
    let progress = {
        let seen = pages_seen.clone();
        Arc::new(move |p: Progress| {
            if let Progress::Page { page, .. } = p {
                seen.lock().unwrap().push(page);
            }
        })
    };
    let all = fetch_all(&client, base(712004518, 2410), quick(100), progress).await.unwrap();
    let (ids, sums) = expected_sums(712004518);
    assert!(all.is_complete());
    assert_eq!(all.duplicates, 0);
    assert_eq!(all.events.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), ids, "every event once, in order");
    assert_eq!(all.pages, 14);
    assert_eq!(pages_seen.lock().unwrap().len(), 14);
    let mut got: BTreeMap<i64, Money> = BTreeMap::new();
    for e in &all.events {
        let s = got.entry(e.period_id).or_insert(Money::ZERO);
        *s = s.checked_add(e.target_value).unwrap();
    }
    assert_eq!(got.len(), 8);
    for (period, sum) in sums {
        assert_eq!(got[&period].0, sum, "period {period}");
        assert_eq!(got[&period].to_string(), sum.to_string());
    }
    assert_eq!(server.api_requests(), 14);
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_within_limits() {
    let server = common::server(None).await;
    server.with_faults(|p| {
        p.queue.push_back(Fault::RateLimit { retry_after_secs: 1 });
        p.queue.push_back(Fault::Html503);
        p.queue.push_back(Fault::Html503);
    });
    let client = common::client(&server, Credentials::None);
    let retries = Arc::new(Mutex::new(0));
    let progress = {
        let r = retries.clone();
        Arc::new(move |p: Progress| {
            if let Progress::Retrying { .. } = p {
                *r.lock().unwrap() += 1;
            }
        })
    };
    let started = Instant::now();
    let all = fetch_all(&client, base(712004518, 2410), quick(250), progress).await.unwrap();
    assert!(all.is_complete());
    assert_eq!(all.events.len(), 1317);
    assert_eq!(*retries.lock().unwrap(), 3);
    assert_eq!(server.api_requests(), 6 + 3);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
}

#[tokio::test]
async fn a_page_that_keeps_failing_is_reported_missing_and_nothing_else_is_lost() {
    let server = common::server(None).await;
    server.with_faults(|p| {
        p.only_matching = Some("offset=3".into());
        p.always = Some(Fault::Html503);
    });
    let client = common::client(&server, Credentials::None);
    let all = fetch_all(&client, base(712004518, 2410), quick(100), no_progress()).await.unwrap();
    assert_eq!(all.missing.len(), 1);
    assert_eq!(all.missing[0].page, 3);
    assert_eq!(all.missing[0].error.status, Some(503));
    assert_eq!(all.events.len(), 1317 - 100);
    let ids: HashSet<i64> = all.events.iter().map(|e| e.event_log_id).collect();
    assert_eq!(ids.len(), all.events.len(), "no duplicates");
    let (expected, _) = expected_sums(712004518);
    let want: Vec<i64> =
        expected.iter().enumerate().filter(|(i, _)| !(300..400).contains(i)).map(|(_, id)| *id).collect();
    assert_eq!(all.events.iter().map(|e| e.event_log_id).collect::<Vec<_>>(), want);
    // 1 + 3 retries for the failing page, 1 for each of the other 13.
    assert_eq!(server.api_requests(), 13 + 4);
}

#[tokio::test]
async fn concurrency_is_bounded_and_the_rate_is_limited() {
    let mut dataset = Dataset::embedded();
    dataset.add_generated_customer(900000001, 990001, 1000);
    let server = common::server_with(dataset).await;
    server.with_faults(|p| p.latency_ms = 50);
    let client = common::client(&server, Credentials::None);
    let opts = FetchAllOptions { concurrency: 4, limit: 50, ..quick(50) };
    let started = Instant::now();
    let all = fetch_all(&client, base(900000001, 990001), opts, no_progress()).await.unwrap();
    let took = started.elapsed();
    assert_eq!(all.events.len(), 1000);
    // 20 pages: page 1 alone, then 19 at four at a time: at least 6 rounds of 50 ms.
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // Past the per-minute burst, starts are paced: 3 a minute lets pages 1–3
    // go at once, and page 4 waits for the bucket (20 s) — cancelled here.
    // The quota belongs to the client: every request it sends draws from it.
    let mut config = target_events::api::ClientConfig::new(server.base_url());
    config.requests_per_minute = Some(3);
    let client = target_events::api::Client::new(config).unwrap();
    let opts = FetchAllOptions { limit: 200, ..quick(200) };
    let before = server.api_requests();
    let run = tokio::time::timeout(
        Duration::from_millis(1500),
        fetch_all(&client, base(900000001, 990001), opts, no_progress()),
    )
    .await;
    assert!(run.is_err(), "the fourth page should still be waiting for the rate limit");
    assert_eq!(server.api_requests() - before, 3);
}

#[tokio::test]
async fn no_events_and_a_failing_first_page() {
    let server = common::server(None).await;
    let client = common::client(&server, Credentials::None);
    let all = fetch_all(&client, base(610000042, 1986), quick(100), no_progress()).await.unwrap();
    assert!(all.no_events.is_some() && all.events.is_empty());
    let e = fetch_all(&client, base(1, 1986), quick(100), no_progress()).await.unwrap_err();
    assert_eq!(e.code(), Some(310011));
}

#[tokio::test]
async fn a_first_round_of_many_pages_counts_only_the_customers_own() {
    let server = common::server(None).await;
    let client = common::client(&server, Credentials::None);
    // 12 events at 10 a page: two pages; eight asked for at once.
    let opts = FetchAllOptions { first_round: 8, concurrency: 8, limit: 10, ..quick(10) };
    let all = fetch_all(&client, base(498221730, 3150), opts, no_progress()).await.unwrap();
    assert_eq!(all.events.len(), 12);
    assert_eq!((all.pages, all.pages_fetched), (2, 2), "the pages past the end are none of the customer's");
    assert!(all.missing.is_empty() && all.is_complete());
    // 1,317 events: every one once, in order, at the first round's pace.
    let opts = FetchAllOptions { first_round: 8, concurrency: 8, limit: 100, ..quick(100) };
    let all = fetch_all(&client, base(712004518, 2410), opts, no_progress()).await.unwrap();
    assert_eq!((all.events.len(), all.pages), (1317, 14));
    let ids: HashSet<i64> = all.events.iter().map(|e| e.event_log_id).collect();
    assert_eq!(ids.len(), 1317);
}
