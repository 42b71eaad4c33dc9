//! Recent queries, kept in the platform state directory so an agent can get
//! back to a customer they looked at this morning.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const MAX_RECENT: usize = 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentQuery {
    pub user_id: i64,
    pub rule_id: i64,
    pub period_id: Option<i64>,
    /// When it was last asked for (local time, for display).
    pub at: String,
}

pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("com", "capillary", "target-events")?;
    let dir = dirs.state_dir().map(Path::to_path_buf).unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(dir.join("recent.json"))
}

/// Reads the list; a missing or unreadable file is an empty list.
pub fn load(path: &Path) -> Vec<RecentQuery> {
    std::fs::read_to_string(path).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

pub fn save(path: &Path, list: &[RecentQuery]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(list).map_err(std::io::Error::other)?;
    std::fs::write(path, text)
}

/// Puts `q` first, without duplicates, keeping at most [`MAX_RECENT`].
pub fn remember(list: &mut Vec<RecentQuery>, q: RecentQuery) {
    list.retain(|r| (r.user_id, r.rule_id, r.period_id) != (q.user_id, q.rule_id, q.period_id));
    list.insert(0, q);
    list.truncate(MAX_RECENT);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(u: i64) -> RecentQuery {
        RecentQuery { user_id: u, rule_id: 1, period_id: None, at: String::new() }
    }

    #[test]
    fn newest_first_without_duplicates() {
        let mut list = vec![q(1), q(2)];
        remember(&mut list, q(2));
        assert_eq!(list.iter().map(|r| r.user_id).collect::<Vec<_>>(), vec![2, 1]);
        for i in 0..40 {
            remember(&mut list, q(100 + i));
        }
        assert_eq!(list.len(), MAX_RECENT);
    }

    #[test]
    fn round_trips_through_a_file() {
        let path = std::env::temp_dir().join(format!("te-recent-{}/recent.json", std::process::id()));
        save(&path, &[q(7)]).unwrap();
        assert_eq!(load(&path), vec![q(7)]);
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }
}
