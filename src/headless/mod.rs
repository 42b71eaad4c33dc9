//! The headless commands: `fetch`, `explain` and `batch`. They parse what
//! the command line gave, call the use cases in `core` and print; they use
//! nothing of the explorer.

pub mod batch;
pub mod explain;
pub mod fetch;
