//! The case note: the verdict with how the customer was found, the target,
//! and every request made with its request id and a cURL line that carries
//! no secret. `explain` and the explorer's `x`/`y` both build it here.

use chrono::NaiveDateTime;

use crate::api::auth::Credentials;
use crate::api::model::UserTargetGroup;
use crate::api::{Client, EventsQuery, ResponseMeta};
use crate::verdict::PeriodVerdict;
use crate::verdict::report::{CustomerInfo, Report, RequestInfo};

/// What the cURL copy needs to know about the connection (never a secret).
#[derive(Clone, Debug)]
pub struct ConnectionInfo {
    pub base_url: url::Url,
    pub auth: AuthKind,
    pub offset_mode: crate::api::OffsetMode,
    /// Whether to send copies to the terminal's clipboard (OSC 52).
    pub clipboard: bool,
    /// Inside tmux: copies go to its paste buffer.
    pub tmux: bool,
    /// The profile's quota, which paces watching too (None: no quota).
    pub requests_per_minute: Option<u32>,
    /// Which tenant this is, for what belongs to one (recent queries): the
    /// API origin, or "demo".
    pub tenant: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    None,
    Basic,
    /// Basic, with the password configured as its MD5 already.
    BasicMd5,
    OAuth,
}

impl Default for ConnectionInfo {
    fn default() -> Self {
        ConnectionInfo {
            base_url: url::Url::parse("http://127.0.0.1/").expect("a valid URL"),
            auth: AuthKind::None,
            offset_mode: Default::default(),
            clipboard: true,
            tmux: false,
            requests_per_minute: None,
            tenant: String::new(),
        }
    }
}

/// What the case note and the cURL copies say about a client's connection.
pub fn connection_info(client: &Client) -> ConnectionInfo {
    let term = std::env::var("TERM").unwrap_or_default();
    ConnectionInfo {
        base_url: client.base_url().clone(),
        auth: match client.config().credentials {
            Credentials::None => AuthKind::None,
            Credentials::Basic { password_is_md5: false, .. } => AuthKind::Basic,
            Credentials::Basic { password_is_md5: true, .. } => AuthKind::BasicMd5,
            Credentials::OAuth { .. } => AuthKind::OAuth,
        },
        offset_mode: client.config().offset_mode,
        // The Linux console and dumb terminals cannot take OSC 52.
        clipboard: !matches!(term.as_str(), "dumb" | "linux" | ""),
        tmux: std::env::var_os("TMUX").is_some_and(|t| !t.is_empty()),
        requests_per_minute: client.config().requests_per_minute,
        tenant: client.base_url().origin().ascii_serialization(),
    }
}

/// What a case note is made of.
pub struct NoteFacts<'a> {
    pub user_id: i64,
    /// How the customer was found, when not by id (`mobile:…`).
    pub found_by: Option<String>,
    pub rule_id: i64,
    /// The customer's targets (for the target's and group's names).
    pub groups: &'a [UserTargetGroup],
    pub periods: Vec<PeriodVerdict>,
    /// Every exchange made, in order: lookup, targets, events pages.
    pub requests: Vec<&'a ResponseMeta>,
    pub now: NaiveDateTime,
}

/// The report behind the case note (text, JSON and Markdown alike).
pub fn report(facts: NoteFacts<'_>, connection: &ConnectionInfo) -> Report {
    let of_rule =
        facts.groups.iter().find_map(|g| g.targets.iter().find(|t| t.target_rule_id == facts.rule_id).map(|t| (g, t)));
    let name = |s: Option<&String>| s.map(|n| crate::sanitize::line(n).into_owned());
    Report {
        customer: CustomerInfo { user_id: facts.user_id, found_by: facts.found_by },
        rule_id: facts.rule_id,
        target_name: of_rule.and_then(|(_, t)| name(t.target_name.as_ref())),
        group_name: of_rule.and_then(|(g, _)| name(g.name.as_ref())),
        periods: facts.periods,
        requests: facts.requests.into_iter().map(|m| RequestInfo::of(m, curl_for(connection, &m.url))).collect(),
        made_at: crate::clock::shown(facts.now, "%Y-%m-%d %H:%M"),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// The current query as a cURL command that works as pasted. Credentials
/// are the environment variables the tool itself reads, filled in by the
/// shell when it runs; no secret is ever in it. It follows no redirect.
pub fn curl_command(conn: &ConnectionInfo, q: &EventsQuery) -> String {
    curl_for(conn, crate::api::query::events_url(&conn.base_url, q, conn.offset_mode).as_str())
}

/// A GET of `url` as a cURL command, authenticated as [`curl_command`] is.
pub fn curl_for(conn: &ConnectionInfo, url: &str) -> String {
    let url = url.replace('\'', "%27");
    let mut lines = vec![format!("curl '{url}'"), "  --header 'Accept: application/json'".to_string()];
    let basic = |md5: &str| {
        format!(
            "  --header \"Authorization: Basic $(printf '%s:%s' \"$CAP_USERNAME\" \"{md5}\" | base64 | tr -d '\\n')\""
        )
    };
    match conn.auth {
        AuthKind::None => {}
        AuthKind::Basic => lines.push(basic("$(printf '%s' \"$CAP_PASSWORD\" | md5sum | cut -d' ' -f1)")),
        // The password is configured as its MD5 already: sent as it is, in lowercase.
        AuthKind::BasicMd5 => lines.push(basic("$(printf '%s' \"$CAP_PASSWORD\" | tr 'A-F' 'a-f')")),
        AuthKind::OAuth => {
            let token_url =
                crate::api::query::endpoint(&conn.base_url, &["v3", "oauth", "token", "generate"]).to_string();
            let token_url = token_url.replace('\'', "%27");
            lines.push(format!(
                "  --header \"X-CAP-API-OAUTH-TOKEN: $(curl -s -X POST '{token_url}' -H 'Content-Type: application/json' -d \"{{\\\"key\\\":\\\"$CAP_OAUTH_KEY\\\",\\\"secret\\\":\\\"$CAP_OAUTH_SECRET\\\"}}\" | sed -n 's/.*\"accessToken\" *: *\"\\([^\"]*\\)\".*/\\1/p')\""
            ));
        }
    }
    lines.join(" \\\n")
}
