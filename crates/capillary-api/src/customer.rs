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
    /// A national number (a leading 0, or spaces but no country code) and
    /// no default country code to complete it with.
    NoCountryCode,
    BadEmail,
    /// `external:` or `card:` with nothing after it, or with spaces.
    BadValue,
    /// Not digits and not a known form.
    Unknown,
    /// Longer than any identifier (an email's 254 characters, 100 for
    /// the others): never sent.
    TooLong,
}

impl BadCustomer {
    pub fn reason(self) -> &'static str {
        match self {
            BadCustomer::Empty => "required",
            BadCustomer::BadId => "an id is a number above 0 that fits 19 digits",
            BadCustomer::BadMobile => "a mobile is 8–15 digits, with the country code",
            BadCustomer::NoCountryCode => "a national number needs default_country_code, or type +CC",
            BadCustomer::BadEmail => "an email needs a name, an @ and a dotted domain",
            BadCustomer::BadValue => "a value without spaces is needed after the colon",
            BadCustomer::Unknown => "id, phone, email, external:, card:",
            BadCustomer::TooLong => "too long for an identifier",
        }
    }
}

impl CustomerRef {
    /// Reads `text` with no default country code: see [`CustomerRef::parse_with`].
    pub fn parse(text: &str) -> Result<CustomerRef, BadCustomer> {
        CustomerRef::parse_with(text, None)
    }

    /// Reads `text` as support staff type it: digits alone are an id;
    /// `mobile:`, `email:`, `external:` and `card:` name the kind; text with
    /// an `@` is an email; a phone number as it is spoken (spaces, dashes,
    /// dots, parentheses, a leading `+`, `00` or national `0`) is a mobile,
    /// a national one completed with `country_code`. Surrounding spaces
    /// (from a paste) are ignored.
    pub fn parse_with(text: &str, country_code: Option<&str>) -> Result<CustomerRef, BadCustomer> {
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
            _ if t.starts_with('+') || looks_like_phone(t) => ("mobile".to_string(), t),
            _ => return Err(BadCustomer::Unknown),
        };
        let longest = if kind == "email" { 254 } else { 100 };
        if value.chars().count() > longest {
            return Err(BadCustomer::TooLong);
        }
        match kind.as_str() {
            "mobile" => mobile_digits(value, country_code).map(CustomerRef::Mobile),
            "email" => {
                if valid_email(value) {
                    Ok(CustomerRef::Email(value.to_string()))
                } else {
                    Err(BadCustomer::BadEmail)
                }
            }
            _ if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) => {
                Err(BadCustomer::BadValue)
            }
            "external" => Ok(CustomerRef::External(value.to_string())),
            _ => Ok(CustomerRef::Card(value.to_string())),
        }
    }

    /// The mobile a bare digit string would be, when it makes a plausible
    /// one (10 to 15 digits, a national number completed with
    /// `country_code`): tried when no customer has it as their id.
    pub fn as_mobile(&self, country_code: Option<&str>) -> Option<CustomerRef> {
        let CustomerRef::UserId(id) = self else { return None };
        let digits = id.to_string();
        if !(10..=15).contains(&digits.len()) {
            return None;
        }
        let cc = country_code.filter(|cc| !cc.is_empty());
        let full = match cc {
            // A national number: the country code goes in front.
            Some(cc) if digits.len() == 10 && !digits.starts_with(cc) => format!("{cc}{digits}"),
            _ => digits,
        };
        (full.len() <= 15).then_some(CustomerRef::Mobile(full))
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

/// Text made of what a phone number is written with, and digits.
fn looks_like_phone(t: &str) -> bool {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    // One plus at most, in front (or just inside a parenthesis).
    let plus = t.matches('+').count();
    let plus_ok = plus == 0 || (plus == 1 && t.trim_start_matches('(').starts_with('+'));
    digits >= 6 && plus_ok && t.chars().all(|c| c.is_ascii_digit() || " -.()/+".contains(c))
}

/// A mobile as the lookup takes it: the country code and the number, digits
/// only. `+` or `00` in front say the country code is there; a leading `0`
/// (a trunk prefix) or a number written with separators but no `+` is
/// national and takes `country_code`.
fn mobile_digits(value: &str, country_code: Option<&str>) -> Result<String, BadCustomer> {
    let v = value.trim();
    // "(+91) 98000…": the plus may stand inside a parenthesis.
    let international = v.trim_start_matches('(').starts_with('+');
    let body = v.replacen('+', "", usize::from(international));
    if !body.chars().all(|c| c.is_ascii_digit() || " -.()/".contains(c)) {
        return Err(BadCustomer::BadMobile);
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let spaced = body.chars().any(|c| !c.is_ascii_digit());
    let full = if international {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if digits.starts_with('0') || (spaced && digits.len() <= 10) {
        let national = digits.trim_start_matches('0');
        match country_code.filter(|cc| !cc.is_empty()) {
            Some(cc) => format!("{cc}{national}"),
            None => return Err(BadCustomer::NoCountryCode),
        }
    } else {
        digits
    };
    if (8..=15).contains(&full.len()) && !full.starts_with('0') { Ok(full) } else { Err(BadCustomer::BadMobile) }
}

/// A mobile for people: `+91 98000 00006` when the country code is known
/// and the rest is ten digits, else `+` and the digits.
pub fn spoken_mobile(digits: &str, country_code: Option<&str>) -> String {
    match country_code.filter(|cc| !cc.is_empty()).and_then(|cc| digits.strip_prefix(cc).map(|rest| (cc, rest))) {
        Some((cc, rest)) if rest.len() == 10 => format!("+{cc} {} {}", &rest[..5], &rest[5..]),
        _ => format!("+{digits}"),
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
        assert_eq!(p("98000 00006"), BadCustomer::NoCountryCode, "a national number needs the country code");
        assert_eq!(p("+91 98000-0000x"), BadCustomer::BadMobile);
        assert_eq!(p("mobile:+91 98000 0000x"), BadCustomer::BadMobile);
        assert_eq!(p("external:A\u{7}B"), BadCustomer::BadValue);
        assert_eq!(p(&format!("external:{}", "x".repeat(101))), BadCustomer::TooLong);
        assert_eq!(p(&format!("{}@example.com", "x".repeat(250))), BadCustomer::TooLong);
    }

    #[test]
    fn a_number_as_it_is_spoken() {
        let p = |s: &str| CustomerRef::parse_with(s, Some("91"));
        let m = |d: &str| Ok(CustomerRef::Mobile(d.into()));
        for spoken in [
            "98000 00006",
            "098000 00006",
            "+91 98000-00006",
            "+91 (98000) 00006",
            "0091 98000.00006",
            "91 98000 00006",
            "mobile:9800000006",
            "mobile:+91 98000 00006",
        ] {
            let want = if spoken == "mobile:9800000006" { m("9800000006") } else { m("919800000006") };
            assert_eq!(p(spoken), want, "{spoken}");
        }
        // Digits alone stay an id; as a mobile they are what a lookup would try.
        assert_eq!(p("919800000006"), Ok(CustomerRef::UserId(919800000006)));
        let as_mobile = |id: i64| CustomerRef::UserId(id).as_mobile(Some("91"));
        assert_eq!(as_mobile(919800000006), Some(CustomerRef::Mobile("919800000006".into())));
        assert_eq!(as_mobile(9800000006), Some(CustomerRef::Mobile("919800000006".into())));
        assert_eq!(as_mobile(7000006), None, "too short for a mobile");
        assert_eq!(as_mobile(12345678), None);
        assert_eq!(as_mobile(999999999999999), Some(CustomerRef::Mobile("999999999999999".into())));
        assert_eq!(spoken_mobile("919800000006", Some("91")), "+91 98000 00006");
        assert_eq!(spoken_mobile("4915112345678", Some("91")), "+4915112345678");
    }
}
