//! The explorer: its state and the messages that change it (`app`), drawing
//! (`ui`), carrying out effects (`runtime`) and the terminal loop (`tui`).

pub mod app;
pub mod runtime;
pub mod tui;
pub mod ui;
