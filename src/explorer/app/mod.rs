//! The explorer's state, the messages that change it and the keymap.

pub mod action;
pub mod batch;
pub mod customers;
pub mod export;
pub mod fetch_all;
pub mod keys;
pub mod layout;
pub mod paging;
pub mod picker;
pub mod pickers;
pub mod profiles;
pub mod recent;
pub mod screen;
pub mod selection;
pub mod state;
pub mod summary;
pub mod update;
pub mod verdict;
pub mod view;
pub mod watch;

pub use action::{Action, Effect, Msg};
pub use state::{App, Focus};
