//! The verdict panel's state: the verdicts per period and where the
//! cursor is, and a verdict waiting for what it needs.

use crate::core::verdict::PeriodVerdict;

/// What the panel shows.
#[derive(Clone, Debug)]
pub struct VerdictPanel {
    pub user_id: i64,
    pub rule_id: i64,
    /// The target's name (made safe), when the targets give one.
    pub target_name: Option<String>,
    pub periods: Vec<PeriodVerdict>,
    /// The period shown in detail.
    pub selected: usize,
    /// The notable event under the cursor, in the selected period's list.
    pub event: usize,
    /// Whether j/k move through the events rather than the periods.
    pub in_events: bool,
}

/// A verdict waiting for the targets or the events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerdictWanted {
    pub user_id: i64,
    pub rule_id: i64,
    /// The period the query named, shown first.
    pub period_id: Option<i64>,
    /// Open the period's bills over it once it is shown (`B` from the events).
    pub open_bills: bool,
}
