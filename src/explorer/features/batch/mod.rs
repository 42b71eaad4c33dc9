//! `batch` in a terminal: the rows as a table, with their own filter and sort.

pub mod state;
pub mod update;
pub mod view;
