//! The embedded demo API: a real HTTP server on loopback, in this process,
//! serving the data in assets/ with the documented errors, so the whole
//! product works on a fresh machine and tests speak real HTTP.

#![allow(clippy::result_large_err)]

/// The API crate, whose model and documented errors the demo serves.
pub use capillary_api as api;

pub mod data;
pub mod faults;
pub mod live;
pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use url::Url;

pub use data::Dataset;
pub use faults::{Fault, FaultPlan};
pub use server::{DemoAuth, DemoState};

use crate::api::paging::OffsetMode;

/// The demo customers worth trying, for a newcomer without the README open.
pub const SUGGESTIONS: &[(i64, i64, &str)] = &[
    (564332013, 1986, "the documentation's sample"),
    (712004518, 2410, "1,317 events over 8 periods"),
    (498221730, 3150, "every kind of event"),
    (387544807, 79192, "a behavioural event processed late"),
    (610000042, 1986, "no events"),
    (666000666, 4040, "hostile names"),
    (777000777, 7610, "why didn't it count? (explain)"),
    (780000780, 7810, "a bill after midnight at the store"),
    (808000808, 8080, "purchases arriving now: watch them live"),
];

/// The suggestions as lines for the empty table.
pub fn suggestion_lines() -> Vec<String> {
    let mut lines = vec![format!("{:<10} {:<6} {}", "Customer", "Rule", "Demo customers to try")];
    lines.extend(SUGGESTIONS.iter().map(|(u, r, what)| format!("{u:<10} {r:<6} {what}")));
    // One width for all, so the centred block stays a column.
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    lines.into_iter().map(|l| format!("{l:<width$}")).collect()
}

#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// 0 picks a free port.
    pub port: u16,
    pub dataset: Arc<Dataset>,
    pub offset_mode: OffsetMode,
    pub auth: Option<DemoAuth>,
    /// Whether the live customer's purchases arrive while the server runs
    /// (the demo a person uses); off in tests, whose data must hold still.
    pub live: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            port: 0,
            dataset: Arc::new(Dataset::embedded()),
            offset_mode: OffsetMode::Page,
            auth: None,
            live: false,
        }
    }
}

/// A running demo server; it stops when dropped.
pub struct DemoServer {
    addr: SocketAddr,
    state: Arc<DemoState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::AbortHandle,
}

impl DemoServer {
    /// Binds 127.0.0.1 and serves on the current tokio runtime.
    pub async fn start(options: DemoOptions) -> std::io::Result<DemoServer> {
        let listener = TcpListener::bind(("127.0.0.1", options.port)).await?;
        let addr = listener.local_addr()?;
        let state = DemoState::new(options.dataset, options.offset_mode, options.auth);
        let state = Arc::new(if options.live { state.live_from_now() } else { state });
        let app = server::router(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "demo server stopped");
            }
        });
        tracing::info!(%addr, "demo API listening");
        Ok(DemoServer { addr, state, shutdown: Some(tx), task: task.abort_handle() })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> Url {
        Url::parse(&format!("http://{}/", self.addr)).expect("a socket address makes a valid URL")
    }

    pub fn state(&self) -> &Arc<DemoState> {
        &self.state
    }

    /// Changes the fault plan.
    pub fn with_faults(&self, change: impl FnOnce(&mut FaultPlan)) {
        change(&mut self.state.faults.lock().unwrap_or_else(|p| p.into_inner()));
    }

    pub fn api_requests(&self) -> u64 {
        self.state.stats.api_requests.load(Ordering::Relaxed)
    }

    pub fn token_requests(&self) -> u64 {
        self.state.stats.token_requests.load(Ordering::Relaxed)
    }
}

impl DemoServer {
    /// Stops at once, as a crashed server would: the listener closes and
    /// requests in flight are cut off.
    pub fn kill(mut self) {
        self.state.dead.store(true, Ordering::SeqCst);
        self.shutdown.take();
        self.task.abort();
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_suggestion_is_a_customer_enrolled_in_that_rule() {
        let d = Dataset::embedded();
        for (user, rule, _) in SUGGESTIONS {
            let c = d.customer(*user).unwrap_or_else(|| panic!("{user} is not in the dataset"));
            assert!(c.enrolments.iter().any(|e| e.target_rule_id == *rule), "{user} is not enrolled in {rule}");
        }
    }
}
