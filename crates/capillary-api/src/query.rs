//! Building requests: the one place an events URL is written.

use url::Url;

use super::paging::OffsetMode;

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
