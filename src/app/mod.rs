//! The explorer's state, the messages that change it and the keymap.

pub mod action;
pub mod keymap;
pub mod state;
pub mod update;

pub use action::{Action, Effect, Msg};
pub use state::{App, Focus};
