//! The HTTP client: transport and authentication. It checks every request's
//! origin before credentials go on it, caps bodies, times out, and hands the
//! answer to [`super::response`] to be read.
//!
//! It is cheap to clone (one `Arc`), so a background task gets its own handle
//! and owns nothing of the UI.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::auth::{self, Credentials, Token, TokenCache};
use super::customer::CustomerRef;
use super::error::{ApiError, ErrorKind, NetCause};
use super::limiter::RateLimiter;
use super::model::{TargetPeriod, UserTargetGroup};
use super::paging::OffsetMode;
use super::query::{EventsQuery, endpoint, events_url};
use super::response::{
    Answer, EventsOutcome, Fetched, ResponseMeta, classify, events_outcome, malformed, parse_data, parse_entity,
    rate_limited, redirect_target, request_id, retry_after,
};
use crate::secret::Secret;

/// The response header Capillary uses to identify a request end to end.
pub const REQUEST_ID_HEADER: &str = "x-cap-requestid";
pub const OAUTH_TOKEN_HEADER: &str = "X-CAP-API-OAUTH-TOKEN";
pub const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;
/// The channel loyalty customers usually belong to.
pub const DEFAULT_LOOKUP_SOURCE: &str = "INSTORE";

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: Url,
    pub credentials: Credentials,
    pub offset_mode: OffsetMode,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_body_bytes: u64,
    pub allow_insecure_http: bool,
    /// The `source` of customer lookups (the customer's channel).
    pub lookup_source: String,
    /// The profile's quota: every request of this client shares it (None:
    /// no quota, as for the embedded demo and tests).
    pub requests_per_minute: Option<u32>,
    /// The window the quota counts over: a minute. Benchmarks shorten it
    /// (with the quota) to run a quota-bound batch in seconds.
    pub quota_window: Duration,
    /// No profile owns the base URL's origin (a URL pasted for a tenant not
    /// configured): every request is refused unsent until one is chosen.
    pub unowned: bool,
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
            lookup_source: DEFAULT_LOOKUP_SOURCE.to_string(),
            requests_per_minute: None,
            quota_window: Duration::from_secs(60),
            unowned: false,
        }
    }
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
    /// The profile's one rate limit, shared by every clone of the client.
    limiter: RateLimiter,
}

/// Redirects followed at most, and only within the base URL's origin.
const MAX_REDIRECTS: usize = 5;

enum AuthState {
    None,
    Basic(Secret),
    OAuth { key: String, secret: Secret, cache: TokenCache, serial: AtomicU64 },
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
        let limiter = RateLimiter::with_window(config.requests_per_minute, config.quota_window);
        Ok(Client { inner: Arc::new(Inner { http, config, auth, origin, limiter }) })
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

    /// `GET /v2/customers/lookup`: the id of the customer with this mobile,
    /// email, external id or card. An id given as one is returned as it is.
    pub async fn lookup(&self, customer: &CustomerRef) -> Result<Fetched<i64>, ApiError> {
        if let Some(id) = customer.user_id() {
            return Ok(Fetched { value: id, meta: ResponseMeta::default() });
        }
        let (name, value) = customer.identifier();
        self.lookup_identifier(name, &value).await
    }

    /// `GET /v2/customers/lookup` with this `identifierName` (`id`,
    /// `mobile`, `email`, `externalId`, `cardnumber`) and value.
    pub async fn lookup_identifier(&self, name: &str, value: &str) -> Result<Fetched<i64>, ApiError> {
        let mut url = self.endpoint(&["v2", "customers", "lookup"]);
        // Form encoding: an email's `+` reaches the server as %2B, `@` as %40.
        url.query_pairs_mut()
            .append_pair("source", &self.inner.config.lookup_source)
            .append_pair("identifierName", name)
            .append_pair("identifierValue", value);
        let answer = self.get(url).await.map_err(|(e, _)| e)?;
        let id = parse_entity(&answer.body).map_err(|d| malformed(&answer, d))?;
        Ok(Fetched { value: id, meta: answer.meta })
    }

    /// `GET /v3/targetGroups/{id}/targetPeriods`.
    pub async fn target_periods(&self, group_id: i64) -> Result<Fetched<Vec<TargetPeriod>>, ApiError> {
        let url = self.endpoint(&["v3", "targetGroups", &group_id.to_string(), "targetPeriods"]);
        let answer = self.get(url).await.map_err(|(e, _)| e)?;
        let periods = parse_data::<Vec<TargetPeriod>>(&answer.body).map_err(|d| malformed(&answer, d))?;
        Ok(Fetched { value: periods, meta: answer.meta })
    }

    pub(super) fn endpoint(&self, segments: &[&str]) -> Url {
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
    pub(super) async fn get(&self, url: Url) -> Result<Answer, (ApiError, ResponseMeta)> {
        self.check_transport(&url).map_err(|e| (e, ResponseMeta::default()))?;
        let mut renewed = false;
        loop {
            self.inner.limiter.turn().await;
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
            return classify(answer, self.inner.sent_credentials());
        }
    }

    /// The profile's rate limit, for the retry policy's Retry-After gate.
    pub fn limiter(&self) -> &RateLimiter {
        &self.inner.limiter
    }

    /// Checked before every request, the token request included: credentials
    /// go only to their own origin, and over https unless that is loopback or
    /// explicitly allowed.
    fn check_transport(&self, url: &Url) -> Result<(), ApiError> {
        if self.inner.config.unowned {
            let origin = url.origin().ascii_serialization();
            return Err(ApiError::new(ErrorKind::NoProfile { origin }, None, None, url.as_str()));
        }
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

    /// For OAuth: generates a token (or uses the fresh one) and returns its
    /// ttl; None for other authentication. `doctor` checks the key and secret
    /// with it.
    pub async fn token_ttl(&self) -> Result<Option<Duration>, ApiError> {
        let url = self.base_url().clone();
        Ok(self.token(&url).await?.map(|t| t.ttl))
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
        let answer = classify(answer, self.inner.sent_credentials()).map_err(|(e, _)| e)?;
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
    fn sent_credentials(&self) -> crate::error::SentCredentials {
        self.config.credentials.sent()
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
    // Classified by the causes only: reqwest's own message carries the URL,
    // whose words ("lookup" in /v2/customers/lookup) say nothing of the failure.
    let all = chain.iter().skip(1).map(|c| c.to_ascii_lowercase()).collect::<Vec<_>>().join(": ");
    const NAME_NOT_RESOLVED: [&str; 6] = [
        "dns error",
        "failed to lookup address",
        "name or service not known",
        "temporary failure in name resolution",
        "nodename nor servname",
        "no address associated",
    ];
    let cause = if e.is_timeout() || all.contains("timed out") {
        NetCause::Timeout
    } else if all.contains("refused") {
        NetCause::Refused
    } else if e.is_connect() && NAME_NOT_RESOLVED.iter().any(|m| all.contains(m)) {
        NetCause::Dns
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        NetCause::Tls
    } else if e.is_body()
        || e.is_decode()
        || status != 0
        || all.contains("closed")
        || all.contains("reset")
        || all.contains("broken pipe")
        || all.contains("eof")
    {
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
