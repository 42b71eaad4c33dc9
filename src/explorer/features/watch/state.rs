//! A watch under way: the shared plan and what the explorer adds to it.

use chrono::NaiveDateTime;

use crate::core::watch_plan::WatchPlan;

/// A watch under way: the shared plan, and what the explorer adds to it.
#[derive(Clone, Debug)]
pub struct Watch {
    pub plan: WatchPlan,
    /// Which scheduled wake-up or poll is current; older ones are dropped.
    pub generation: u64,
    /// A poll is out: no second one is sent until it answers.
    pub polling: bool,
    /// When the next poll is due (for the status line).
    pub next_at: NaiveDateTime,
}
