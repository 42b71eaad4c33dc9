//! The demo API's HTTP side: routes, authentication, fault injection and the
//! `X-Cap-Requestid` header on every answer.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};

use super::data::{Dataset, DemoError};
use super::faults::{Fault, FaultPlan};
use super::live::LiveClock;
use crate::api::paging::OffsetMode;

/// Credentials the demo API insists on, when it is set to require them.
#[derive(Clone, Debug)]
pub struct DemoAuth {
    pub username: String,
    pub password_md5: String,
    pub oauth_key: String,
    pub oauth_secret: String,
    pub token_ttl: Duration,
}

pub struct DemoState {
    pub dataset: Arc<Dataset>,
    pub offset_mode: OffsetMode,
    pub auth: Option<DemoAuth>,
    pub faults: std::sync::Mutex<FaultPlan>,
    pub stats: Stats,
    /// Set when the server is killed: connections still open are cut off.
    pub dead: std::sync::atomic::AtomicBool,
    tokens: std::sync::Mutex<HashMap<String, Instant>>,
    /// When the live customers' purchases started arriving (None: they do not).
    live_since: Option<(chrono::NaiveDateTime, Instant)>,
}

#[derive(Debug, Default)]
pub struct Stats {
    pub api_requests: AtomicU64,
    pub token_requests: AtomicU64,
    next_id: AtomicU64,
}

impl DemoState {
    pub fn new(dataset: Arc<Dataset>, offset_mode: OffsetMode, auth: Option<DemoAuth>) -> Self {
        DemoState {
            dataset,
            offset_mode,
            auth,
            faults: Default::default(),
            stats: Stats::default(),
            dead: Default::default(),
            tokens: Default::default(),
            live_since: None,
        }
    }

    /// Lets the live customers' purchases arrive from now on.
    pub fn live_from_now(mut self) -> Self {
        self.live_since = Some((chrono::Local::now().naive_local(), Instant::now()));
        self
    }

    fn clock(&self) -> Option<LiveClock> {
        self.live_since.map(|(started, at)| LiveClock { started, elapsed: at.elapsed() })
    }

    /// Makes every issued token expire now, as a server-side revocation would.
    pub fn expire_tokens(&self) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        for deadline in tokens.values_mut() {
            *deadline = Instant::now();
        }
    }

    fn request_id(&self) -> String {
        let n = self.stats.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        // A stable-looking id, distinct per request: a mixed counter.
        let mixed = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xC0FF_EE00_D15E_A5E5;
        format!("{:08x}-{:04x}-demo-{n:06}", mixed >> 32, mixed & 0xffff)
    }
}

pub fn router(state: Arc<DemoState>) -> Router {
    let api = Router::new()
        .route("/v3/users/{user}/trackedTargetEvents/{rule}", get(events))
        .route("/v3/users/{user}/targetGroups", get(target_groups))
        .route("/v3/targetGroups/{group}/targetPeriods", get(target_periods))
        .route("/v2/customers/lookup", get(lookup))
        .route("/v2/customers/{user}/transactions", get(bills))
        .route_layer(middleware::from_fn_with_state(state.clone(), api_guard));
    Router::new()
        .merge(api)
        .route("/v3/oauth/token/generate", post(token))
        .route("/__demo/faults", get(get_faults).post(set_faults))
        .route("/__demo/stats", get(stats))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), request_id))
        .with_state(state)
}

async fn request_id(State(state): State<Arc<DemoState>>, req: Request, next: Next) -> Response {
    if state.dead.load(Ordering::SeqCst) {
        // A killed server: the body fails at once, so the connection drops.
        let gone =
            futures::stream::once(async { Err::<Bytes, std::io::Error>(std::io::Error::other("server killed")) });
        return Body::from_stream(gone).into_response();
    }
    let mut response = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&state.request_id()) {
        response.headers_mut().insert("X-Cap-Requestid", v);
    }
    response
}

/// Latency, faults and authentication for the API routes.
async fn api_guard(State(state): State<Arc<DemoState>>, req: Request, next: Next) -> Response {
    state.stats.api_requests.fetch_add(1, Ordering::Relaxed);
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let (latency, fault) = {
        let mut plan = state.faults.lock().unwrap_or_else(|p| p.into_inner());
        (plan.latency(), plan.take(&path))
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some(fault) = fault {
        return fault_response(fault).await;
    }
    if let Some(rejection) = check_auth(&state, req.headers()) {
        return rejection;
    }
    next.run(req).await
}

fn check_auth(state: &DemoState, headers: &HeaderMap) -> Option<Response> {
    let auth = state.auth.as_ref()?;
    if let Some(token) = headers.get("x-cap-api-oauth-token").and_then(|v| v.to_str().ok()) {
        let deadline = state.tokens.lock().unwrap_or_else(|p| p.into_inner()).get(token).copied();
        return match deadline {
            Some(d) if Instant::now() < d => None,
            Some(_) => {
                Some(envelope(StatusCode::from_u16(498).unwrap_or(StatusCode::UNAUTHORIZED), 498, "Token expired"))
            }
            None => Some(envelope(StatusCode::UNAUTHORIZED, 401, "Invalid token")),
        };
    }
    let expected = format!("{}:{}", auth.username, auth.password_md5);
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok());
    match sent {
        Some(bytes) if bytes == expected.as_bytes() => None,
        _ => {
            Some(envelope(StatusCode::UNAUTHORIZED, 401, "Authentication failed. Please check username and password."))
        }
    }
}

async fn fault_response(fault: Fault) -> Response {
    let sample =
        json!({"pagination": {"limit": 10, "offset": 0, "total": 2}, "data": [], "errors": [], "warnings": []})
            .to_string();
    match fault {
        Fault::RateLimit { retry_after_secs } => {
            let mut r = envelope(StatusCode::TOO_MANY_REQUESTS, 429, "Too many requests");
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            r
        }
        Fault::Html503 => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>",
        )
            .into_response(),
        Fault::Truncated => {
            let half = sample[..sample.len() / 2].to_string();
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], half).into_response()
        }
        Fault::Stall => {
            let half = Bytes::from(sample[..sample.len() / 2].to_string());
            let stream = futures::stream::iter([Ok::<_, Infallible>(half)]).chain(futures::stream::pending());
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream)).into_response()
        }
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Fault::Empty { status } => status_code(status).into_response(),
        Fault::Envelope { status, code, message } => envelope(status_code(status), code, &message),
        Fault::Plain { status, body } => (status_code(status), [(header::CONTENT_TYPE, "text/plain")], body).into_response(),
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn envelope(status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({"data": null, "errors": [{"code": code, "message": message}], "warnings": null});
    json_response(status, &body)
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn answer(result: Result<Value, DemoError>) -> Response {
    match result {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(e) => envelope(status_code(e.status), e.code, e.message),
    }
}

/// A path id that is not a number is reported like the real API: as the
/// input it names being invalid.
fn path_id(text: &str, invalid: DemoError) -> Result<i64, DemoError> {
    text.trim().parse().map_err(|_| invalid)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventsParams {
    period_id: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

async fn events(
    State(state): State<Arc<DemoState>>,
    Path((user, rule)): Path<(String, String)>,
    Query(q): Query<EventsParams>,
) -> Response {
    let bad = |code, message| DemoError { status: 400, code, message };
    let result = (|| {
        let user = path_id(&user, bad(310011, "Invalid userId"))?;
        let rule = path_id(&rule, bad(310018, "Target rule not found"))?;
        let period = match q.period_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(path_id(p, bad(310019, "Target period not found"))?),
            None => None,
        };
        let number = |v: Option<&str>, default: u64| v.and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(default);
        let limit = number(q.limit.as_deref(), 10);
        let offset = number(q.offset.as_deref(), 0);
        state.dataset.events_page_at(user, rule, period, limit, offset, state.offset_mode, state.clock())
    })();
    answer(result)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BillsParams {
    start_date: Option<String>,
    end_date: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

async fn bills(
    State(state): State<Arc<DemoState>>,
    Path(user): Path<String>,
    Query(q): Query<BillsParams>,
) -> Response {
    let invalid = DemoError { status: 400, code: 8015, message: "Customer not found" };
    let day =
        |d: Option<&str>| d.and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok());
    let number = |v: Option<&str>, default: u64| v.and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(default);
    let window = (day(q.start_date.as_deref()), day(q.end_date.as_deref()));
    let (limit, offset) = (number(q.limit.as_deref(), 20).min(1000), number(q.offset.as_deref(), 0));
    answer(path_id(&user, invalid).and_then(|u| state.dataset.bills_page_at(u, window, limit, offset, state.clock())))
}

async fn target_groups(State(state): State<Arc<DemoState>>, Path(user): Path<String>) -> Response {
    let invalid = DemoError { status: 400, code: 310011, message: "Invalid userId" };
    answer(path_id(&user, invalid).and_then(|u| state.dataset.target_groups_at(u, state.clock())))
}

async fn target_periods(State(state): State<Arc<DemoState>>, Path(group): Path<String>) -> Response {
    let invalid = DemoError { status: 400, code: 310017, message: "Target group not found" };
    answer(path_id(&group, invalid).and_then(|g| state.dataset.target_periods(g)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupParams {
    #[serde(default)]
    identifier_name: String,
    #[serde(default)]
    identifier_value: String,
}

/// `GET /v2/customers/lookup`: `{"entity": id, "warnings": []}`, or the v2
/// error list (with its `status` flag) for 8015.
async fn lookup(State(state): State<Arc<DemoState>>, Query(q): Query<LookupParams>) -> Response {
    match state.dataset.lookup(&q.identifier_name, &q.identifier_value) {
        Ok(id) => json_response(StatusCode::OK, &json!({"entity": id, "warnings": []})),
        Err(e) => json_response(
            status_code(e.status),
            &json!({"warnings": [], "errors": [{"status": false, "code": e.code, "message": e.message}]}),
        ),
    }
}

async fn token(State(state): State<Arc<DemoState>>, body: Bytes) -> Response {
    state.stats.token_requests.fetch_add(1, Ordering::Relaxed);
    let Some(auth) = &state.auth else {
        return envelope(StatusCode::BAD_REQUEST, 1008, "OAuth is not set up on this demo server");
    };
    let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if sent["key"] != auth.oauth_key.as_str() || sent["secret"] != auth.oauth_secret.as_str() {
        return envelope(StatusCode::UNAUTHORIZED, 1008, "Failed to generate OAuth token");
    }
    let n = state.stats.token_requests.load(Ordering::Relaxed);
    let token = format!("demo-token-{n}-{}", state.request_id());
    state.tokens.lock().unwrap_or_else(|p| p.into_inner()).insert(token.clone(), Instant::now() + auth.token_ttl);
    json_response(
        StatusCode::OK,
        &json!({"data": {"accessToken": token, "ttlSeconds": auth.token_ttl.as_secs()}, "errors": null}),
    )
}

async fn get_faults(State(state): State<Arc<DemoState>>) -> Response {
    let plan = state.faults.lock().unwrap_or_else(|p| p.into_inner()).clone();
    json_response(StatusCode::OK, &serde_json::to_value(plan).unwrap_or(Value::Null))
}

/// `POST /__demo/faults` with a [`FaultPlan`] replaces the plan.
async fn set_faults(State(state): State<Arc<DemoState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultPlan>(&body) {
        Ok(plan) => {
            *state.faults.lock().unwrap_or_else(|p| p.into_inner()) = plan;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

async fn stats(State(state): State<Arc<DemoState>>) -> Response {
    let s = &state.stats;
    json_response(
        StatusCode::OK,
        &json!({"apiRequests": s.api_requests.load(Ordering::Relaxed), "tokenRequests": s.token_requests.load(Ordering::Relaxed)}),
    )
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain")], "Not Found").into_response()
}
