//! Finding the customer a support agent was given: an id is used as it is,
//! any other form (mobile, email, external id, card) is looked up.

use crate::api::{ApiError, BadCustomer, Client, CustomerRef, ResponseMeta};

/// A customer found.
#[derive(Clone, Debug)]
pub struct Found {
    /// What was typed, read as a customer.
    pub customer: CustomerRef,
    pub user_id: i64,
    /// The lookup's exchange (None for an id, which needs no request).
    pub lookup: Option<ResponseMeta>,
}

impl Found {
    /// How the customer was found, when not by id (for the case note).
    pub fn found_by(&self) -> Option<String> {
        self.customer.user_id().is_none().then(|| self.customer.to_string())
    }
}

/// Why no customer was found.
#[derive(Debug)]
pub enum NotFound {
    /// The text is no customer in any form: nothing was sent.
    Invalid(BadCustomer),
    /// The lookup failed (8015: no such customer).
    Api(ApiError),
}

/// Reads `text` as a customer and finds their id.
pub async fn find(client: &Client, text: &str) -> Result<Found, NotFound> {
    let customer = CustomerRef::parse(text).map_err(NotFound::Invalid)?;
    let found = client.lookup(&customer).await.map_err(NotFound::Api)?;
    let lookup = customer.user_id().is_none().then_some(found.meta);
    Ok(Found { customer, user_id: found.value, lookup })
}
