//! target-events: a terminal explorer for the events that count toward a
//! Capillary loyalty customer's target.

// Errors carry the status, code, request id and URL support staff quote;
// they are built once per failed request, so their size does not matter.
#![allow(clippy::result_large_err)]

// The layers, bottom up, each a crate the compiler keeps apart: the API
// client (capillary-api); the use cases both front ends share
// (target-events-core); the demo API (target-events-demo, behind the
// `demo` feature); and here, on top, the explorer and the headless commands.
pub use capillary_api as api;
pub use capillary_api::{sanitize, secret};
pub use target_events_core as core;
pub use target_events_core::{config, private_file};
#[cfg(feature = "demo")]
pub use target_events_demo as demo;

pub mod cli;
pub mod completions;
pub mod explorer;
pub mod headless;
pub mod interrupt;
pub mod logging;
pub mod manual;
pub mod query_url;
pub mod session;
