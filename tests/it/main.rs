//! The integration tests, one binary: client over real HTTP, headless and
//! explorer behaviour, frames, properties, trust and the real binary in a
//! pseudo-terminal. One link of the crate instead of one per file.

// ApiError carries what support staff quote; its size is fine here too.
#![allow(clippy::result_large_err)]

mod app_state;
mod architecture;
mod batch;
mod batch_cli;
mod bills;
mod bills_panel;
mod client;
mod common;
mod completions;
mod config_look;
mod customers;
mod doctor;
mod e2e_pty;
mod faults;
mod fetch_all;
mod fetch_cli;
mod figures;
mod hostile;
mod keys;
mod one_case;
mod one_case_pty;
mod panels;
mod panels_pty;
mod properties;
mod screens;
mod secrets;
mod setup_paths;
mod tmux_pty;
mod trust;
mod verdict;
mod watch;
mod watch_cli;
mod workflow;
