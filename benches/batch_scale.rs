//! A batch of 10,000 customers with verdicts and bills under a quota of 1,000
//! requests a minute, the time scaled down 60× as the batch benchmark does:
//! 1,000 requests in any second, and the server's latency scaled with it (a
//! 60 ms round trip becomes 1 ms), so the quota, not latency, sets the time,
//! as it does at a real tenant. Each customer is given by id: the id checked,
//! their targets, a page of their rule's events and a page of their bills.
//! Reported: the time against the quota-bound ideal (budget ≤ 1.05×) and the
//! memory the answer holds per customer.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use target_events::api::fetch_all::FetchAllOptions;
use target_events::api::{Client, ClientConfig};
use target_events::core::batch::{Ask, answer, parse_lines};
use target_events::demo::{Dataset, DemoOptions, DemoServer};

#[path = "support/counting.rs"]
mod counting;
use counting::LIVE;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const CUSTOMERS: i64 = 10_000;
const PER_WINDOW: u32 = 1000;
const WINDOW: Duration = Duration::from_secs(1);

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut dataset = Dataset::embedded();
        dataset.add_generated_customers((0..CUSTOMERS).map(|i| (900_200_000 + i, 720_000 + i, 3)));
        let server =
            DemoServer::start(DemoOptions { dataset: Arc::new(dataset), ..DemoOptions::default() }).await.unwrap();
        server.with_faults(|p| p.latency_ms = 1);
        let mut config = ClientConfig::new(server.base_url());
        config.requests_per_minute = Some(PER_WINDOW);
        config.quota_window = WINDOW;
        let client = Client::new(config).unwrap();
        let text: String = (0..CUSTOMERS).map(|i| format!("{}\n", 900_200_000 + i)).collect();
        let lines = parse_lines(text.as_bytes(), None).unwrap();
        let ask = Ask { rule: None, verdict: true, country_code: None };
        let before_requests = server.api_requests();
        let start = Instant::now();
        let answered = answer(&client, &lines, ask, &FetchAllOptions::default(), &|_| {}, std::future::pending()).await;
        let took = start.elapsed();
        let requests = u32::try_from(server.api_requests() - before_requests).unwrap();
        assert_eq!((answered.rows.len(), answered.failed), (CUSTOMERS as usize, 0));
        // The least time: every full window waited out, then the last one's
        // requests (eight in flight at 1 ms).
        let full = (requests - 1) / PER_WINDOW;
        let ideal = WINDOW * full + Duration::from_millis(u64::from((requests - full * PER_WINDOW).div_ceil(8)));
        let ratio = took.as_secs_f64() / ideal.as_secs_f64();
        let base = LIVE.load(Ordering::SeqCst);
        let copy = std::hint::black_box(answered.rows.clone());
        let held = LIVE.load(Ordering::SeqCst) - base;
        drop(copy);
        println!(
            "8. batch of 10,000 customers with --verdict ({requests} requests; {PER_WINDOW} in any second = 1,000 a \
             minute scaled 60×): {:.1} s = {ratio:.3}× the quota-bound ideal {:.1} s (budget ≤ 1.05) {}; {} bytes \
             held per customer",
            took.as_secs_f64(),
            ideal.as_secs_f64(),
            if ratio <= 1.05 { "— met" } else { "— MISSED" },
            held / CUSTOMERS as isize
        );
    });
}
