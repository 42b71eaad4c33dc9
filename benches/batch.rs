//! A batch of 1,000 customers against a 50 ms server under a quota, at the
//! default settings (eight customers at a time, the default retries): the
//! time criterion measures, the ratio to the quota-bound ideal (budget ≤ 1.2)
//! and the memory held per row of the answer.
//!
//! The quota is 150 requests in any 1-second window: a minute's quota with
//! time scaled down 60×, so a run that would take minutes takes seconds. The
//! limiter's arithmetic is the same at any window.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use criterion::Criterion;
use target_events::api::fetch_all::FetchAllOptions;
use target_events::api::{Client, ClientConfig};
use target_events::core::batch::{Answered, Ask, BatchLine, answer};
use target_events::demo::{Dataset, DemoOptions, DemoServer};

#[path = "support/counting.rs"]
mod counting;
use counting::LIVE;

/// Counts live heap bytes, to measure what the rows hold.
#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const CUSTOMERS: i64 = 1000;
const LATENCY: Duration = Duration::from_millis(50);
const PER_WINDOW: u32 = 150;
const WINDOW: Duration = Duration::from_secs(1);

/// Each customer given by card: found by a lookup, then their targets
/// (and, for the verdict, one page of their rule's events and one of their bills).
fn lines() -> Vec<BatchLine> {
    let text: String = (0..CUSTOMERS).map(|i| format!("card:LOYAL{}\n", 900_100_000 + i)).collect();
    target_events::core::batch::parse_lines(text.as_bytes(), None).expect("the cards parse")
}

/// The least time `requests` can take under the quota with eight in flight
/// at `LATENCY`: every full window waited out, then the last one's requests.
fn ideal(requests: u32) -> Duration {
    let full = (requests - 1) / PER_WINDOW;
    let last = requests - full * PER_WINDOW;
    WINDOW * full + LATENCY * last.div_ceil(8)
}

async fn run(server: &DemoServer, verdict: bool) -> (Duration, Answered) {
    let mut config = ClientConfig::new(server.base_url());
    config.requests_per_minute = Some(PER_WINDOW);
    config.quota_window = WINDOW;
    let client = Client::new(config).unwrap();
    let lines = lines();
    let ask = Ask { rule: None, verdict, country_code: None };
    let start = Instant::now();
    let answered = answer(&client, &lines, ask, &FetchAllOptions::default(), &|_| {}, std::future::pending()).await;
    (start.elapsed(), answered)
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let mut dataset = Dataset::embedded();
        for i in 0..CUSTOMERS {
            dataset.add_generated_customer(900_100_000 + i, 700_000 + i, 3);
        }
        let server =
            DemoServer::start(DemoOptions { dataset: Arc::new(dataset), ..DemoOptions::default() }).await.unwrap();
        server.with_faults(|p| p.latency_ms = LATENCY.as_millis() as u64);
        server
    });
    let mut c = Criterion::default().configure_from_args().sample_size(10).warm_up_time(Duration::from_millis(1));
    let mut group = c.benchmark_group("batch of 1,000 customers, 50 ms, 150 requests a second");
    for (name, verdict) in [("lookup + targets", false), ("with --verdict", true)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| rt.block_on(run(&server, verdict)).0).sum::<Duration>())
        });
    }
    group.finish();
    c.final_summary();

    println!("\n== Batch budgets ==");
    for (name, verdict, requests) in [("lookup + targets", false, 2000), ("with --verdict", true, 4000)] {
        let (took, answered) = rt.block_on(run(&server, verdict));
        // What the rows hold: measured on a copy, so nothing else the run
        // (or the server in this process) allocated counts.
        let before = LIVE.load(Ordering::SeqCst);
        let copy = std::hint::black_box(answered.rows.clone());
        let held = LIVE.load(Ordering::SeqCst) - before;
        drop(copy);
        assert_eq!((answered.rows.len(), answered.failed), (CUSTOMERS as usize, 0));
        let ideal = ideal(requests);
        let ratio = took.as_secs_f64() / ideal.as_secs_f64();
        println!(
            "7. batch of 1,000 customers {name} ({requests} requests, 50 ms each, {PER_WINDOW} in any second): \
             {} ms = {ratio:.2}× the quota-bound ideal {} ms (budget ≤ 1.2) {}; {} bytes held per row",
            took.as_millis(),
            ideal.as_millis(),
            if ratio <= 1.2 { "— met" } else { "— MISSED" },
            held / answered.rows.len() as isize
        );
    }
}
