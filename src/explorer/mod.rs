//! The explorer: its core state and dispatch (`app`), its features, each
//! with its state, update and view (`features`), the frame and generic
//! drawing helpers (`ui`), carrying out effects (`runtime`) and the terminal
//! loop (`tui`).

pub mod app;
pub mod features;
pub mod runtime;
pub mod tmux;
pub mod tui;
pub mod ui;
