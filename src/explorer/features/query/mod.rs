//! The query fields, and finding the customer typed in any form.

pub mod update;
pub mod view;
