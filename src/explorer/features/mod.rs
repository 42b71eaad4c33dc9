//! The explorer's features, each in its own folder: its state and update
//! (the keys and messages it handles, as functions of the `App`) beside its
//! view (drawing, a function of `&App`).

pub mod batch;
pub mod bills;
pub mod events;
pub mod export;
pub mod overlays;
pub mod pickers;
pub mod query;
pub mod summary;
pub mod verdict;
pub mod watch;
