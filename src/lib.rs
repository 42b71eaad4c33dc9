//! target-events: a terminal explorer for the events that count toward a
//! Capillary loyalty customer's target.

// Errors carry the status, code, request id and URL support staff quote;
// they are built once per failed request, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod app;
pub mod batch;
pub mod batch_cmd;
pub mod cli;
pub mod config;
pub mod demo;
pub mod explain_cmd;
pub mod export;
pub mod fetch_cmd;
pub mod logging;
pub mod private_file;
pub mod query_url;
pub mod runtime;
pub mod sanitize;
pub mod secret;
pub mod session;
pub mod tui;
pub mod ui;
pub mod verdict;
