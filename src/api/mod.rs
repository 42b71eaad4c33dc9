//! The Capillary v3 API: client, authentication, data model and errors.

pub mod auth;
pub mod client;
pub mod error;
pub mod fetch_all;
pub mod model;
pub mod paging;

pub use client::{Client, ClientConfig, EventsOutcome, EventsQuery, Fetched, ResponseMeta};
pub use error::{ApiError, ErrorKind, Field};
pub use model::{EventsPage, Money, TargetEvent};
pub use paging::{MAX_PAGE_SIZE, OffsetMode, PageInfo};
