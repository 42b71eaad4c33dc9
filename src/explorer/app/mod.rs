//! The explorer's core: the one state (`state`), what is open over the
//! events and who owns the screen (`screen`), the messages, actions and
//! effects (`action`), the key table (`keys`), the one place that changes
//! state (`update`, which hands each action to its feature) and the layout
//! drawing and the mouse share.

pub mod action;
mod asks;
pub mod case;
pub mod derived;
pub mod inspect;
pub mod keymap;
pub mod keys;
pub mod layout;
mod lookup;
pub mod screen;
pub mod state;
pub mod told;
pub mod update;

pub use action::{Action, Effect, Msg};
pub use state::{App, Field, Focus};
