//! target-events: a terminal explorer for the events that count toward a
//! Capillary loyalty customer's target.

// Errors carry the status, code, request id and URL support staff quote;
// they are built once per failed request, so their size does not matter.
#![allow(clippy::result_large_err)]

// The layers, bottom up: the API client; the use cases both front ends
// share; the explorer and the headless commands on top of them.
pub mod api;
pub mod cli;
pub mod config;
pub mod core;
pub mod demo;
pub mod explorer;
pub mod headless;
pub mod logging;
pub mod private_file;
pub mod query_url;
pub mod sanitize;
pub mod secret;
pub mod session;
