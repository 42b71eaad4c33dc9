//! Reading answers: every status and body turned into a typed value or an
//! [`ApiError`], whatever the HTTP status says. No I/O here, so property
//! tests and the fuzzer read answers exactly as the client does.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;
use url::Url;

use super::auth::Credentials;
use super::client::REQUEST_ID_HEADER;
use super::error::{ApiError, ErrorKind, codes, snippet};
use super::model::{ApiMessage, EventsPage, Pagination, TargetEvent};

/// What the events endpoint answered, when it did not fail.
#[derive(Clone, Debug, PartialEq)]
pub enum EventsOutcome {
    Page(EventsPage),
    /// 310149: the customer has no events in this target. Not a failure.
    NoEvents {
        message: String,
    },
}

impl EventsOutcome {
    /// The page this is ("no events" is an empty one).
    pub fn into_page(self) -> EventsPage {
        match self {
            EventsOutcome::Page(p) => p,
            EventsOutcome::NoEvents { .. } => EventsPage::default(),
        }
    }
}

/// Facts about the HTTP exchange that support staff quote.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ResponseMeta {
    pub status: u16,
    pub request_id: Option<String>,
    pub elapsed: Duration,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fetched<T> {
    pub value: T,
    pub meta: ResponseMeta,
}

/// The body and headers of an answer that passed classification.
pub(super) struct Answer {
    pub(super) body: Vec<u8>,
    pub(super) meta: ResponseMeta,
    /// The `Location` of a redirect that was not followed.
    pub(super) location: Option<String>,
}

pub(super) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(|s| crate::sanitize::line(s).into_owned())
}

/// Where a redirect pointed, resolved against the request URL, for the error.
pub(super) fn redirect_target(url: &Url, headers: &HeaderMap) -> String {
    let raw = headers.get(reqwest::header::LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(raw) = raw else { return "(no Location header)".into() };
    let resolved = url.join(&raw).map(|u| u.to_string()).unwrap_or(raw);
    crate::sanitize::truncate_chars(&crate::sanitize::line(&resolved), 200).into_owned()
}

pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().to_string();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(&value).ok()?;
    let wait = when.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

pub(super) fn rate_limited(answer: &Answer, retry_after: Option<Duration>) -> (ApiError, ResponseMeta) {
    let message = envelope_errors(&answer.body).and_then(|m| m.into_iter().next()).map(|m| m.message);
    let err = ApiError::new(
        ErrorKind::RateLimited { retry_after, message },
        Some(429),
        answer.meta.request_id.clone(),
        &answer.meta.url,
    );
    (err, answer.meta.clone())
}

pub(super) fn malformed(answer: &Answer, detail: String) -> ApiError {
    ApiError::new(
        ErrorKind::Malformed {
            detail: crate::sanitize::truncate_chars(&crate::sanitize::line(&detail), 300).into_owned(),
            snippet: snippet(&answer.body),
        },
        Some(answer.meta.status),
        answer.meta.request_id.clone(),
        &answer.meta.url,
    )
}

/// The `errors` array of a v3 envelope, when the body is one and it is non-empty.
pub(super) fn envelope_errors(body: &[u8]) -> Option<Vec<ApiMessage>> {
    #[derive(Deserialize)]
    struct ErrorsOnly {
        #[serde(default)]
        errors: Option<Value>,
        #[serde(default)]
        #[allow(dead_code)]
        data: Option<IgnoredAny>,
    }
    let parsed: ErrorsOnly = serde_json::from_slice(body).ok()?;
    let list = ApiMessage::list(parsed.errors.as_ref());
    (!list.is_empty()).then_some(list)
}

/// Turns an answer into success or the error it stands for, whatever its status.
pub(super) fn classify(
    answer: Answer,
    sent: crate::error::SentCredentials,
) -> Result<Answer, (ApiError, ResponseMeta)> {
    let status = answer.meta.status;
    let errors = envelope_errors(&answer.body);
    let err = |kind| {
        Err((ApiError::new(kind, Some(status), answer.meta.request_id.clone(), &answer.meta.url), answer.meta.clone()))
    };
    if matches!(status, 401 | 403 | 498) {
        let first = errors.and_then(|e| e.into_iter().next());
        return err(ErrorKind::Auth {
            code: first.as_ref().and_then(|m| m.code),
            message: first.map(|m| m.message),
            sent,
        });
    }
    if let Some(location) = &answer.location {
        return err(ErrorKind::Redirected { location: location.clone() });
    }
    if let Some(mut list) = errors {
        let first = list.remove(0);
        return err(ErrorKind::Api { code: first.code, message: first.message, more: list });
    }
    match StatusCode::from_u16(status) {
        Ok(s) if s == StatusCode::NOT_FOUND => err(ErrorKind::NotFound),
        Ok(s) if s.is_client_error() => err(ErrorKind::Rejected { snippet: snippet(&answer.body) }),
        Ok(s) if s.is_server_error() => err(ErrorKind::Server { snippet: snippet(&answer.body) }),
        Ok(s) if s.is_redirection() => err(ErrorKind::Redirected { location: "(no Location header)".into() }),
        Ok(s) if s.is_success() && answer.body.iter().all(u8::is_ascii_whitespace) => {
            let detail = "the body is empty".to_string();
            Err((malformed(&answer, detail), answer.meta.clone()))
        }
        _ => Ok(answer),
    }
}

/// What an events answer means, once classified: the page, "no events"
/// (310149), or the error.
pub(super) fn events_outcome(
    result: Result<Answer, (ApiError, ResponseMeta)>,
) -> Result<Fetched<EventsOutcome>, ApiError> {
    match result {
        Ok(answer) => {
            let page = parse_events_page(&answer.body).map_err(|detail| malformed(&answer, detail))?;
            Ok(Fetched { value: EventsOutcome::Page(page), meta: answer.meta })
        }
        Err((err, meta)) if err.code() == Some(codes::NO_EVENTS) => {
            let message = err.server_message().unwrap_or_default().to_string();
            Ok(Fetched { value: EventsOutcome::NoEvents { message }, meta })
        }
        Err((err, _)) => Err(err),
    }
}

/// Reads an events answer from its status, request id, Retry-After and body
/// alone, exactly as [`Client::events`] does after the exchange. No I/O: for
/// property tests and the fuzzer.
pub fn interpret_events(
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    url: &str,
    body: &[u8],
) -> Result<Fetched<EventsOutcome>, ApiError> {
    let meta = ResponseMeta { status, request_id, elapsed: Duration::ZERO, url: url.to_string() };
    let answer = Answer { body: body.to_vec(), meta, location: None };
    let classified = if status == 429 {
        Err(rate_limited(&answer, retry_after))
    } else {
        classify(answer, Credentials::None.sent())
    };
    events_outcome(classified)
}

/// Parses a success body of the events endpoint.
pub fn parse_events_page(body: &[u8]) -> Result<EventsPage, String> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(default)]
        pagination: Option<Pagination>,
        #[serde(borrow, default)]
        data: Option<Vec<&'a RawValue>>,
        #[serde(default)]
        warnings: Option<Value>,
    }
    let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(|e| describe_json_error(&e))?;
    let raw = envelope.data.unwrap_or_default();
    let mut events = Vec::with_capacity(raw.len());
    for (i, item) in raw.iter().enumerate() {
        let event = TargetEvent::from_raw(item.get())
            .map_err(|e| format!("event {} of the page is not valid: {}", i + 1, e))?;
        events.push(event);
    }
    Ok(EventsPage {
        pagination: envelope.pagination.unwrap_or_default(),
        events,
        warnings: ApiMessage::list(envelope.warnings.as_ref()),
    })
}

/// The `entity` (a customer id) of a v2 lookup answer, as a number or a
/// numeric string.
pub(super) fn parse_entity(body: &[u8]) -> Result<i64, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| describe_json_error(&e))?;
    let entity = value.get("entity").ok_or("the answer has no entity")?;
    entity
        .as_i64()
        .or_else(|| entity.as_str().and_then(|s| s.trim().parse().ok()))
        .filter(|id| *id > 0)
        .ok_or_else(|| "the entity is not a customer id".to_string())
}

pub(super) fn parse_data<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    #[derive(Deserialize)]
    struct Envelope<T> {
        data: Option<T>,
    }
    let envelope: Envelope<T> = serde_json::from_slice(body).map_err(|e| describe_json_error(&e))?;
    envelope.data.ok_or_else(|| "the answer has no data".to_string())
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "the JSON ends too early (truncated)".into(),
        Category::Syntax => format!("it is not valid JSON ({e})"),
        Category::Data => format!("it does not have the expected shape ({e})"),
        Category::Io => format!("it could not be read ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absurd_total_is_ignored_as_a_total_and_the_page_is_read() {
        for total in ["18446744073709551616", "-3", "2.5", "\"12\"", "1e400"] {
            let body = format!(
                r#"{{"data":[],"pagination":{{"limit":10,"offset":0,"total":{total}}},"errors":[],"warnings":[]}}"#
            );
            let page = parse_events_page(body.as_bytes()).unwrap_or_else(|e| panic!("{total}: {e}"));
            assert_eq!((page.pagination.total, page.pagination.limit), (None, Some(10)), "{total}");
        }
    }
}
