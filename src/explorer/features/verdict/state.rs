//! The verdict panel's state: the verdicts per period and where the
//! cursor is, and a verdict waiting for what it needs.

use crate::core::verdict::PeriodVerdict;

/// What the panel shows.
#[derive(Clone, Debug)]
pub struct VerdictPanel {
    pub(in crate::explorer::features::verdict) user_id: i64,
    pub(in crate::explorer::features::verdict) rule_id: i64,
    /// The target's name (made safe), when the targets give one.
    pub(in crate::explorer::features::verdict) target_name: Option<String>,
    pub(in crate::explorer::features::verdict) periods: Vec<PeriodVerdict>,
    /// The period shown in detail.
    pub(in crate::explorer::features::verdict) selected: usize,
    /// The notable event under the cursor, in the selected period's list.
    pub(in crate::explorer::features::verdict) event: usize,
    /// Whether j/k move through the events rather than the periods.
    pub(in crate::explorer::features::verdict) in_events: bool,
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
    /// Asked for by the agent (`e`, Enter in the summary, a batch row): an
    /// open verdict beneath another panel comes to the top, on the period
    /// asked. A refresh (an arrival) leaves it where it is.
    pub raise: bool,
}

impl VerdictPanel {
    // What may be read from outside the panel (tests).
    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    pub fn rule_id(&self) -> i64 {
        self.rule_id
    }

    /// Each period's verdict, in the order shown.
    pub fn periods(&self) -> &[PeriodVerdict] {
        &self.periods
    }

    /// The period selected.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The event selected in the period's list.
    pub fn event(&self) -> usize {
        self.event
    }

    /// The period's events have the keys, not the periods.
    pub fn in_events(&self) -> bool {
        self.in_events
    }
}
