//! The bills panel (`B`): every bill of a period and what happened to it —
//! counted (and as which event), counted in another period, or not counted
//! and why — with the bill's raw JSON beneath. Filter and sort as for events.

pub mod state;
pub mod update;
pub mod view;
