//! Column widths for the explorer's tables: the shared sizing of
//! [`crate::core::columns`], and the constraints ratatui lays them out with.

pub use crate::core::columns::*;

use ratatui::layout::Constraint;

/// The constraints for the chosen columns, in order.
pub fn constraints(chosen: &[Option<u16>]) -> Vec<Constraint> {
    chosen.iter().flatten().map(|w| Constraint::Length(*w)).collect()
}
