//! The client over real HTTP against the embedded demo API: the doc's samples
//! parse and print exactly, and every way a request can fail yields its typed
//! error with status and request id.

use std::time::Duration;
use target_events::core::told::Told;

use serde_json::Value;
use target_events::api::auth::Credentials;
use target_events::api::error::NetCause;
use target_events::api::{ApiError, Client, ClientConfig, ErrorKind, EventsOutcome, EventsQuery};
use target_events::demo::Fault;
use target_events::explorer::app::Field;

use crate::common::*;

fn query(user: i64, rule: i64, period: Option<i64>, limit: u32) -> EventsQuery {
    EventsQuery { user_id: user, rule_id: rule, period_id: period, limit, page: 0 }
}

fn doc_sample(name: &str) -> Value {
    let text =
        std::fs::read_to_string(format!("{}/tests/fixtures/doc-{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Fetches and checks the page equals the doc's sample, field by field, digits included.
async fn assert_matches_sample(q: EventsQuery, sample: &str) {
    let server = server(None).await;
    let fetched = client(&server, Credentials::None).events(&q).await.unwrap();
    let EventsOutcome::Page(page) = fetched.value else { panic!("expected a page") };
    let expected = doc_sample(sample);
    assert_eq!(page.pagination.limit, expected["pagination"]["limit"].as_u64());
    assert_eq!(page.pagination.offset, expected["pagination"]["offset"].as_u64());
    assert_eq!(page.pagination.total, expected["pagination"]["total"].as_u64());
    let got: Vec<Value> = page.events.iter().map(|e| e.as_sent()).collect();
    assert_eq!(Value::Array(got.clone()), expected["data"]);
    // Printed exactly: the JSON text of every value, money included.
    for (g, e) in got.iter().zip(expected["data"].as_array().unwrap()) {
        assert_eq!(g.to_string(), e.to_string());
    }
    assert!(fetched.meta.request_id.is_some());
}

#[tokio::test]
async fn transactional_sample_parses_exactly() {
    assert_matches_sample(query(564332013, 1986, None, 10), "transactional").await;
}

#[tokio::test]
async fn behavioural_sample_parses_exactly() {
    assert_matches_sample(query(387544807, 79192, None, 1), "behavioural").await;
}

#[tokio::test]
async fn period_sample_parses_exactly() {
    assert_matches_sample(query(564332013, 1986, Some(9889), 30), "with-period").await;
}

#[tokio::test]
async fn money_keeps_digits_and_sums_exactly() {
    let server = server(None).await;
    let fetched = client(&server, Credentials::None).events(&query(564332013, 1986, None, 10)).await.unwrap();
    let EventsOutcome::Page(page) = fetched.value else { panic!() };
    let shown: Vec<String> = page.events.iter().map(|e| e.target_value.to_string()).collect();
    assert_eq!(shown[3], "2000.46");
    assert_eq!(shown[5], "999.54");
    assert_eq!(shown[0], "1000");
    let sum = page.events[3].target_value.checked_add(page.events[5].target_value).unwrap();
    assert_eq!(sum.to_string(), "3000.00");
}

async fn error_for(server: &target_events::demo::DemoServer, q: EventsQuery) -> ApiError {
    client(server, Credentials::None).events(&q).await.expect_err("the request should fail")
}

#[tokio::test]
async fn documented_codes_blame_their_field() {
    let server = server(None).await;
    for (q, code, field) in [
        (query(1, 1986, None, 10), 310011, Field::UserId),
        (query(564332013, 5, None, 10), 310018, Field::RuleId),
        (query(564332013, 1986, Some(5), 10), 310019, Field::PeriodId),
    ] {
        let e = error_for(&server, q).await;
        assert_eq!(e.code(), Some(code));
        assert_eq!(e.param().map(Field::sending), Some(field));
        assert_eq!(e.status, Some(400));
        assert!(e.request_id.is_some(), "{e}");
        assert!(e.to_string().contains(&code.to_string()));
    }
}

#[tokio::test]
async fn no_events_is_an_empty_result_not_a_failure() {
    let server = server(None).await;
    let fetched = client(&server, Credentials::None).events(&query(610000042, 1986, None, 10)).await.unwrap();
    match fetched.value {
        EventsOutcome::NoEvents { message } => assert!(message.contains("No record found")),
        other => panic!("expected NoEvents, got {other:?}"),
    }
    assert_eq!(fetched.meta.status, 400);
    assert!(fetched.meta.request_id.is_some());
}

/// Injects one fault and returns the error the client reports for it.
async fn fault_error(fault: Fault) -> ApiError {
    let server = server(None).await;
    server.with_faults(|p| p.queue.push_back(fault));
    let mut config = ClientConfig::new(server.base_url());
    config.timeout = Duration::from_millis(600);
    let client = target_events::api::Client::new(config).unwrap();
    client.events(&query(564332013, 1986, None, 10)).await.expect_err("the fault should fail the request")
}

#[tokio::test]
async fn http_failures_yield_typed_errors() {
    let e = fault_error(Fault::Envelope { status: 401, code: 401, message: "Authentication failed".into() }).await;
    assert!(matches!(e.kind, ErrorKind::Auth { .. }) && e.status == Some(401) && e.request_id.is_some(), "{e:?}");
    assert!(e.remedy().unwrap().plain().contains("credentials"));

    let e =
        fault_error(Fault::Envelope { status: 403, code: 4000, message: "Not authorized. Access is denied!".into() })
            .await;
    assert!(matches!(e.kind, ErrorKind::Auth { .. }) && e.status == Some(403), "{e:?}");
    assert!(e.sentence().contains("not allowed"));

    let e = fault_error(Fault::Envelope { status: 498, code: 498, message: "Token expired".into() }).await;
    assert!(matches!(e.kind, ErrorKind::Auth { .. }) && e.status == Some(498), "{e:?}");

    let e = fault_error(Fault::RateLimit { retry_after_secs: 7 }).await;
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert!(e.sentence().contains("7 s") && e.request_id.is_some(), "{e}");

    let e =
        fault_error(Fault::Envelope { status: 500, code: 500, message: "Requests have failed due to errors".into() })
            .await;
    assert!(matches!(e.kind, ErrorKind::Api { .. }) && e.status == Some(500) && e.is_transient(), "{e:?}");

    for status in [502, 503] {
        let body = "<html><body><h1>Bad gateway \x1b[31m</h1></body></html>".to_string();
        let e = fault_error(Fault::Plain { status, body }).await;
        let ErrorKind::Server { snippet } = &e.kind else { panic!("{e:?}") };
        assert!(snippet.contains("<html>") && snippet.contains('␛') && !snippet.contains('\x1b'));
        assert_eq!(e.status, Some(status));
    }
    let e = fault_error(Fault::Html503).await;
    assert!(matches!(&e.kind, ErrorKind::Server { snippet } if snippet.contains("503 Service")), "{e:?}");

    let e = fault_error(Fault::Empty { status: 200 }).await;
    assert!(matches!(&e.kind, ErrorKind::Malformed { detail, .. } if detail.contains("empty")), "{e:?}");
    let e = fault_error(Fault::Empty { status: 500 }).await;
    assert!(matches!(&e.kind, ErrorKind::Server { snippet } if snippet.is_empty()), "{e:?}");

    let e = fault_error(Fault::Truncated).await;
    assert!(matches!(&e.kind, ErrorKind::Malformed { detail, .. } if detail.contains("truncated")), "{e:?}");
    assert!(e.request_id.is_some());
}

#[tokio::test]
async fn a_404_without_envelope_means_a_wrong_base_url() {
    let server = server(None).await;
    let mut config = ClientConfig::new(server.base_url().join("not-the-api/").unwrap());
    config.timeout = Duration::from_secs(5);
    let e =
        target_events::api::Client::new(config).unwrap().events(&query(564332013, 1986, None, 10)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_eq!(e.status, Some(404));
    assert!(e.sentence().contains("base URL"));
}

#[tokio::test]
async fn timeouts_and_stalls_are_network_errors_naming_the_host() {
    for fault in [Fault::Hang, Fault::Stall] {
        let e = fault_error(fault).await;
        let ErrorKind::Network { host, cause, .. } = &e.kind else { panic!("{e:?}") };
        assert_eq!(*cause, NetCause::Timeout, "{e:?}");
        assert!(host.starts_with("127.0.0.1:"));
        assert!(e.sentence().contains("did not answer in time"));
    }
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = ClientConfig::new(format!("http://127.0.0.1:{port}/").parse().unwrap());
    let e = target_events::api::Client::new(config).unwrap().events(&query(1, 2, None, 10)).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Network { cause: NetCause::Refused, .. }), "{e:?}");
    assert!(e.sentence().contains(&format!("127.0.0.1:{port}")));
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let server = server(None).await;
    let mut config = ClientConfig::new(server.base_url());
    config.max_body_bytes = 1024;
    let e =
        target_events::api::Client::new(config).unwrap().events(&query(712004518, 2410, None, 100)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge { limit: 1024 });
}

#[tokio::test]
async fn basic_auth_sends_the_md5_of_the_password() {
    let server = server(Some(demo_auth(Duration::from_secs(60)))).await;
    let ok = client(&server, basic()).events(&query(564332013, 1986, None, 10)).await;
    assert!(ok.is_ok(), "{ok:?}");
    let wrong = Credentials::Basic {
        username: USER.into(),
        password: target_events::secret::Secret::new("wrong"),
        password_is_md5: false,
    };
    let e = client(&server, wrong).events(&query(564332013, 1986, None, 10)).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Auth { .. }) && e.status == Some(401));
    assert!(e.remedy().unwrap().plain().contains(USER));
    let e = client(&server, Credentials::None).events(&query(564332013, 1986, None, 10)).await.unwrap_err();
    assert_eq!(e.status, Some(401));
}

#[tokio::test]
async fn one_oauth_token_serves_many_concurrent_requests() {
    let server = server(Some(demo_auth(Duration::from_secs(300)))).await;
    let client = client(&server, oauth());
    let mut set = tokio::task::JoinSet::new();
    for page in 0..12 {
        let c = client.clone();
        set.spawn(async move { c.events(&EventsQuery { page, ..query(712004518, 2410, None, 10) }).await });
    }
    while let Some(r) = set.join_next().await {
        assert!(r.unwrap().is_ok());
    }
    assert_eq!(server.token_requests(), 1);
}

#[tokio::test]
async fn the_token_is_renewed_after_expiry_and_after_rejection_once() {
    let server = server(Some(demo_auth(Duration::from_secs(1)))).await;
    let client = client(&server, oauth());
    let q = query(564332013, 1986, None, 10);
    client.events(&q).await.unwrap();
    assert_eq!(server.token_requests(), 1);
    // Past the ttl (renewed a little before its end).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.events(&q).await.unwrap();
    assert_eq!(server.token_requests(), 2);
    // The server revokes it early: 498, one renewal, success.
    server.state().expire_tokens();
    client.events(&q).await.unwrap();
    assert_eq!(server.token_requests(), 3);
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once_never_in_a_loop() {
    let server = server(Some(demo_auth(Duration::from_secs(300)))).await;
    server
        .with_faults(|p| p.always = Some(Fault::Envelope { status: 498, code: 498, message: "Token expired".into() }));
    let e = client(&server, oauth()).events(&query(564332013, 1986, None, 10)).await.unwrap_err();
    assert_eq!(e.status, Some(498));
    assert_eq!(server.token_requests(), 2);
    assert_eq!(server.api_requests(), 2);
}

#[tokio::test]
async fn wrong_oauth_secret_is_an_auth_error() {
    let server = server(Some(demo_auth(Duration::from_secs(300)))).await;
    let creds = Credentials::OAuth { key: OAUTH_KEY.into(), secret: target_events::secret::Secret::new("nope") };
    let e = client(&server, creds).events(&query(564332013, 1986, None, 10)).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Auth { .. }), "{e:?}");
    assert!(e.remedy().unwrap().plain().contains(OAUTH_KEY));
}

#[tokio::test]
async fn credentials_never_go_over_plain_http_to_other_hosts() {
    let mut config = ClientConfig::new("http://api.example.invalid/".parse().unwrap());
    config.credentials = basic();
    let client = target_events::api::Client::new(config.clone()).unwrap();
    let e = client.events(&query(1, 2, None, 10)).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::InsecureTransport { .. }), "{e:?}");
    // With the explicit override it tries (and fails to resolve the name).
    config.allow_insecure_http = true;
    config.timeout = Duration::from_secs(5);
    let e = target_events::api::Client::new(config).unwrap().events(&query(1, 2, None, 10)).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Network { .. }), "{e:?}");
}

#[tokio::test]
async fn offset_can_count_records() {
    use target_events::api::OffsetMode;
    use target_events::demo::{DemoOptions, DemoServer};
    let server =
        DemoServer::start(DemoOptions { offset_mode: OffsetMode::Record, ..DemoOptions::default() }).await.unwrap();
    let mut config = ClientConfig::new(server.base_url());
    config.offset_mode = OffsetMode::Record;
    let client = target_events::api::Client::new(config).unwrap();
    let page2 = client.events(&EventsQuery { page: 1, ..query(564332013, 1986, None, 3) }).await.unwrap();
    let EventsOutcome::Page(p) = page2.value else { panic!() };
    assert_eq!(p.events[0].event_log_id, 606072487);
    assert!(page2.meta.url.contains("offset=3"));
}

#[tokio::test]
async fn target_groups_and_periods_are_consistent_with_events() {
    let server = server(None).await;
    let client = client(&server, Credentials::None);
    let groups = client.target_groups(564332013).await.unwrap().value;
    let target = &groups[0].targets[1];
    assert_eq!(target.target_rule_id, 1986);
    assert_eq!(target.period_id, Some(9888));
    assert_eq!(target.target_achieved_value.unwrap().to_string(), "3999.54");
    let periods = client.target_periods(groups[0].id).await.unwrap().value;
    assert_eq!(periods.iter().map(|p| p.id).collect::<Vec<_>>(), vec![9887, 9888, 9889]);
}

#[tokio::test]
async fn a_customer_is_found_by_every_kind_of_identifier() {
    use target_events::api::CustomerRef;
    let server = server(None).await;
    let client = client(&server, Credentials::None);
    let customer = server.state().dataset.customer(712004518).unwrap().clone();
    let (mobile, email, external, card) = customer.identifiers();
    for text in [
        format!("mobile:{mobile}"),
        format!("+{mobile}"),
        format!("email:{email}"),
        email.to_uppercase(),
        format!("external:{external}"),
        format!("card:{card}"),
    ] {
        let who = CustomerRef::parse(&text).unwrap();
        let found = client.lookup(&who).await.unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(found.value, 712004518, "{text}");
        assert!(found.meta.request_id.is_some(), "{text}: the request id is kept");
    }
    // An id is an id: nothing is asked.
    let before = server.api_requests();
    assert_eq!(client.lookup(&CustomerRef::UserId(42)).await.unwrap().value, 42);
    assert_eq!(server.api_requests(), before);
}

#[tokio::test]
async fn an_unknown_customer_is_8015_and_credentials_are_checked() {
    use target_events::api::CustomerRef;
    use target_events::explorer::app::Field;
    let server = server(Some(demo_auth(Duration::from_secs(300)))).await;
    let who = CustomerRef::parse("nobody@example.com").unwrap();
    let e = client(&server, basic()).lookup(&who).await.unwrap_err();
    assert_eq!(e.code(), Some(8015));
    assert_eq!(e.param().map(Field::sending), Some(Field::UserId), "8015 blames the customer field");
    assert!(e.request_id.is_some());
    let e = client(&server, Credentials::None).lookup(&who).await.unwrap_err();
    assert_eq!(e.status, Some(401), "{e}");
}

#[tokio::test]
async fn lookup_values_are_url_encoded() {
    use crate::common::scripted::{Scripted, json};
    use target_events::api::CustomerRef;
    let api = Scripted::start(|_, _| json(200, "", r#"{"entity": 552695692, "warnings": []}"#));
    let client = Client::new(ClientConfig::new(api.base().parse().unwrap())).unwrap();
    let who = CustomerRef::parse("email:name+tag@example.com").unwrap();
    assert_eq!(client.lookup(&who).await.unwrap().value, 552695692);
    let path = api.recorded()[0].path().to_string();
    assert_eq!(
        path,
        "/v2/customers/lookup?source=INSTORE&identifierName=email&identifierValue=name%2Btag%40example.com"
    );
}

/// Every kind of request a client sends draws from its one quota, and a
/// Retry-After closes the gate for all of them.
#[tokio::test]
async fn one_quota_for_every_request_and_retry_after_holds_them_all() {
    let server = server(None).await;
    let mut config = ClientConfig::new(server.base_url());
    config.requests_per_minute = Some(3);
    let client = target_events::api::Client::new(config).unwrap();
    client.events(&query(564332013, 1986, None, 10)).await.unwrap();
    client.target_groups(564332013).await.unwrap();
    let mobile = target_events::api::CustomerRef::parse("mobile:910564332013").unwrap();
    client.lookup(&mobile).await.unwrap();
    let before = server.api_requests();
    let fourth = tokio::time::timeout(Duration::from_millis(800), client.target_groups(564332013)).await;
    assert!(fourth.is_err(), "the fourth request of any kind waits for the quota");
    assert_eq!(server.api_requests(), before, "and is not sent meanwhile");

    // A 429 asking for 2 s to one automatic call holds back every other
    // automatic call of the client for that long.
    use target_events::api::fetch_all::{FetchAllOptions, with_retries};
    let client = target_events::api::Client::new(ClientConfig::new(server.base_url())).unwrap();
    server.with_faults(|p| p.queue.push_back(Fault::RateLimit { retry_after_secs: 2 }));
    let opts = FetchAllOptions { retries: 1, ..FetchAllOptions::default() };
    let started = std::time::Instant::now();
    let limited = with_retries(Some(client.limiter()), &opts, || client.target_groups(564332013), |_, _| {});
    let other = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        with_retries(Some(client.limiter()), &opts, || client.target_groups(498221730), |_, _| {}).await.unwrap();
        started.elapsed()
    };
    let (first, other_done) = tokio::join!(limited, other);
    assert!(first.is_ok(), "retried after the wait: {first:?}");
    assert!(other_done >= Duration::from_secs(2), "the other call waited for the Retry-After: {other_done:?}");
}

/// A URL on an origin no profile owns: every request is refused unsent, with
/// a sentence that says so and the remedy of choosing a profile.
#[tokio::test]
async fn an_origin_no_profile_owns_gets_nothing_sent() {
    use target_events::core::told::{Remedy, Told};
    let server = server(None).await;
    let mut config = ClientConfig::new(server.base_url());
    config.unowned = true;
    let c = Client::new(config).unwrap();
    let before = server.api_requests();
    let e = c.events(&query(564332013, 1986, None, 10)).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::NoProfile { .. }), "{e:?}");
    assert!(e.sentence().contains("nothing was sent"), "{}", e.sentence());
    assert_eq!(e.remedy(), Some(Remedy::ChooseProfile));
    assert!(c.target_groups(564332013).await.is_err());
    assert_eq!(server.api_requests(), before, "nothing reached the server");
}
