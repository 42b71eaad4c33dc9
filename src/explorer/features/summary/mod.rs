//! The summary per period (`s`).

pub mod state;
pub mod update;
pub mod view;
