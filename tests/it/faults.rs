//! Faults end to end: the app and its runtime against the demo API's fault
//! knobs over real HTTP. Each fault shows its error, keeps the previous data
//! on screen, and `r` recovers once the fault clears; fetch-all names the
//! pages it lost when the server goes away and never drops or doubles events.

use crate::common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use target_events::api::error::{ErrorKind, NetCause};
use target_events::api::fetch_all::FetchAllOptions;
use target_events::api::{Client, ClientConfig};
use target_events::demo::{DemoOptions, DemoServer, Fault};
use target_events::explorer::app::Field;
use target_events::explorer::app::{App, Msg};
use target_events::explorer::runtime::Runtime;
use target_events::explorer::ui::theme::Theme;
use tokio::sync::mpsc;

struct Live {
    app: App,
    runtime: Runtime,
    rx: mpsc::UnboundedReceiver<Msg>,
}

impl Live {
    fn new(server: &DemoServer, timeout: Duration) -> Live {
        let mut config = ClientConfig::new(server.base_url());
        config.timeout = timeout;
        let client = Client::new(config).unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        let options = FetchAllOptions {
            concurrency: 2,
            limit: 100,
            retries: 2,
            backoff: Duration::from_millis(20),
            ..FetchAllOptions::default()
        };
        let mut app_options = target_events::explorer::app::state::AppOptions::new("DEMO", 10, 1000);
        app_options.all_options = options;
        let mut app = App::new(app_options);
        app.update(target_events::explorer::app::Msg::Resize(120, 36));
        Live { app, runtime: Runtime::new(client, tx, options, None), rx }
    }

    fn key(&mut self, code: KeyCode) {
        self.runtime.handle(&mut self.app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn query(&mut self, user: &str, rule: &str) {
        self.app.set_field(Field::UserId, user);
        self.app.set_field(Field::RuleId, rule);
        // The cursor to the rule field, as a user would; Enter fetches.
        self.key(KeyCode::Tab);
        self.key(KeyCode::Enter);
    }

    /// Handles task answers until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(&self.app) {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(msg)) => self.runtime.handle(&mut self.app, msg),
                _ => panic!("timed out waiting for {what}"),
            }
        }
    }

    /// Until nothing is in flight.
    async fn settle(&mut self) {
        self.until("the request to finish", |a| !a.is_loading() && !a.fetching_all()).await;
    }

    fn screen(&self) -> String {
        let terminal = common::harness::render_app(&self.app, &Theme::COLOR);
        common::harness::buffer_lines(terminal.backend().buffer()).join("\n")
    }
}

async fn loaded(server: &DemoServer, timeout: Duration) -> Live {
    let mut live = Live::new(server, timeout);
    live.query("712004518", "2410");
    live.settle().await;
    assert_eq!(live.app.events().len(), 10);
    live
}

/// One fault on a refetch: its error shows, the page stays, `r` recovers.
async fn fault_then_recover(fault: Fault, check: impl Fn(&ErrorKind) -> bool, shown: &str) {
    let server = common::server(None).await;
    let mut live = loaded(&server, Duration::from_millis(500)).await;
    let first = live.app.events()[0].event_log_id;
    server.with_faults(|p| p.always = Some(fault.clone()));
    live.key(KeyCode::Char('r'));
    live.settle().await;
    let e = live.app.banner_error().cloned().unwrap_or_else(|| panic!("{fault:?} should fail"));
    assert!(check(&e.kind), "{fault:?} gave {e:?}");
    assert_eq!(live.app.events()[0].event_log_id, first, "the previous page stays on screen");
    let screen = live.screen();
    assert!(screen.contains(shown), "{fault:?}: {shown:?} not on screen:\n{screen}");
    assert!(screen.contains("2025-01-01 05:19:43"), "the old rows are still drawn");
    server.with_faults(|p| p.always = None);
    live.key(KeyCode::Char('r'));
    live.settle().await;
    assert!(live.app.banner_error().is_none(), "r recovers once the fault clears");
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_with_retry_after() {
    fault_then_recover(
        Fault::RateLimit { retry_after_secs: 30 },
        |k| matches!(k, ErrorKind::RateLimited { retry_after: Some(d), .. } if d.as_secs() == 30),
        "wait 30 s",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn service_unavailable_with_html() {
    fault_then_recover(Fault::Html503, |k| matches!(k, ErrorKind::Server { .. }), "503 Service Temporarily").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn truncated_body() {
    fault_then_recover(Fault::Truncated, |k| matches!(k, ErrorKind::Malformed { .. }), "truncated").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn body_stalling_past_the_timeout() {
    fault_then_recover(
        Fault::Stall,
        |k| matches!(k, ErrorKind::Network { cause: NetCause::Timeout, .. }),
        "did not answer in time",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_server_keeps_the_ui_responsive_and_esc_cancels() {
    let server = common::server(None).await;
    let mut live = loaded(&server, Duration::from_secs(60)).await;
    server.with_faults(|p| p.always = Some(Fault::Hang));
    live.key(KeyCode::Char('r'));
    assert!(live.app.is_loading());
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Keys are answered while the request waits.
    live.key(KeyCode::Char('j'));
    assert_eq!(live.app.table_view().selected, 1);
    live.key(KeyCode::Esc);
    assert!(!live.app.is_loading());
    assert!(live.runtime.tasks.is_empty(), "the task was aborted");
    assert_eq!(live.app.notice_text(), Some("Request cancelled."));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_going_away_mid_fetch_all() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let port = server.addr().port();
    server.with_faults(|p| p.latency_ms = 60);
    let mut live = loaded(&server, Duration::from_secs(5)).await;
    live.key(KeyCode::Char('a'));
    live.until("four pages", |a| a.fetch_all_progress().is_some_and(|(done, _)| done >= 4)).await;
    server.kill();
    live.settle().await;
    let all = live.app.shown_all().cloned().expect("what was fetched is shown");
    assert!(!all.missing.is_empty(), "the lost pages are named");
    let ids: HashSet<i64> = live.app.events().iter().map(|e| e.event_log_id).collect();
    assert_eq!(ids.len(), live.app.events().len(), "no event twice");
    // Every page is either loaded whole or named missing: nothing silently lost.
    let missing_events: usize = all.missing.iter().map(|&p| if p == 13 { 17 } else { 100 }).sum();
    assert_eq!(live.app.events().len() + missing_events, 1317);
    assert!(live.screen().contains("missing"), "{}", live.screen());

    // The server comes back on the same port: r fetches everything again.
    let _server = DemoServer::start(DemoOptions { port, ..DemoOptions::default() }).await.unwrap();
    live.key(KeyCode::Char('r'));
    live.settle().await;
    let all = live.app.shown_all().cloned().unwrap();
    assert!(all.missing.is_empty());
    assert_eq!(live.app.events().len(), 1317);
}

#[tokio::test(flavor = "multi_thread")]
async fn pickers_over_real_http() {
    let server = common::server(None).await;
    let mut live = Live::new(&server, Duration::from_secs(5));
    live.app.set_field(Field::UserId, "498221730");
    live.key(KeyCode::Enter);
    live.until("the targets", |a| !a.overlay_loading()).await;
    assert!(live.screen().contains("Targets of customer 498221730"), "{}", live.screen());
    // The picker opens on the latest period that ended short (✗): Enter shows its events.
    live.key(KeyCode::Enter);
    live.settle().await;
    let period: i64 = live.app.field(Field::PeriodId).text().parse().unwrap();
    assert_eq!(period, 31501, "Q1_2025 ended short of its target");
    assert_eq!(live.app.events().len(), 7);
    assert!(live.app.events().iter().all(|e| e.period_id == period));
}
