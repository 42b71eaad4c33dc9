//! Watching the query live (`w`).

pub mod state;
pub mod update;
