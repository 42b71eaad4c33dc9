//! Fault knobs for the demo API, so tests (and curious users) can see how the
//! explorer behaves when the real API misbehaves.

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One way to misbehave, applied to one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// 429 with `Retry-After`.
    RateLimit { retry_after_secs: u64 },
    /// 503 with an HTML body, as a load balancer sends it.
    Html503,
    /// 200 with a JSON body cut in half.
    Truncated,
    /// Headers and half a body, then nothing.
    Stall,
    /// No answer at all.
    Hang,
    /// A status with an empty body.
    Empty { status: u16 },
    /// A status with the v3 error envelope.
    Envelope { status: u16, code: i64, message: String },
    /// A status with a plain-text body and no envelope (e.g. 404 from a proxy).
    Plain { status: u16, body: String },
}

/// What the demo API does to the next requests.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FaultPlan {
    /// Added before every API answer.
    #[serde(default)]
    pub latency_ms: u64,
    /// Faults for the next requests, one each, in order.
    #[serde(default)]
    pub queue: VecDeque<Fault>,
    /// A fault for every request while set (after the queue is empty).
    #[serde(default)]
    pub always: Option<Fault>,
    /// Faults apply only to requests whose path contains this (e.g. `offset=3`).
    #[serde(default)]
    pub only_matching: Option<String>,
}

impl FaultPlan {
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms)
    }

    /// The fault for a request to `path_and_query`, if any.
    pub fn take(&mut self, path_and_query: &str) -> Option<Fault> {
        if let Some(filter) = &self.only_matching
            && !path_and_query.contains(filter.as_str())
        {
            return None;
        }
        self.queue.pop_front().or_else(|| self.always.clone())
    }
}
