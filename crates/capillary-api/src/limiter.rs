//! The one rate limit of a profile: at most the requests-per-minute quota in
//! any minute (a sliding window, so neither a fixed-window nor a sliding
//! quota on the server is ever exceeded), and a "not before" gate that a
//! 429's Retry-After closes for automatic work. The client owns it, so every
//! request the process sends with that profile (pages, prefetches, lookups,
//! targets, fetch-all, verdict, watch, batch) draws from the same quota.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub struct RateLimiter {
    /// None: no quota configured (tests, the embedded demo).
    quota: Option<Quota>,
    not_before: Mutex<Instant>,
}

struct Quota {
    per_window: usize,
    window: Duration,
    /// When each of the last `per_window` requests was let through, oldest first.
    sent: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    pub fn new(per_minute: Option<u32>) -> Self {
        Self::with_window(per_minute, Duration::from_secs(60))
    }

    /// `per_window` requests in any `window` (a minute but in benchmarks,
    /// which shorten it to run a quota-bound batch in seconds).
    pub fn with_window(per_window: Option<u32>, window: Duration) -> Self {
        let quota = per_window.map(|n| Quota {
            per_window: n.max(1) as usize,
            window: window.max(Duration::from_millis(1)),
            sent: Mutex::new(VecDeque::new()),
        });
        RateLimiter { quota, not_before: Mutex::new(Instant::now()) }
    }

    /// Waits until a request fits the quota: every request does, before it
    /// is sent. The first `per_window` go at once; each later one when the
    /// one `per_window` before it is a window old.
    pub async fn turn(&self) {
        let Some(quota) = &self.quota else { return };
        loop {
            let wait_until = {
                let mut sent = quota.sent.lock().await;
                let now = Instant::now();
                while sent.front().is_some_and(|t| now.duration_since(*t) >= quota.window) {
                    sent.pop_front();
                }
                if sent.len() < quota.per_window {
                    sent.push_back(now);
                    return;
                }
                sent.front().map(|t| *t + quota.window)
            };
            if let Some(at) = wait_until {
                tokio::time::sleep_until(at).await;
            }
        }
    }

    /// Waits until no Retry-After holds requests back: automatic work
    /// (retries, fetch-all pages, batch customers) does, before each try. A
    /// request the user asked for now is sent, and the server answers it.
    pub async fn gate(&self) {
        loop {
            let gate = *self.not_before.lock().await;
            if gate <= Instant::now() {
                return;
            }
            tokio::time::sleep_until(gate).await;
        }
    }

    /// After a 429 with Retry-After, no automatic work starts for `wait`.
    pub async fn hold_for(&self, wait: Duration) {
        let now = Instant::now();
        let until = now.checked_add(wait).unwrap_or(now + Duration::from_secs(86_400));
        let mut gate = self.not_before.lock().await;
        *gate = (*gate).max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_the_quota_in_any_minute() {
        let limiter = RateLimiter::new(Some(60));
        let start = Instant::now();
        let mut sent = Vec::new();
        for _ in 0..150 {
            limiter.turn().await;
            sent.push(start.elapsed());
        }
        assert!(sent[59] < Duration::from_millis(1), "the quota goes at once");
        assert!(sent[60] >= Duration::from_secs(60), "the next waits until the first is a minute old");
        // In every window of a minute, at most 60.
        for (i, t) in sent.iter().enumerate() {
            let in_window = sent[i..].iter().take_while(|u| **u < *t + Duration::from_secs(60)).count();
            assert!(in_window <= 60, "{in_window} requests in the minute from {t:?}");
        }
        assert!(sent[149] < Duration::from_secs(121), "and no slower than that: {:?}", sent[149]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_closes_the_gate_for_its_time() {
        let limiter = RateLimiter::new(None);
        limiter.hold_for(Duration::from_secs(5)).await;
        limiter.hold_for(Duration::from_secs(2)).await;
        let at = Instant::now();
        limiter.gate().await;
        assert!(at.elapsed() >= Duration::from_secs(5), "the longer hold wins");
        let at = Instant::now();
        limiter.gate().await;
        assert!(at.elapsed() < Duration::from_millis(1));
    }
}
