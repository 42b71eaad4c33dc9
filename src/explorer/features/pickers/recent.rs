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
    /// What was typed for the customer when it was not the id (an email, a
    /// mobile…), so the list reads as the agent knows the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
    /// The tenant (API origin, or "demo") it was made on: ids mean nothing
    /// on another. None for entries saved before tenants were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// The tenant the embedded demo API is, whatever its port.
pub const DEMO_TENANT: &str = "demo";

/// The entries made on `tenant`, or on every tenant.
pub fn of_tenant<'a>(list: &'a [RecentQuery], tenant: &str, all: bool) -> impl Iterator<Item = &'a RecentQuery> {
    list.iter().filter(move |r| all || r.tenant.as_deref() == Some(tenant))
}

pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("com", "capillary", "target-events")?;
    let dir = dirs.state_dir().map(Path::to_path_buf).unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(dir.join("recent.json"))
}

/// Reads the list; a missing file is an empty list. A file that cannot be
/// read as a list is moved aside (`recent.json.corrupt`), not overwritten
/// later, and the warning says where it went.
pub fn load(path: &Path) -> (Vec<RecentQuery>, Option<String>) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
        Err(e) => return (Vec::new(), Some(format!("Cannot read the recent queries ({}): {e}", path.display()))),
    };
    match serde_json::from_str(&text) {
        Ok(list) => (list, None),
        Err(_) => {
            let mut aside = path.as_os_str().to_owned();
            aside.push(".corrupt");
            let aside = PathBuf::from(aside);
            let warning = match std::fs::rename(path, &aside) {
                Ok(()) => format!("The recent queries file was unreadable; it was moved to {}.", aside.display()),
                Err(e) => {
                    format!("The recent queries file {} is unreadable ({e}); it is left as it is.", path.display())
                }
            };
            (Vec::new(), Some(warning))
        }
    }
}

/// Writes the list atomically, private to the user.
pub fn save(path: &Path, list: &[RecentQuery]) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(list).map_err(std::io::Error::other)?;
    crate::private_file::write_atomic(path, text.as_bytes())
}

/// Puts `q` first, without duplicates, keeping at most [`MAX_RECENT`].
pub fn remember(list: &mut Vec<RecentQuery>, q: RecentQuery) {
    let key = |r: &RecentQuery| (r.user_id, r.rule_id, r.period_id, r.tenant.clone());
    list.retain(|r| key(r) != key(&q));
    list.insert(0, q);
    list.truncate(MAX_RECENT);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(u: i64) -> RecentQuery {
        RecentQuery { user_id: u, rule_id: 1, period_id: None, at: String::new(), typed: None, tenant: None }
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
        assert_eq!(load(&path), (vec![q(7)], None));
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_with_a_warning() {
        let dir = std::env::temp_dir().join(format!("te-recent-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("recent.json");
        std::fs::write(&path, "{not json").unwrap();
        let (list, warning) = load(&path);
        assert!(list.is_empty());
        assert!(warning.unwrap().contains("recent.json.corrupt"));
        assert_eq!(std::fs::read_to_string(dir.join("recent.json.corrupt")).unwrap(), "{not json");
        assert!(!path.exists());
        std::fs::remove_dir_all(&dir).ok();
    }
}
