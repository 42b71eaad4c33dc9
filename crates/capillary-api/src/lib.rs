//! The Capillary v3 API: client, authentication, data model and errors,
//! with no word for a screen: the bottom layer of target-events.

// Errors carry the status, code, request id and URL support staff quote;
// they are built once per failed request, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod bills;
pub mod cert;
pub mod client;
pub mod customer;
pub mod error;
pub mod fetch_all;
pub mod limiter;
pub mod model;
pub mod paging;
pub mod probe;
pub mod query;
pub mod response;
pub mod sanitize;
pub mod secret;

pub use client::{Client, ClientConfig};
pub use customer::{BadCustomer, CustomerRef};
pub use error::{ApiError, ErrorKind, Param, SentCredentials};
pub use model::{EventsPage, Money, TargetEvent};
pub use paging::{MAX_PAGE_SIZE, OffsetMode, PageInfo};
pub use query::EventsQuery;
pub use response::{EventsOutcome, Fetched, ResponseMeta};
