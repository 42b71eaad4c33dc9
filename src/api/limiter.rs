//! The one rate limit of a profile: a token bucket (GCRA) whose burst is the
//! requests-per-minute quota, and a "not before" gate that a 429's
//! Retry-After closes for automatic work. The client owns it, so every
//! request the process sends with that profile (pages, prefetches, lookups,
//! targets, fetch-all, verdict, watch, batch) draws from the same quota.

use std::num::NonZeroU32;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

type Governor = governor::DefaultDirectRateLimiter;

pub struct RateLimiter {
    /// None: no quota configured (tests, the embedded demo).
    bucket: Option<Governor>,
    not_before: Mutex<Instant>,
}

impl RateLimiter {
    pub fn new(per_minute: Option<u32>) -> Self {
        let bucket = per_minute.map(|n| {
            let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
            governor::RateLimiter::direct(governor::Quota::per_minute(n))
        });
        RateLimiter { bucket, not_before: Mutex::new(Instant::now()) }
    }

    /// Waits for a token of the quota: every request does, before it is sent.
    pub async fn turn(&self) {
        if let Some(bucket) = &self.bucket {
            bucket.until_ready().await;
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

    #[tokio::test]
    async fn the_quota_is_a_burst_then_paced() {
        let limiter = RateLimiter::new(Some(60));
        let start = std::time::Instant::now();
        for _ in 0..60 {
            limiter.turn().await;
        }
        assert!(start.elapsed() < Duration::from_millis(500), "the quota goes at once");
        limiter.turn().await;
        assert!(start.elapsed() >= Duration::from_millis(900), "the next waits for the bucket");
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
