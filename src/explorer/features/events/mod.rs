//! The events of the query: pages and their cache (`paging`), every page at
//! once (`fetch_all`), the filter and sort (`filter`), moving through them
//! (`selection`); drawn as the table, the detail pane, the error banner and
//! the status line.

pub mod banner;
pub mod detail;
pub mod fetch_all;
pub mod filter;
pub mod navigator;
pub mod paging;
pub mod selection;
pub mod table;
