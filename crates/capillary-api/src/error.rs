//! Every way a request can fail, as a value with a sentence a support agent
//! understands, the HTTP status, the API code and the request id.
//!
//! Everything that came from the server is sanitised when the error is built,
//! so `Display` is always safe to print, log or show. No credential is ever
//! part of an error: URLs carry none, and headers are never copied in.

use std::fmt;
use std::time::Duration;

use super::model::ApiMessage;

/// The query input an API error code blames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    UserId,
    RuleId,
    PeriodId,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::UserId => "userId",
            Field::RuleId => "targetRuleId",
            Field::PeriodId => "periodId",
        }
    }

    /// Which input a documented error code blames.
    pub fn blamed_by(code: i64) -> Option<Field> {
        match code {
            codes::INVALID_USER | codes::CUSTOMER_NOT_FOUND => Some(Field::UserId),
            codes::RULE_NOT_FOUND => Some(Field::RuleId),
            codes::PERIOD_NOT_FOUND => Some(Field::PeriodId),
            _ => None,
        }
    }
}

/// Documented error codes of the target-events endpoint.
pub mod codes {
    pub const INVALID_USER: i64 = 310011;
    pub const RULE_NOT_FOUND: i64 = 310018;
    pub const PERIOD_NOT_FOUND: i64 = 310019;
    /// Not a failure: the customer has no events in this target.
    pub const NO_EVENTS: i64 = 310149;
    /// v2 lookup: no customer with that identifier.
    pub const CUSTOMER_NOT_FOUND: i64 = 8015;
}

/// Why the network part failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetCause {
    Refused,
    Dns,
    Tls,
    Timeout,
    Interrupted,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server answered with the v3 error envelope.
    Api { code: Option<i64>, message: String, more: Vec<ApiMessage> },
    /// 401, 403 or 498.
    Auth { code: Option<i64>, message: Option<String>, hint: String },
    /// 404 with no envelope: the base URL or path is wrong.
    NotFound,
    /// 429.
    RateLimited { retry_after: Option<Duration>, message: Option<String> },
    /// 5xx without an envelope, HTML, an empty body.
    Server { snippet: String },
    /// A body that is not the JSON we expect (truncated, malformed, wrong shape).
    Malformed { detail: String, snippet: String },
    /// The body passed the size cap.
    TooLarge { limit: u64 },
    /// No HTTP answer at all.
    Network { host: String, cause: NetCause, detail: String },
    /// Credentials would have gone over plain http to a non-loopback host.
    InsecureTransport { host: String },
    /// A 4xx without an envelope (HTML, text): the request itself was refused.
    Rejected { snippet: String },
    /// A 3xx to another origin or to plain http: not followed, so no
    /// credential went there.
    Redirected { location: String },
    /// A request with credentials was about to leave for an origin they do
    /// not belong to; it was not sent.
    ForeignOrigin { origin: String, owner: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    /// The request URL (never holds credentials).
    pub url: String,
}

impl ApiError {
    /// The failed exchange as a request of a case note lists it (status 0
    /// when no answer came).
    pub fn meta(&self) -> crate::response::ResponseMeta {
        crate::response::ResponseMeta {
            status: self.status.unwrap_or(0),
            request_id: self.request_id.clone(),
            elapsed: std::time::Duration::ZERO,
            url: self.url.clone(),
        }
    }
}

/// A failure as data, field by field, for programs: batch rows and the
/// JSON formats' errors carry it beside the sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub code: Option<i64>,
    pub message: String,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
}

impl Failure {
    pub fn of(e: &ApiError) -> Failure {
        Failure { code: e.code(), message: e.sentence(), http_status: e.status, request_id: e.request_id.clone() }
    }
}

impl ApiError {
    pub fn new(kind: ErrorKind, status: Option<u16>, request_id: Option<String>, url: &str) -> Self {
        ApiError {
            kind,
            status,
            request_id: request_id.map(|r| crate::sanitize::line(&r).into_owned()),
            url: crate::sanitize::line(url).into_owned(),
        }
    }

    /// The API error code, when the server sent one.
    pub fn code(&self) -> Option<i64> {
        match &self.kind {
            ErrorKind::Api { code, .. } | ErrorKind::Auth { code, .. } => *code,
            _ => None,
        }
    }

    /// The input this error blames, for highlighting it.
    pub fn field(&self) -> Option<Field> {
        self.code().and_then(Field::blamed_by)
    }

    /// The server's own message, when it sent one.
    pub fn server_message(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Api { message, .. } => Some(message),
            ErrorKind::Auth { message, .. } | ErrorKind::RateLimited { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// Worth retrying automatically (rate limits, server trouble, timeouts).
    pub fn is_transient(&self) -> bool {
        match &self.kind {
            ErrorKind::RateLimited { .. } | ErrorKind::Server { .. } => true,
            // A request timeout is the only refusal worth repeating.
            ErrorKind::Rejected { .. } => self.status == Some(408),
            ErrorKind::Network { cause, .. } => {
                matches!(cause, NetCause::Timeout | NetCause::Interrupted | NetCause::Refused)
            }
            ErrorKind::Malformed { .. } => self.status.is_some_and(|s| s >= 500),
            ErrorKind::Api { .. } => self.status.is_some_and(|s| s >= 500),
            _ => false,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match &self.kind {
            ErrorKind::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// One sentence: what went wrong, in a support agent's words.
    pub fn sentence(&self) -> String {
        match &self.kind {
            ErrorKind::Api { code: Some(codes::CUSTOMER_NOT_FOUND), message, .. } => {
                format!("No customer was found with that identifier ({message}).")
            }
            ErrorKind::Api { code, message, .. } => match code.and_then(Field::blamed_by) {
                Some(field) => format!("The API rejected the {}: {message}.", field.label()),
                None => format!("The API reported an error: {message}."),
            },
            ErrorKind::Auth { message, .. } => {
                let what = match self.status {
                    Some(403) if self.url.contains("/transactions") => {
                        "The credentials are valid but not allowed to read the customer's bills"
                    }
                    Some(403) => "The credentials are valid but not allowed to read target events",
                    Some(498) => "The OAuth token has expired and could not be renewed",
                    _ => "The API did not accept the credentials",
                };
                match message {
                    Some(m) if !m.is_empty() => format!("{what} ({m})."),
                    _ => format!("{what}."),
                }
            }
            ErrorKind::NotFound => "The server has no such endpoint: the base URL or cluster is probably wrong.".into(),
            ErrorKind::RateLimited { retry_after, .. } => match retry_after {
                Some(d) => {
                    format!("Too many requests: the API asks to wait {} s before trying again.", d.as_secs().max(1))
                }
                None => {
                    "Too many requests: the API is rate limiting this key; wait a moment before trying again.".into()
                }
            },
            ErrorKind::Server { snippet } if snippet.is_empty() => {
                format!("The server failed ({}) and sent an empty answer.", self.status_text())
            }
            ErrorKind::Server { snippet } => format!("The server failed ({}): \"{snippet}\".", self.status_text()),
            ErrorKind::Malformed { detail, snippet } => {
                format!(
                    "The server's answer ({}) could not be read: {detail}. It began: \"{snippet}\".",
                    self.status_text()
                )
            }
            ErrorKind::TooLarge { limit } => {
                format!("The server's answer was larger than the {} MiB limit.", limit / (1024 * 1024))
            }
            ErrorKind::Network { host, cause, detail } => match cause {
                NetCause::Refused => format!("Could not connect to {host}: the connection was refused."),
                NetCause::Dns => format!("Could not find the host {host}: check the base URL or cluster."),
                NetCause::Tls => format!("Could not establish a secure connection to {host} ({detail})."),
                NetCause::Timeout => format!("{host} did not answer in time."),
                NetCause::Interrupted => format!("The connection to {host} broke off before the answer was complete."),
                NetCause::Other => format!("Could not reach {host} ({detail})."),
            },
            ErrorKind::InsecureTransport { host } => format!(
                "Refusing to send credentials over plain http to {host}; use https or pass --allow-insecure-http."
            ),
            ErrorKind::Rejected { snippet } if snippet.is_empty() => {
                format!("The server refused the request ({}) without saying why.", self.status_text())
            }
            ErrorKind::Rejected { snippet } => {
                format!("The server refused the request ({}): \"{snippet}\".", self.status_text())
            }
            ErrorKind::Redirected { location } => format!(
                "The server redirected the request ({}) to {location}; redirects to another host or to plain http are not followed, so nothing was sent there.",
                self.status_text()
            ),
            ErrorKind::ForeignOrigin { origin, owner } => {
                format!("Refusing to send credentials to {origin}: they belong to {owner}.")
            }
        }
    }

    /// What the agent can do about it.
    pub fn hint(&self) -> Option<String> {
        match &self.kind {
            ErrorKind::Auth { hint, .. } => Some(hint.clone()),
            ErrorKind::RateLimited { .. } => Some("Press r to retry once the wait is over.".into()),
            ErrorKind::Server { .. } | ErrorKind::Malformed { .. } | ErrorKind::TooLarge { .. } => {
                Some("Press r to retry; if it persists, escalate with the request id.".into())
            }
            ErrorKind::Redirected { .. } => {
                Some("If the new address is right, set it as the profile's base_url.".into())
            }
            ErrorKind::Network { cause: NetCause::Dns | NetCause::Refused, .. } | ErrorKind::NotFound => {
                Some("Check the profile's base_url or cluster.".into())
            }
            ErrorKind::Network { .. } => Some("Check the connection (VPN?), then press r to retry.".into()),
            ErrorKind::Api { code, .. } if code.and_then(Field::blamed_by).is_some() => {
                Some("Correct the highlighted field and press Enter.".into())
            }
            _ => None,
        }
    }

    /// "HTTP 503 · code 310011 · request id …": the facts support staff quote.
    pub fn facts(&self) -> String {
        let mut parts = Vec::new();
        parts.push(self.status.map_or("no HTTP status".to_string(), |s| format!("HTTP {s}")));
        if let Some(code) = self.code() {
            parts.push(format!("code {code}"));
        }
        parts.push(format!("request id {}", self.request_id.as_deref().unwrap_or("-")));
        parts.join(" · ")
    }

    /// What an error banner says: the sentence, the facts, the hint if any.
    pub fn banner_lines(&self) -> Vec<String> {
        let mut v = vec![self.sentence(), self.facts()];
        v.extend(self.hint());
        v
    }

    fn status_text(&self) -> String {
        self.status.map_or_else(|| "no status".into(), |s| format!("HTTP {s}"))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())?;
        if let Some(code) = self.code() {
            write!(f, " [code {code}]")?;
        }
        if let Some(status) = self.status {
            write!(f, " [HTTP {status}]")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Keeps the first ~200 characters of a body, sanitised, on one line.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(1024)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::sanitize::truncate_chars(&crate::sanitize::line(&one_line), 200).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_blame_their_field() {
        assert_eq!(Field::blamed_by(310011), Some(Field::UserId));
        assert_eq!(Field::blamed_by(310018), Some(Field::RuleId));
        assert_eq!(Field::blamed_by(310019), Some(Field::PeriodId));
        assert_eq!(Field::blamed_by(310149), None);
    }

    #[test]
    fn display_carries_code_status_and_request_id() {
        let e = ApiError::new(
            ErrorKind::Api { code: Some(310011), message: "Invalid userId".into(), more: vec![] },
            Some(400),
            Some("req-1".into()),
            "http://x/v3/users/1/trackedTargetEvents/2",
        );
        assert_eq!(
            e.to_string(),
            "The API rejected the userId: Invalid userId. [code 310011] [HTTP 400] [request id req-1]"
        );
    }

    #[test]
    fn snippets_are_short_and_safe() {
        let body = format!("<html>\x1b[2J{}</html>", "x".repeat(500));
        let s = snippet(body.as_bytes());
        assert!(s.chars().count() <= 200);
        assert!(s.starts_with("<html>␛[2J"));
    }
}
