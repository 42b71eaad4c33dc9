//! A customer as support staff are given it: an internal id, or a mobile
//! number, an email, the brand's own id or a card number, which
//! `GET /v2/customers/lookup` turns into the id.

use std::fmt;

/// What was typed, read as a customer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CustomerRef {
    UserId(i64),
    Mobile(String),
    Email(String),
    External(String),
    Card(String),
}

/// Why text is not a customer; each says what would be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadCustomer {
    Empty,
    /// Digits that are 0 or do not fit an id.
    BadId,
    BadMobile,
    BadEmail,
    /// `external:` or `card:` with nothing after it, or with spaces.
    BadValue,
    /// Not digits and not a known form.
    Unknown,
}

impl BadCustomer {
    pub fn reason(self) -> &'static str {
        match self {
            BadCustomer::Empty => "required",
            BadCustomer::BadId => "an id is a number above 0 that fits 19 digits",
            BadCustomer::BadMobile => "a mobile is 8–15 digits, with the country code",
            BadCustomer::BadEmail => "an email needs a name, an @ and a dotted domain",
            BadCustomer::BadValue => "a value without spaces is needed after the colon",
            BadCustomer::Unknown => "id or mobile:/email:/external:/card:",
        }
    }
}

impl CustomerRef {
    /// Reads `text`: digits are an id; `mobile:`, `email:`, `external:` and
    /// `card:` name the kind; text with an `@` is an email and `+` with digits
    /// a mobile. Surrounding spaces (from a paste) are ignored.
    pub fn parse(text: &str) -> Result<CustomerRef, BadCustomer> {
        let t = text.trim();
        if t.is_empty() {
            return Err(BadCustomer::Empty);
        }
        if t.bytes().all(|b| b.is_ascii_digit()) {
            return match t.parse::<i64>() {
                Ok(id) if id > 0 => Ok(CustomerRef::UserId(id)),
                _ => Err(BadCustomer::BadId),
            };
        }
        let (kind, value) = match t.split_once(':') {
            Some((k, v)) if ["mobile", "email", "external", "card"].contains(&k.to_ascii_lowercase().as_str()) => {
                (k.to_ascii_lowercase(), v.trim())
            }
            _ if t.contains('@') => ("email".to_string(), t),
            _ if t.starts_with('+') => ("mobile".to_string(), t),
            _ => return Err(BadCustomer::Unknown),
        };
        match kind.as_str() {
            "mobile" => {
                let digits = value.strip_prefix('+').unwrap_or(value);
                let ok = (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
                if ok { Ok(CustomerRef::Mobile(digits.to_string())) } else { Err(BadCustomer::BadMobile) }
            }
            "email" => {
                if valid_email(value) {
                    Ok(CustomerRef::Email(value.to_string()))
                } else {
                    Err(BadCustomer::BadEmail)
                }
            }
            _ if value.is_empty() || value.chars().any(char::is_whitespace) => Err(BadCustomer::BadValue),
            "external" => Ok(CustomerRef::External(value.to_string())),
            _ => Ok(CustomerRef::Card(value.to_string())),
        }
    }

    /// The id, when it was given as one.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            CustomerRef::UserId(id) => Some(*id),
            _ => None,
        }
    }

    /// The lookup's `identifierName` and `identifierValue`.
    pub fn identifier(&self) -> (&'static str, String) {
        match self {
            CustomerRef::UserId(id) => ("id", id.to_string()),
            CustomerRef::Mobile(v) => ("mobile", v.clone()),
            CustomerRef::Email(v) => ("email", v.clone()),
            CustomerRef::External(v) => ("externalId", v.clone()),
            CustomerRef::Card(v) => ("cardnumber", v.clone()),
        }
    }
}

/// "email name@example.com", "mobile 919449489999": for sentences.
impl fmt::Display for CustomerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = crate::sanitize::line(&self.identifier().1).into_owned();
        match self {
            CustomerRef::UserId(id) => write!(f, "id {id}"),
            CustomerRef::Mobile(_) => write!(f, "mobile {value}"),
            CustomerRef::Email(_) => write!(f, "email {value}"),
            CustomerRef::External(_) => write!(f, "external id {value}"),
            CustomerRef::Card(_) => write!(f, "card {value}"),
        }
    }
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_and_shorthand() {
        let p = |s: &str| CustomerRef::parse(s);
        assert_eq!(p(" 564332013 "), Ok(CustomerRef::UserId(564332013)));
        assert_eq!(p("mobile:919449489999"), Ok(CustomerRef::Mobile("919449489999".into())));
        assert_eq!(p("+919449489999"), Ok(CustomerRef::Mobile("919449489999".into())));
        assert_eq!(p("email:name+tag@example.com"), Ok(CustomerRef::Email("name+tag@example.com".into())));
        assert_eq!(p("name@example.com"), Ok(CustomerRef::Email("name@example.com".into())));
        assert_eq!(p("external:MPQSP100"), Ok(CustomerRef::External("MPQSP100".into())));
        assert_eq!(p("CARD:LOYAL0001"), Ok(CustomerRef::Card("LOYAL0001".into())));
        assert_eq!(p("External:MPQSP100").unwrap().identifier(), ("externalId", "MPQSP100".into()));
    }

    #[test]
    fn every_bad_form_says_why() {
        let p = |s: &str| CustomerRef::parse(s).unwrap_err();
        assert_eq!(p(""), BadCustomer::Empty);
        assert_eq!(p("0"), BadCustomer::BadId);
        assert_eq!(p("99999999999999999999"), BadCustomer::BadId);
        assert_eq!(p("mobile:1234567"), BadCustomer::BadMobile);
        assert_eq!(p("mobile:1234567890123456"), BadCustomer::BadMobile);
        assert_eq!(p("+12ab5678"), BadCustomer::BadMobile);
        for email in ["email:@example.com", "name@", "name@example", "name@example.", "email:a b@c.d"] {
            assert_eq!(p(email), BadCustomer::BadEmail, "{email}");
        }
        assert_eq!(p("card:"), BadCustomer::BadValue);
        assert_eq!(p("external:A B"), BadCustomer::BadValue);
        assert_eq!(p("12a"), BadCustomer::Unknown);
        assert_eq!(p("phone:123"), BadCustomer::Unknown);
    }
}
