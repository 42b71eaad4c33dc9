//! Transport-level probes for `doctor`: a host looked up, a TCP connection
//! opened, and one plain GET (nothing secret sent) for what the TLS
//! handshake and the server's headers say. Facts only; `core::doctor` turns
//! them into checks and fixes.

use std::net::SocketAddr;
use std::time::Duration;

use chrono::NaiveDateTime;
use url::Url;

/// Why a probe failed, with the cause's own words (sanitised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeError {
    /// Nothing within the time allowed.
    TimedOut,
    /// The TLS handshake failed (an untrusted certificate, mostly).
    Tls(String),
    /// The headers came, then the body stopped.
    Stalled(String),
    Failed(String),
}

/// The host's addresses (an IP address is its own).
pub async fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, ProbeError> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    match tokio::time::timeout(timeout, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(addrs)) => Ok(addrs.collect()),
        Ok(Err(e)) => Err(ProbeError::Failed(crate::sanitize::line(&e.to_string()).into_owned())),
        Err(_) => Err(ProbeError::TimedOut),
    }
}

/// Opens (and closes) a TCP connection.
pub async fn connect(addr: SocketAddr, timeout: Duration) -> Result<(), ProbeError> {
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(ProbeError::Failed(crate::sanitize::line(&e.to_string()).into_owned())),
        Err(_) => Err(ProbeError::TimedOut),
    }
}

/// What a plain GET of the base URL said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The server certificate's `notAfter` (UTC), over https.
    pub certificate_expires: Option<NaiveDateTime>,
    /// The `Date` header, as sent.
    pub date: Option<String>,
}

/// A GET of `url` with no credentials and no redirect followed; the body is
/// read within `timeout`, so a server that stalls after its headers fails,
/// and only up to the client's cap (nothing of it is kept): a body that never
/// ends costs no memory.
pub async fn get(url: &Url, connect_timeout: Duration, timeout: Duration) -> Result<Answer, ProbeError> {
    let http = reqwest::Client::builder()
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .user_agent(concat!("target-events/", env!("CARGO_PKG_VERSION"), " doctor"))
        .build()
        .map_err(|e| ProbeError::Failed(chain(&e)))?;
    let tls = url.scheme() == "https";
    let response = http.get(url.clone()).send().await.map_err(|e| {
        let cause = chain(&e);
        if tls && (cause.contains("certificate") || cause.to_lowercase().contains("tls")) {
            ProbeError::Tls(cause)
        } else if e.is_timeout() {
            ProbeError::TimedOut
        } else {
            ProbeError::Failed(cause)
        }
    })?;
    let certificate_expires = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .and_then(super::cert::not_after);
    let date = response.headers().get(reqwest::header::DATE).and_then(|d| d.to_str().ok()).map(str::to_string);
    let status = response.status().as_u16();
    let mut response = response;
    let mut read: u64 = 0;
    while read < super::client::DEFAULT_MAX_BODY {
        match response.chunk().await.map_err(|e| ProbeError::Stalled(chain(&e)))? {
            Some(chunk) => read += chunk.len() as u64,
            None => break,
        }
    }
    Ok(Answer { status, certificate_expires, date })
}

/// An error and its causes in one line (rustls says why in a cause).
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    crate::sanitize::line(&parts.join(": ")).into_owned()
}
