//! Every way a request can fail, as a value with a sentence a support agent
//! understands, the HTTP status, the API code and the request id.
//!
//! Everything that came from the server is sanitised when the error is built,
//! so `Display` is always safe to print, log or show. No credential is ever
//! part of an error: URLs carry none, and headers are never copied in.

use std::fmt;
use std::time::Duration;

use super::model::ApiMessage;

/// The query parameter a documented error code blames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    UserId,
    RuleId,
    PeriodId,
}

impl Param {
    pub fn label(self) -> &'static str {
        match self {
            Param::UserId => "userId",
            Param::RuleId => "targetRuleId",
            Param::PeriodId => "periodId",
        }
    }

    /// Which input a documented error code blames.
    pub fn blamed_by(code: i64) -> Option<Param> {
        match code {
            codes::INVALID_USER | codes::CUSTOMER_NOT_FOUND => Some(Param::UserId),
            codes::RULE_NOT_FOUND => Some(Param::RuleId),
            codes::PERIOD_NOT_FOUND => Some(Param::PeriodId),
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

/// Which credentials a refused request carried (names only, sanitised),
/// so the refusal can say what to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SentCredentials {
    None,
    Basic { username: String },
    OAuth { key: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server answered with the v3 error envelope.
    Api { code: Option<i64>, message: String, more: Vec<ApiMessage> },
    /// 401, 403 or 498.
    Auth { code: Option<i64>, message: Option<String>, sent: SentCredentials },
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
    /// No profile owns this origin: nothing is sent there until one is chosen.
    NoProfile { origin: String },
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

    /// The query parameter this error blames.
    pub fn param(&self) -> Option<Param> {
        self.code().and_then(Param::blamed_by)
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

    /// "HTTP 503" or "no status".
    pub fn status_text(&self) -> String {
        self.status.map_or_else(|| "no status".into(), |s| format!("HTTP {s}"))
    }
}

/// A terse technical form for logs; what an agent reads is worded by the
/// layer above (`target_events_core::told`).
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Api { message, .. } => write!(f, "API error: {message}")?,
            ErrorKind::Auth { .. } => f.write_str("credentials refused")?,
            ErrorKind::NotFound => f.write_str("no such endpoint")?,
            ErrorKind::RateLimited { .. } => f.write_str("rate limited")?,
            ErrorKind::Server { .. } => f.write_str("server failure")?,
            ErrorKind::Malformed { detail, .. } => write!(f, "unreadable answer: {detail}")?,
            ErrorKind::TooLarge { limit } => write!(f, "answer over {limit} bytes")?,
            ErrorKind::Network { host, cause, .. } => write!(f, "network ({cause:?}) to {host}")?,
            ErrorKind::InsecureTransport { host } => write!(f, "credentials refused over plain http to {host}")?,
            ErrorKind::Rejected { .. } => f.write_str("request refused")?,
            ErrorKind::Redirected { location } => write!(f, "redirect to {location} not followed")?,
            ErrorKind::ForeignOrigin { origin, .. } => write!(f, "credentials kept from {origin}")?,
            ErrorKind::NoProfile { origin } => write!(f, "no profile for {origin}: not sent")?,
        }
        write!(f, " ({})", self.facts())
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
        assert_eq!(Param::blamed_by(310011), Some(Param::UserId));
        assert_eq!(Param::blamed_by(310018), Some(Param::RuleId));
        assert_eq!(Param::blamed_by(310019), Some(Param::PeriodId));
        assert_eq!(Param::blamed_by(310149), None);
    }

    #[test]
    fn display_carries_code_status_and_request_id() {
        let e = ApiError::new(
            ErrorKind::Api { code: Some(310011), message: "Invalid userId".into(), more: vec![] },
            Some(400),
            Some("req-1".into()),
            "http://x/v3/users/1/trackedTargetEvents/2",
        );
        assert_eq!(e.to_string(), "API error: Invalid userId (HTTP 400 · code 310011 · request id req-1)");
    }

    #[test]
    fn snippets_are_short_and_safe() {
        let body = format!("<html>\x1b[2J{}</html>", "x".repeat(500));
        let s = snippet(body.as_bytes());
        assert!(s.chars().count() <= 200);
        assert!(s.starts_with("<html>␛[2J"));
    }
}
