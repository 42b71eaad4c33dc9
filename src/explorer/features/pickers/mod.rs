//! Lists to choose from: the customer's targets, a target's periods, recent
//! queries and profiles.

pub mod picker;
pub mod profiles;
pub mod recent;
pub mod update;
pub mod view;
