//! Reads a target-events URL, or a whole cURL line, copied from the docs or a
//! colleague: the host, the customer, the rule, the period and the page.

use url::Url;

use crate::api::OffsetMode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryUrl {
    /// Scheme, host, port and any path prefix before `/v3`.
    pub base: Url,
    pub user_id: i64,
    pub rule_id: i64,
    pub period_id: Option<i64>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

impl QueryUrl {
    /// 0-based page index for the given offset reading.
    pub fn page(&self, mode: OffsetMode, limit: u32) -> u32 {
        let offset = self.offset.unwrap_or(0);
        let page = match mode {
            OffsetMode::Page => offset,
            OffsetMode::Record => offset / u64::from(limit.max(1)),
        };
        u32::try_from(page).unwrap_or(u32::MAX)
    }
}

/// Finds the URL in `text` (a bare URL or a cURL command) and reads it.
pub fn parse(text: &str) -> Result<QueryUrl, String> {
    let token = text
        .split(|c: char| c.is_whitespace())
        .map(|t| t.trim_matches(|c| c == '\'' || c == '"' || c == '\\'))
        .find(|t| t.starts_with("http://") || t.starts_with("https://"))
        .ok_or("no http(s) URL found")?;
    let url = Url::parse(token).map_err(|e| format!("not a URL ({e})"))?;
    // `https://real.host@attacker.example/` goes to attacker.example: refused.
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a URL with a user name or password in it (user@host) is refused".into());
    }
    let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
    let at = segments
        .windows(5)
        .position(|w| w[0] == "v3" && w[1] == "users" && w[3] == "trackedTargetEvents")
        .ok_or("the URL is not /v3/users/{userId}/trackedTargetEvents/{targetRuleId}")?;
    let id = |s: &str, what: &str| -> Result<i64, String> {
        s.parse::<i64>().ok().filter(|v| *v > 0).ok_or(format!("the {what} in the URL is not a positive number: {s}"))
    };
    let user_id = id(segments[at + 2], "userId")?;
    let rule_id = id(segments[at + 4], "targetRuleId")?;
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    base.set_path(&format!("{}/", segments[..at].join("/")));
    let mut out = QueryUrl { base, user_id, rule_id, period_id: None, limit: None, offset: None };
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "periodId" if !v.is_empty() => out.period_id = Some(id(&v, "periodId")?),
            "limit" => out.limit = v.parse().ok().filter(|l| (1..=crate::api::MAX_PAGE_SIZE).contains(l)),
            "offset" => out.offset = v.parse().ok(),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_docs_example() {
        let q = parse("https://eu.api.capillarytech.com/v3/users/564332013/trackedTargetEvents/1986?periodId=9889&limit=5&offset=0").unwrap();
        assert_eq!(q.base.as_str(), "https://eu.api.capillarytech.com/");
        assert_eq!(
            (q.user_id, q.rule_id, q.period_id, q.limit, q.offset),
            (564332013, 1986, Some(9889), Some(5), Some(0))
        );
    }

    #[test]
    fn reads_a_curl_line_and_keeps_a_path_prefix() {
        let line = "curl --location 'https://proxy.example/capillary/v3/users/1/trackedTargetEvents/2?limit=10&offset=3' \\\n --header 'Authorization: Basic xyz'";
        let q = parse(line).unwrap();
        assert_eq!(q.base.as_str(), "https://proxy.example/capillary/");
        assert_eq!(q.page(OffsetMode::Page, 10), 3);
        assert_eq!(q.page(OffsetMode::Record, 10), 0);
    }

    #[test]
    fn says_what_is_wrong() {
        assert!(parse("no url here").unwrap_err().contains("no http"));
        assert!(parse("https://x/v3/users/abc/trackedTargetEvents/2").unwrap_err().contains("userId"));
        assert!(parse("https://x/v3/customers/1").unwrap_err().contains("trackedTargetEvents"));
        let spoof = "https://eu.api.capillarytech.com@attacker.example/v3/users/1/trackedTargetEvents/2";
        assert!(parse(spoof).unwrap_err().contains("user@host"));
    }
}
