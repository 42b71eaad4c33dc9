//! The explorer's state, the messages that change it and the keymap.

pub mod action;
pub mod keymap;
pub mod layout;
pub mod picker;
pub mod profiles;
pub mod recent;
pub mod state;
pub mod summary;
pub mod update;
pub mod view;
pub mod workflow;

pub use action::{Action, Effect, Msg};
pub use state::{App, Focus};
