//! The HTTP client: builds URLs, authenticates, caps bodies, times out, and
//! turns every answer into a typed value or an [`ApiError`].
//!
//! It is cheap to clone (one `Arc`), so a background task gets its own handle
//! and owns nothing of the UI.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;
use url::Url;

use super::auth::{self, Credentials, Token, TokenCache};
use super::error::{ApiError, ErrorKind, NetCause, codes, snippet};
use super::model::{ApiMessage, EventsPage, Pagination, TargetEvent, TargetPeriod, UserTargetGroup};
use super::paging::OffsetMode;
use crate::secret::Secret;

/// The response header Capillary uses to identify a request end to end.
pub const REQUEST_ID_HEADER: &str = "x-cap-requestid";
pub const OAUTH_TOKEN_HEADER: &str = "X-CAP-API-OAUTH-TOKEN";
pub const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: Url,
    pub credentials: Credentials,
    pub offset_mode: OffsetMode,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_body_bytes: u64,
    pub allow_insecure_http: bool,
}

impl ClientConfig {
    pub fn new(base_url: Url) -> Self {
        ClientConfig {
            base_url,
            credentials: Credentials::None,
            offset_mode: OffsetMode::Page,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: DEFAULT_MAX_BODY,
            allow_insecure_http: false,
        }
    }
}

/// One events request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventsQuery {
    pub user_id: i64,
    pub rule_id: i64,
    pub period_id: Option<i64>,
    pub limit: u32,
    /// 0-based page index.
    pub page: u32,
}

impl EventsQuery {
    pub fn at_page(self, page: u32) -> Self {
        EventsQuery { page, ..self }
    }
}

/// What the events endpoint answered, when it did not fail.
#[derive(Clone, Debug, PartialEq)]
pub enum EventsOutcome {
    Page(EventsPage),
    /// 310149: the customer has no events in this target. Not a failure.
    NoEvents {
        message: String,
    },
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

#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    auth: AuthState,
    /// The origin (scheme, host, port) the credentials belong to: the base
    /// URL's. No request with credentials leaves for any other.
    origin: url::Origin,
}

/// Redirects followed at most, and only within the base URL's origin.
const MAX_REDIRECTS: usize = 5;

enum AuthState {
    None,
    Basic(Secret),
    OAuth { key: String, secret: Secret, cache: TokenCache, serial: AtomicU64 },
}

/// The body and headers of an answer that passed classification.
struct Answer {
    body: Vec<u8>,
    meta: ResponseMeta,
    /// The `Location` of a redirect that was not followed.
    location: Option<String>,
}

impl Client {
    pub fn new(config: ClientConfig) -> anyhow::Result<Client> {
        let origin = config.base_url.origin();
        let home = origin.clone();
        // reqwest would follow up to ten redirects anywhere, stripping only
        // `Authorization`: the OAuth token header, a re-POSTed token request
        // body and https→http downgrades would all go along. Only redirects
        // within the origin are followed; any other comes back as the 3xx.
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if attempt.url().origin() == home {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let http = reqwest::Client::builder()
            .user_agent(concat!("target-events/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(policy)
            .build()?;
        let auth = match &config.credentials {
            Credentials::None => AuthState::None,
            Credentials::Basic { username, password, password_is_md5 } => {
                AuthState::Basic(auth::basic_header(username, password, *password_is_md5))
            }
            Credentials::OAuth { key, secret } => AuthState::OAuth {
                key: key.clone(),
                secret: secret.clone(),
                cache: TokenCache::default(),
                serial: AtomicU64::new(0),
            },
        };
        Ok(Client { inner: Arc::new(Inner { http, config, auth, origin }) })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.config.base_url
    }

    /// The URL of an events request (no credentials in it).
    pub fn events_url(&self, q: &EventsQuery) -> Url {
        events_url(&self.inner.config.base_url, q, self.inner.config.offset_mode)
    }

    /// `GET /v3/users/{userId}/trackedTargetEvents/{targetRuleId}`.
    pub async fn events(&self, q: &EventsQuery) -> Result<Fetched<EventsOutcome>, ApiError> {
        let url = self.events_url(q);
        events_outcome(self.get(url).await)
    }

    /// `GET /v3/users/{userId}/targetGroups`.
    pub async fn target_groups(&self, user_id: i64) -> Result<Fetched<Vec<UserTargetGroup>>, ApiError> {
        let url = self.endpoint(&["v3", "users", &user_id.to_string(), "targetGroups"]);
        let answer = self.get(url).await.map_err(|(e, _)| e)?;
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            #[serde(default)]
            target_groups: Vec<UserTargetGroup>,
        }
        let groups = parse_data::<Data>(&answer.body).map_err(|d| malformed(&answer, d))?;
        Ok(Fetched { value: groups.target_groups, meta: answer.meta })
    }

    /// `GET /v3/targetGroups/{id}/targetPeriods`.
    pub async fn target_periods(&self, group_id: i64) -> Result<Fetched<Vec<TargetPeriod>>, ApiError> {
        let url = self.endpoint(&["v3", "targetGroups", &group_id.to_string(), "targetPeriods"]);
        let answer = self.get(url).await.map_err(|(e, _)| e)?;
        let periods = parse_data::<Vec<TargetPeriod>>(&answer.body).map_err(|d| malformed(&answer, d))?;
        Ok(Fetched { value: periods, meta: answer.meta })
    }

    fn endpoint(&self, segments: &[&str]) -> Url {
        endpoint(&self.inner.config.base_url, segments)
    }

    fn host(url: &Url) -> String {
        match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => url.to_string(),
        }
    }

    /// A GET with authentication, one token renewal after a 401/498, and
    /// classification. Errors come with the meta of the failed exchange.
    async fn get(&self, url: Url) -> Result<Answer, (ApiError, ResponseMeta)> {
        self.check_transport(&url).map_err(|e| (e, ResponseMeta::default()))?;
        let mut renewed = false;
        loop {
            let token = self.token(&url).await.map_err(|e| (e, ResponseMeta::default()))?;
            let mut request = self.inner.http.get(url.clone()).header("Accept", "application/json");
            match (&self.inner.auth, &token) {
                (AuthState::Basic(header), _) => request = request.header("Authorization", header.expose()),
                (AuthState::OAuth { .. }, Some(t)) => request = request.header(OAUTH_TOKEN_HEADER, t.value.expose()),
                _ => {}
            }
            let answer = self.exchange(&url, request).await?;
            let expired = matches!(answer.meta.status, 401 | 498);
            if expired
                && !renewed
                && let (AuthState::OAuth { cache, .. }, Some(used)) = (&self.inner.auth, &token)
            {
                // The server rejected our token: drop it (unless another request
                // already replaced it) and try once more with a new one.
                let mut current = cache.current.lock().await;
                if current.as_ref().is_some_and(|t| t.serial == used.serial) {
                    *current = None;
                }
                renewed = true;
                tracing::info!(status = answer.meta.status, "token rejected; renewing once");
                continue;
            }
            return classify(answer, self.inner.auth_hint());
        }
    }

    /// Checked before every request, the token request included: credentials
    /// go only to their own origin, and over https unless that is loopback or
    /// explicitly allowed.
    fn check_transport(&self, url: &Url) -> Result<(), ApiError> {
        let has_credentials = !matches!(self.inner.auth, AuthState::None);
        if has_credentials && url.origin() != self.inner.origin {
            return Err(ApiError::new(
                ErrorKind::ForeignOrigin {
                    origin: url.origin().ascii_serialization(),
                    owner: self.inner.origin.ascii_serialization(),
                },
                None,
                None,
                url.as_str(),
            ));
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        if url.scheme() == "http" && has_credentials && !loopback && !self.inner.config.allow_insecure_http {
            return Err(ApiError::new(
                ErrorKind::InsecureTransport { host: Self::host(url) },
                None,
                None,
                url.as_str(),
            ));
        }
        Ok(())
    }

    /// The OAuth token to use, fetching one when there is none or it is stale.
    /// The lock is held across the fetch so concurrent callers share it.
    async fn token(&self, url: &Url) -> Result<Option<Token>, ApiError> {
        let AuthState::OAuth { key, secret, cache, serial } = &self.inner.auth else {
            return Ok(None);
        };
        let mut current = cache.current.lock().await;
        if let Some(t) = current.as_ref().filter(|t| t.is_fresh()) {
            return Ok(Some(t.clone()));
        }
        let token_url = self.endpoint(&["v3", "oauth", "token", "generate"]);
        self.check_transport(&token_url)?;
        let request = self
            .inner
            .http
            .post(token_url.clone())
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .body(serde_json::json!({ "key": key, "secret": secret.expose() }).to_string());
        let answer = self.exchange(&token_url, request).await.map_err(|(e, _)| e)?;
        let answer = classify(answer, self.inner.auth_hint()).map_err(|(e, _)| e)?;
        let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        let Some((value, ttl)) = auth::parse_token_response(&body) else {
            let detail = "the token response has no data.accessToken".to_string();
            return Err(malformed(&answer, detail));
        };
        let token = Token::new(value, serial.fetch_add(1, Ordering::Relaxed) + 1, ttl);
        tracing::info!(ttl_s = ttl.as_secs(), request_id = answer.meta.request_id.as_deref(), url = %url, "OAuth token issued");
        *current = Some(token.clone());
        Ok(Some(token))
    }

    /// Sends one request and reads its body under the size cap.
    async fn exchange(&self, url: &Url, request: reqwest::RequestBuilder) -> Result<Answer, (ApiError, ResponseMeta)> {
        let started = Instant::now();
        let host = Self::host(url);
        let fail = |e: reqwest::Error, meta: ResponseMeta| {
            let err = network_error(&e, &host, url, meta.status, meta.request_id.clone());
            tracing::warn!(url = %url, elapsed_ms = started.elapsed().as_millis() as u64, error = %err, "request failed");
            (err, meta)
        };
        let mut response = request.send().await.map_err(|e| fail(e, ResponseMeta::default()))?;
        let status = response.status().as_u16();
        let request_id = request_id(response.headers());
        let mut meta =
            ResponseMeta { status, request_id: request_id.clone(), elapsed: Duration::ZERO, url: url.to_string() };
        let limit = self.inner.config.max_body_bytes;
        let too_large = |meta: &ResponseMeta| {
            (ApiError::new(ErrorKind::TooLarge { limit }, Some(status), request_id.clone(), url.as_str()), meta.clone())
        };
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(too_large(&meta));
        }
        let retry_after = retry_after(response.headers());
        let location = response.status().is_redirection().then(|| redirect_target(url, response.headers()));
        let mut body = Vec::with_capacity(response.content_length().unwrap_or(0).min(limit) as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| fail(e, meta.clone()))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(too_large(&meta));
            }
            body.extend_from_slice(&chunk);
        }
        meta.elapsed = started.elapsed();
        tracing::info!(
            status,
            request_id = request_id.as_deref().unwrap_or("-"),
            elapsed_ms = meta.elapsed.as_millis() as u64,
            bytes = body.len(),
            url = %url,
            "request done"
        );
        let mut answer = Answer { body, meta, location };
        if status == 429 {
            answer.meta.url = url.to_string();
            return Err(rate_limited(&answer, retry_after));
        }
        Ok(answer)
    }
}

impl Inner {
    fn auth_hint(&self) -> String {
        self.config.credentials.hint()
    }
}

/// `base` with `segments` appended to its path.
pub fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    url.set_query(None);
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// The URL of an events request (no credentials in it).
pub fn events_url(base: &Url, q: &EventsQuery, mode: OffsetMode) -> Url {
    let mut url =
        endpoint(base, &["v3", "users", &q.user_id.to_string(), "trackedTargetEvents", &q.rule_id.to_string()]);
    {
        let mut pairs = url.query_pairs_mut();
        if let Some(p) = q.period_id {
            pairs.append_pair("periodId", &p.to_string());
        }
        pairs.append_pair("limit", &q.limit.to_string());
        pairs.append_pair("offset", &mode.offset_for(q.page, q.limit).to_string());
    }
    url
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(|s| crate::sanitize::line(s).into_owned())
}

/// Where a redirect pointed, resolved against the request URL, for the error.
fn redirect_target(url: &Url, headers: &HeaderMap) -> String {
    let raw = headers.get(reqwest::header::LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(raw) = raw else { return "(no Location header)".into() };
    let resolved = url.join(&raw).map(|u| u.to_string()).unwrap_or(raw);
    crate::sanitize::truncate_chars(&crate::sanitize::line(&resolved), 200).into_owned()
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().to_string();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(&value).ok()?;
    let wait = when.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

fn rate_limited(answer: &Answer, retry_after: Option<Duration>) -> (ApiError, ResponseMeta) {
    let message = envelope_errors(&answer.body).and_then(|m| m.into_iter().next()).map(|m| m.message);
    let err = ApiError::new(
        ErrorKind::RateLimited { retry_after, message },
        Some(429),
        answer.meta.request_id.clone(),
        &answer.meta.url,
    );
    (err, answer.meta.clone())
}

fn malformed(answer: &Answer, detail: String) -> ApiError {
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
fn envelope_errors(body: &[u8]) -> Option<Vec<ApiMessage>> {
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
fn classify(answer: Answer, auth_hint: String) -> Result<Answer, (ApiError, ResponseMeta)> {
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
            hint: auth_hint,
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

fn network_error(e: &reqwest::Error, host: &str, url: &Url, status: u16, request_id: Option<String>) -> ApiError {
    // The innermost cause says most (refused, DNS, certificate); reqwest's own
    // message adds only the URL we already know.
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let all = chain.join(": ").to_ascii_lowercase();
    let cause = if e.is_timeout() || all.contains("timed out") {
        NetCause::Timeout
    } else if all.contains("refused") {
        NetCause::Refused
    } else if all.contains("dns")
        || all.contains("lookup")
        || all.contains("name or service")
        || all.contains("resolve")
    {
        NetCause::Dns
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        NetCause::Tls
    } else if e.is_body() || e.is_decode() || status != 0 || all.contains("closed") || all.contains("reset") {
        NetCause::Interrupted
    } else {
        NetCause::Other
    };
    let detail = chain.last().cloned().unwrap_or_default();
    let detail = crate::sanitize::truncate_chars(&crate::sanitize::line(&detail), 120).into_owned();
    ApiError::new(
        ErrorKind::Network { host: host.to_string(), cause, detail },
        (status != 0).then_some(status),
        request_id,
        url.as_str(),
    )
}

/// What an events answer means, once classified: the page, "no events"
/// (310149), or the error.
fn events_outcome(result: Result<Answer, (ApiError, ResponseMeta)>) -> Result<Fetched<EventsOutcome>, ApiError> {
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
        classify(answer, Credentials::None.hint())
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

fn parse_data<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
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
