//! Finding the customer a support agent was given: an id, or a mobile,
//! email, external id or card that the lookup turns into the id. A number
//! as the caller says it may be either: digits that also make a plausible
//! mobile are tried as an id first, then as that mobile, in one go.

use crate::api::error::codes;
use crate::api::{ApiError, BadCustomer, Client, CustomerRef, Fetched, ResponseMeta};

/// Where customers are looked up: the client, or anything that answers as
/// the lookup endpoint would (tests answer from the demo dataset).
pub trait Directory {
    /// `GET /v2/customers/lookup` with this `identifierName` and value.
    fn lookup_identifier(&self, name: &str, value: &str) -> impl Future<Output = Result<Fetched<i64>, ApiError>>;

    /// Whether the v3 API knows a customer with this id: false when it
    /// answers 310011 "Invalid userId".
    fn customer_exists(&self, user_id: i64) -> impl Future<Output = Result<bool, ApiError>>;
}

impl Directory for Client {
    async fn lookup_identifier(&self, name: &str, value: &str) -> Result<Fetched<i64>, ApiError> {
        Client::lookup_identifier(self, name, value).await
    }

    async fn customer_exists(&self, user_id: i64) -> Result<bool, ApiError> {
        match self.target_groups(user_id).await {
            Ok(_) => Ok(true),
            Err(e) if is_unknown_customer(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// The v3 API's "no such customer": 310011 Invalid userId.
pub fn is_unknown_customer(e: &ApiError) -> bool {
    e.code() == Some(codes::INVALID_USER)
}

/// How the customer was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FoundBy {
    /// The id as typed.
    Id,
    /// The identifier typed (mobile, email, external id, card).
    Identifier,
    /// No customer has the digits as id; the mobile they make does.
    MobileAfterId { mobile: CustomerRef },
}

/// A customer found.
#[derive(Clone, Debug)]
pub struct Found {
    /// What was typed, read as a customer.
    pub customer: CustomerRef,
    pub user_id: i64,
    pub by: FoundBy,
    /// The lookup that found them (None for an id used as typed).
    pub lookup: Option<ResponseMeta>,
}

impl Found {
    /// How the customer was found, when not by id (for the case note).
    pub fn found_by(&self) -> Option<String> {
        match &self.by {
            FoundBy::Id => None,
            FoundBy::Identifier => Some(self.customer.to_string()),
            FoundBy::MobileAfterId { mobile } => Some(mobile.to_string()),
        }
    }

    /// What to tell the agent when the digits were not the id:
    /// "No customer 919800000006; found by mobile +91 98000 00006 → 7000006".
    pub fn sentence(&self, country_code: Option<&str>) -> Option<String> {
        let FoundBy::MobileAfterId { mobile: CustomerRef::Mobile(digits) } = &self.by else { return None };
        let CustomerRef::UserId(typed) = &self.customer else { return None };
        let spoken = crate::api::customer::spoken_mobile(digits, country_code);
        Some(format!("No customer {typed}; found by mobile {spoken} → {}", self.user_id))
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

/// Finds the id of `customer`. Digits that make a plausible mobile are
/// checked as an id first (the v3 API knows the customer or says 310011)
/// and, when no customer has that id, looked up as the mobile.
pub async fn resolve(
    client: &impl Directory,
    customer: &CustomerRef,
    country_code: Option<&str>,
) -> Result<Found, ApiError> {
    let CustomerRef::UserId(id) = customer else {
        let (name, value) = customer.identifier();
        let f = client.lookup_identifier(name, &value).await?;
        return Ok(Found {
            customer: customer.clone(),
            user_id: f.value,
            by: FoundBy::Identifier,
            lookup: Some(f.meta),
        });
    };
    match customer.as_mobile(country_code) {
        Some(mobile) if !client.customer_exists(*id).await? => as_mobile_instead(client, customer, mobile).await,
        _ => Ok(Found { customer: customer.clone(), user_id: *id, by: FoundBy::Id, lookup: None }),
    }
}

/// The customer the digits of `customer` make as `mobile`, once the API
/// has said no customer has them as an id. Fails with the lookup's 8015
/// when no customer has that mobile either.
pub async fn as_mobile_instead(
    client: &impl Directory,
    customer: &CustomerRef,
    mobile: CustomerRef,
) -> Result<Found, ApiError> {
    let (name, value) = mobile.identifier();
    let f = client.lookup_identifier(name, &value).await?;
    Ok(Found {
        customer: customer.clone(),
        user_id: f.value,
        by: FoundBy::MobileAfterId { mobile },
        lookup: Some(f.meta),
    })
}

/// Reads `text` as a customer and finds their id.
pub async fn find(client: &Client, text: &str, country_code: Option<&str>) -> Result<Found, NotFound> {
    let customer = CustomerRef::parse_with(text, country_code).map_err(NotFound::Invalid)?;
    resolve(client, &customer, country_code).await.map_err(NotFound::Api)
}
