//! The use cases the explorer and the headless commands share: the verdict,
//! the case note and its secret-free cURL lines, the watch plan, batch rows,
//! export formats, output files, finding a customer, the configuration and
//! doctor. Below both front ends: nothing here uses either, nor any terminal,
//! command-line or progress-bar crate.

#![allow(clippy::result_large_err)]

/// The layer beneath, named as the modules here use it.
pub use capillary_api as api;
pub use capillary_api::{sanitize, secret};

pub mod batch;
pub mod case_note;
pub mod clock;
pub mod columns;
pub mod config;
pub mod customer;
pub mod doctor;
pub mod export;
pub mod filter;
pub mod output;
pub mod private_file;
pub mod reconcile;
pub mod told;
pub mod verdict;
pub mod watch_plan;
