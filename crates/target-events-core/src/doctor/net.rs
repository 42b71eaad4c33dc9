//! The checks that go over the network, in the order a request meets them.

use crate::told::Told;
use std::net::SocketAddr;
use std::time::Duration;

use url::Url;

use super::Check;
use crate::api::auth::Credentials;
use crate::api::error::ErrorKind;
use crate::api::probe::{self, ProbeError};
use crate::api::{ApiError, Client, EventsQuery};
use crate::config::Settings;

/// A clock further off than this makes tokens and "days left" unreliable.
const CLOCK_TOLERANCE_SECS: i64 = 60;
/// A certificate that expires within this many days is worth a warning.
const EXPIRY_WARNING_DAYS: i64 = 14;

/// The network checks, against the client's base URL.
pub async fn network(client: &Client, settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    let url = client.base_url().clone();
    let url_check = base_url(&url, settings.allow_insecure_http);
    let url_ok = url_check.mark != super::Mark::Fail;
    checks.push(url_check);
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']).to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs = if url_ok { dns(&host, port, settings.connect_timeout, &mut checks).await } else { Vec::new() };
    let reachable = match addrs.first() {
        Some(addr) => tcp(*addr, &host, port, settings.connect_timeout, &mut checks).await,
        None => {
            checks.push(Check::skip("TCP connect", "no address to connect to"));
            false
        }
    };
    if !reachable {
        for name in ["TLS", "clock", "authentication", "customer lookup"] {
            checks.push(Check::skip(name, "the server cannot be reached"));
        }
        return checks;
    }
    let answered = probe(&url, settings, &mut checks).await;
    if !answered {
        for name in ["authentication", "customer lookup"] {
            checks.push(Check::skip(name, "the server did not answer over HTTP"));
        }
        return checks;
    }
    checks.push(authentication(client, settings).await);
    checks.push(lookup(client).await);
    checks
}

fn base_url(url: &Url, allow_insecure: bool) -> Check {
    const NAME: &str = "base URL";
    let shown = url.as_str();
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Check::pass(NAME, format!("{shown}, https")),
        "http" if loopback => Check::pass(NAME, format!("{shown}, plain http on this machine")),
        "http" if allow_insecure => Check::warn(
            NAME,
            format!("{shown}: plain http, credentials readable on the way (allowed by allow_insecure_http)"),
            "use the https:// form of the URL",
        ),
        _ => Check::fail(
            NAME,
            format!("{shown}: plain http to another machine; credentials would travel readable"),
            "use https:// (Capillary's hosts are https://CLUSTER.api.capillarytech.com)",
        ),
    }
}

async fn dns(host: &str, port: u16, timeout: Duration, checks: &mut Vec<Check>) -> Vec<SocketAddr> {
    const NAME: &str = "DNS";
    match probe::resolve(host, port, timeout).await {
        Ok(addrs) if host.parse::<std::net::IpAddr>().is_ok() => {
            checks.push(Check::pass(NAME, format!("{host} is an address: nothing to look up")));
            addrs
        }
        Ok(addrs) => {
            let shown: Vec<String> = addrs.iter().take(3).map(|a| a.ip().to_string()).collect();
            checks.push(Check::pass(NAME, format!("{host} → {}", shown.join(", "))));
            addrs
        }
        Err(ProbeError::TimedOut) => {
            checks.push(Check::fail(
                NAME,
                format!("no answer for {host} within {} s", timeout.as_secs()),
                "check the network connection and the DNS server",
            ));
            Vec::new()
        }
        Err(e) => {
            checks.push(Check::fail(
                NAME,
                format!("{host} does not resolve ({})", why(&e)),
                "check the host for a typo, or use a cluster name (eu, apac, apac2, us, ushc, sea)",
            ));
            Vec::new()
        }
    }
}

async fn tcp(addr: SocketAddr, host: &str, port: u16, timeout: Duration, checks: &mut Vec<Check>) -> bool {
    const NAME: &str = "TCP connect";
    let fix = "check the port, and whether a firewall or a proxy stands in the way (HTTPS_PROXY)";
    match probe::connect(addr, timeout).await {
        Ok(()) => {
            checks.push(Check::pass(NAME, format!("{host}:{port} accepts connections")));
            true
        }
        Err(ProbeError::TimedOut) => {
            checks.push(Check::fail(
                NAME,
                format!("no connection to {host}:{port} within {} s", timeout.as_secs()),
                fix,
            ));
            false
        }
        Err(e) => {
            checks.push(Check::fail(NAME, format!("{host}:{port} refused or unreachable ({})", why(&e)), fix));
            false
        }
    }
}

/// The words of a probe's failure.
fn why(e: &ProbeError) -> &str {
    match e {
        ProbeError::TimedOut => "timed out",
        ProbeError::Tls(s) | ProbeError::Stalled(s) | ProbeError::Failed(s) => s,
    }
}

/// A plain GET of the base URL, with nothing secret: the TLS handshake and
/// its certificate, the server's clock, and whether it speaks HTTP at all.
async fn probe(url: &Url, settings: &Settings, checks: &mut Vec<Check>) -> bool {
    let tls = url.scheme() == "https";
    let layer = if tls { "TLS" } else { "HTTP" };
    let answer = match probe::get(url, settings.connect_timeout, settings.timeout).await {
        Ok(answer) => answer,
        Err(e) => {
            let (name, detail, fix) = match &e {
                ProbeError::Tls(cause) => (
                    "TLS",
                    format!("the handshake failed: {cause}"),
                    "the certificate is not one this machine trusts (self-signed, a private CA, or a proxy \
                     inspecting TLS): use the API's own https host",
                ),
                ProbeError::TimedOut => (
                    layer,
                    format!("no answer within {} s", settings.timeout.as_secs()),
                    "the server accepts connections but does not answer: check the URL's port and any proxy",
                ),
                ProbeError::Stalled(cause) => (
                    "HTTP",
                    format!("the server sent its headers, then stopped: {cause}"),
                    "the server or a proxy in between stalls: try again, or check the proxy",
                ),
                ProbeError::Failed(cause)
                    if ["connection closed", "connection reset", "broken pipe", "unexpected eof"]
                        .iter()
                        .any(|m| cause.to_lowercase().contains(m)) =>
                {
                    (
                        layer,
                        "the server closed the connection without answering".to_string(),
                        "something listens on that port but does not speak HTTP(S) there: check the URL's scheme \
                         (https://) and port",
                    )
                }
                ProbeError::Failed(cause) => (
                    layer,
                    format!("the request failed: {cause}"),
                    "check that the base URL is the API's (https://CLUSTER.api.capillarytech.com)",
                ),
            };
            if tls && name == "HTTP" {
                checks.push(Check::pass("TLS", "the handshake succeeded"));
            }
            checks.push(Check::fail(name, detail, fix));
            checks.push(Check::skip("clock", "no whole answer to read the server's time from"));
            return false;
        }
    };
    if tls {
        checks.push(match answer.certificate_expires {
            Some(when) => {
                let days = (when - chrono::Utc::now().naive_utc()).num_days();
                let detail = format!("certificate trusted, valid until {} ({days} days)", when.format("%Y-%m-%d"));
                if days < EXPIRY_WARNING_DAYS {
                    Check::warn("TLS", detail, "the certificate expires soon: tell whoever runs the server")
                } else {
                    Check::pass("TLS", detail)
                }
            }
            None => Check::pass("TLS", "certificate trusted (its expiry could not be read)"),
        });
    } else {
        checks.push(Check::skip("TLS", "plain http: no TLS"));
    }
    checks.push(clock(answer.date.as_deref()));
    true
}

fn clock(date: Option<&str>) -> Check {
    const NAME: &str = "clock";
    let Some(date) = date else {
        return Check::warn(
            NAME,
            "the server sent no Date header to compare with",
            "nothing to do unless times look wrong",
        );
    };
    let Ok(theirs) = chrono::DateTime::parse_from_rfc2822(date) else {
        return Check::warn(
            NAME,
            format!("the server's Date \"{}\" cannot be read", crate::sanitize::line(date)),
            "nothing to do unless times look wrong",
        );
    };
    let off = (chrono::Utc::now() - theirs.with_timezone(&chrono::Utc)).num_seconds();
    let side = if off > 0 { "ahead of" } else { "behind" };
    if off.abs() > CLOCK_TOLERANCE_SECS {
        Check::warn(
            NAME,
            format!("this machine's clock is {} s {side} the server's", off.abs()),
            "set the clock right (NTP): OAuth tokens and the verdict's days left depend on it",
        )
    } else {
        Check::pass(NAME, format!("within {} s of the server's", off.abs().max(1)))
    }
}

/// The credentials, tried: OAuth generates a token; then an authorised GET
/// (the events of a probe customer) must not be refused.
async fn authentication(client: &Client, settings: &Settings) -> Check {
    const NAME: &str = "authentication";
    if matches!(settings.credentials, Credentials::None) && settings.is_demo() {
        return Check::pass(NAME, "none needed: the embedded demo API");
    }
    if matches!(settings.credentials, Credentials::None) {
        return Check::skip(
            NAME,
            "not configured: no username or OAuth key, so nothing to check (target-events profile add NAME sets them)",
        );
    }
    let fix = match settings.credentials {
        Credentials::Basic { .. } => {
            "check the username and password (the till's; password_is_md5 = true if the stored one is its MD5)"
        }
        Credentials::OAuth { .. } => "check the OAuth key and secret, and that the key may read target events",
        Credentials::None => "add credentials to the profile: target-events profile add NAME",
    };
    match credentials_accepted(client, settings).await {
        Ok(how) => Check::pass(NAME, how),
        Err(e) => refused(NAME, &e, fix),
    }
}

/// Whether the server takes the settings' credentials: OAuth generates a
/// token, then an authorised GET (the events of a probe customer) must not
/// be refused. Ok says what was accepted; Err is the refusal or failure.
pub async fn credentials_accepted(client: &Client, settings: &Settings) -> Result<String, ApiError> {
    // OAuth: the key and secret are tried first, for a token and its ttl.
    let ttl = match settings.credentials {
        Credentials::OAuth { .. } => client.token_ttl().await?,
        _ => None,
    };
    let how = match &settings.credentials {
        Credentials::None => "no credentials sent".to_string(),
        Credentials::Basic { username, .. } => format!("Basic auth as {}", crate::sanitize::line(username)),
        Credentials::OAuth { .. } => match ttl {
            Some(ttl) => format!("OAuth token generated (ttl {} s)", ttl.as_secs()),
            None => "OAuth token generated".into(),
        },
    };
    let probe = EventsQuery { user_id: 1, rule_id: 1, period_id: None, limit: 1, page: 0 };
    match client.events(&probe).await {
        Ok(f) => Ok(format!("{how}: accepted (HTTP {})", f.meta.status)),
        // The API's own answer about the probe customer: the credentials passed.
        Err(e) if matches!(e.kind, ErrorKind::Api { .. } | ErrorKind::NotFound) && is_api_answer(&e) => {
            let code = e.code().map(|c| format!(", code {c} for the probe customer")).unwrap_or_default();
            Ok(format!("{how}: accepted (HTTP {}{code})", e.status.unwrap_or(0)))
        }
        Err(e) => Err(e),
    }
}

/// Whether an error is the API's JSON envelope (not a proxy's page).
fn is_api_answer(e: &ApiError) -> bool {
    // A 404 without the API's envelope is a wrong path, not the API's answer.
    e.code().is_some()
}

fn refused(name: &'static str, e: &ApiError, fix: &str) -> Check {
    let id = e.request_id.as_deref().map(|r| format!(" [request id {r}]")).unwrap_or_default();
    let fix = match &e.kind {
        ErrorKind::Auth { .. } => fix.to_string(),
        ErrorKind::Server { .. } | ErrorKind::Malformed { .. } | ErrorKind::Rejected { .. } => {
            "the base URL answers, but not as the Capillary API: check it (https://CLUSTER.api.capillarytech.com)"
                .to_string()
        }
        _ => e.remedy().map_or_else(|| fix.to_string(), |r| r.plain()),
    };
    Check::fail(name, format!("{}{id}", e.sentence()), fix)
}

/// Customer lookup (by external id, one nobody has): "not found" is the
/// answer wanted; anything else says lookup cannot be used.
async fn lookup(client: &Client) -> Check {
    const NAME: &str = "customer lookup";
    match client.lookup_identifier("externalId", "target-events-doctor-probe").await {
        Ok(_) => Check::pass(NAME, "reachable (GET /v2/customers/lookup answered)"),
        Err(e) if e.code().is_some() && !matches!(e.kind, ErrorKind::Auth { .. }) => {
            Check::pass(NAME, format!("reachable (the probe was not found: code {})", e.code().unwrap_or_default()))
        }
        Err(e) => refused(
            NAME,
            &e,
            "the key or till may not look customers up: ask for access to /v2/customers/lookup, or give customers by id",
        ),
    }
}
