//! `fetch --all` of 24 pages of 100 against a 50 ms server, at the settings
//! a user gets (eight in flight, the default quota, a fresh client each run
//! as each command is), ten runs, against the same 24 pages fetched eight at
//! a time with nothing else (what `seq 0 23 | xargs -P 8 curl` does). The
//! median and the worst ratio are reported; the budget for both is ≤ 1.1.
//! Eight stay in flight until the last page is asked for: each answer makes
//! room for the next page at once (a sliding window, not rounds), and the
//! first round is as wide as the window.

use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use target_events::api::fetch_all::{FetchAllOptions, Progress, fetch_all};
use target_events::api::{Client, ClientConfig, EventsQuery};
use target_events::config::DEFAULT_REQUESTS_PER_MINUTE;
use target_events::demo::{Dataset, DemoOptions, DemoServer};

const RUNS: usize = 10;
const PAGES: u32 = 24;

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut dataset = Dataset::embedded();
        dataset.add_generated_customer(900_000_003, 990_003, 2400);
        let server = DemoServer::start(DemoOptions { dataset: Arc::new(dataset), ..DemoOptions::default() }).await.unwrap();
        server.with_faults(|p| p.latency_ms = 50);
        let q = EventsQuery { user_id: 900_000_003, rule_id: 990_003, period_id: None, limit: 100, page: 0 };
        let defaults = FetchAllOptions::default();
        // As `fetch --all --limit 100` runs: the first round as wide as the window.
        let opts = FetchAllOptions { limit: 100, first_round: defaults.concurrency as u32, ..defaults };
        let mut ratios = Vec::new();
        for _ in 0..RUNS {
            // The client a user gets: the default quota, shared by every request.
            let mut config = ClientConfig::new(server.base_url());
            config.requests_per_minute = Some(DEFAULT_REQUESTS_PER_MINUTE);
            let client = Client::new(config).unwrap();
            let start = Instant::now();
            let all = fetch_all(&client, q, opts, Arc::new(|_: Progress| {})).await.unwrap();
            let ours = start.elapsed();
            assert_eq!((all.pages, all.events.len()), (PAGES, 2400));
            let bare = Client::new(ClientConfig::new(server.base_url())).unwrap();
            let start = Instant::now();
            futures::stream::iter(0..PAGES)
                .map(|page| {
                    let c = bare.clone();
                    async move { c.events(&q.at_page(page)).await.unwrap() }
                })
                .buffer_unordered(8)
                .collect::<Vec<_>>()
                .await;
            let theirs = start.elapsed();
            ratios.push(ours.as_secs_f64() / theirs.as_secs_f64());
        }
        ratios.sort_by(f64::total_cmp);
        let median = (ratios[RUNS / 2 - 1] + ratios[RUNS / 2]) / 2.0;
        let worst = ratios[RUNS - 1];
        let ok = |r: f64| if r <= 1.1 { "✓" } else { "✗ over budget" };
        println!(
            "fetch --all, 24 pages of 100 at 50 ms, default settings, {RUNS} runs: median {median:.2}×, worst {worst:.2}× \
            the same pages eight at a time (budget ≤ 1.1 for both) {} {}",
            ok(median),
            ok(worst)
        );
    });
}
