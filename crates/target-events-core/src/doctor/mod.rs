//! `doctor`: a setup checked one thing at a time, each with ✓, ! or ✗ and,
//! for what fails, the fix in a sentence. The checks follow a request's
//! path: the config file, the profile and origin, the URL, DNS, TCP, TLS,
//! the clock, authentication, customer lookup and the rate limit. A check
//! whose ground failed is skipped, not failed again.

mod net;

pub use net::{credentials_accepted, network};

use std::path::Path;

use serde::Serialize;

use crate::api::auth::Credentials;
use crate::config::{Settings, Target};

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mark {
    Pass,
    /// Works, but deserves attention (a clock a few minutes off).
    Warn,
    Fail,
    /// Not tried: what it stands on failed.
    Skip,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Pass => "✓",
            Mark::Warn => "!",
            Mark::Fail => "✗",
            Mark::Skip => "·",
        }
    }
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: &'static str,
    pub mark: Mark,
    /// What was found (never a secret).
    pub detail: String,
    /// What to do, for a warning or a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check { name, mark: Mark::Pass, detail: detail.into(), fix: None }
    }

    pub fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { name, mark: Mark::Warn, detail: detail.into(), fix: Some(fix.into()) }
    }

    pub fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { name, mark: Mark::Fail, detail: detail.into(), fix: Some(fix.into()) }
    }

    pub fn skip(name: &'static str, detail: impl Into<String>) -> Check {
        Check { name, mark: Mark::Skip, detail: detail.into(), fix: None }
    }
}

/// Whether every check passed (warnings allowed).
pub fn all_good(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.mark != Mark::Fail)
}

/// The config file: none (settings from the environment and flags), or
/// found, a file of this user's, and private when it holds a secret.
pub fn config_file(path: Option<&Path>) -> Check {
    const NAME: &str = "config file";
    let Some(path) = path else {
        return Check::pass(NAME, "none: this system has no config directory; settings come from CAP_* and flags");
    };
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    let meta = match std::fs::symlink_metadata(path) {
        Err(_) => {
            return Check::pass(NAME, format!("none at {shown}: settings come from CAP_* and flags"));
        }
        Ok(m) => m,
    };
    if let Some(problem) = crate::config::file_problem(path) {
        return Check::fail(
            NAME,
            problem,
            format!("put your own config file at {shown} (target-events profile add NAME writes one)"),
        );
    }
    let linked = if meta.file_type().is_symlink() { " (a link)" } else { "" };
    let file = match crate::config::load_file(path) {
        Ok(file) => file,
        Err(e) => {
            return Check::fail(
                NAME,
                crate::sanitize::multiline(&format!("{e:#}")).into_owned(),
                format!("correct {shown} at the place named"),
            );
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
        if mode & 0o077 != 0 {
            let holds_secret = file.is_some_and(|f| f.profiles.values().any(crate::config::Profile::has_secret));
            let fix = format!("run chmod 600 {shown}");
            return if holds_secret {
                Check::fail(NAME, format!("{shown}{linked} holds a secret and others can read it (mode {mode:o})"), fix)
            } else {
                Check::warn(NAME, format!("{shown}{linked} is readable by others (mode {mode:o})"), fix)
            };
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Check::pass(NAME, format!("{shown}{linked}, private"))
}

/// Which profile and origin the settings chose, and how they authenticate.
pub fn profile_and_origin(settings: &Settings) -> Check {
    const NAME: &str = "profile and origin";
    let profile = match &settings.profile_name {
        Some(name) => format!("profile \"{}\"", crate::sanitize::line(name)),
        None => "no profile (CAP_* and flags)".into(),
    };
    let auth = match &settings.credentials {
        Credentials::None => "no credentials".to_string(),
        Credentials::Basic { username, .. } => format!("Basic auth as {}", crate::sanitize::line(username)),
        Credentials::OAuth { key, .. } => format!("OAuth with key {}", crate::sanitize::line(key)),
    };
    match &settings.target {
        Target::Demo => Check::pass(NAME, format!("{profile} → the embedded demo API, {auth}")),
        Target::Remote(url) => Check::pass(NAME, format!("{profile} → {}, {auth}", crate::config::origin_text(url))),
    }
}

/// The quota and concurrency every request of the profile runs under.
pub fn rate_limit(settings: &Settings) -> Check {
    Check::pass(
        "rate limit",
        format!(
            "at most {} requests in any minute, {} at a time (requests_per_minute, concurrency)",
            settings.requests_per_minute, settings.concurrency
        ),
    )
}
