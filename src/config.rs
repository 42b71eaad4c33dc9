//! Where the client points and how it authenticates, from (later winning) the
//! profile file, the environment and command-line flags. Secrets come from the
//! file, the environment or an interactive prompt, never from a flag's value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;
use url::Url;

use crate::api::auth::Credentials;
use crate::api::paging::OffsetMode;
use crate::secret::Secret;

/// Capillary API clusters and their hosts.
pub const CLUSTERS: &[(&str, &str)] = &[
    ("eu", "https://eu.api.capillarytech.com"),
    ("apac", "https://apac.api.capillarytech.com"),
    ("apac2", "https://apac2.api.capillarytech.com"),
    ("us", "https://us.api.capillarytech.com"),
    ("ushc", "https://ushc.api.capillarytech.com"),
    ("sea", "https://sea.api.capillarytech.com"),
];

pub fn cluster_url(name: &str) -> Option<&'static str> {
    CLUSTERS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name.trim())).map(|(_, url)| *url)
}

/// The config file: named profiles.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One tenant's settings. Every member is optional; later sources fill gaps.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub base_url: Option<String>,
    pub cluster: Option<String>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub password_is_md5: Option<bool>,
    pub oauth_key: Option<String>,
    pub oauth_secret: Option<Secret>,
    pub offset_mode: Option<OffsetMode>,
    pub page_size: Option<u32>,
    pub max_page_size: Option<u32>,
    pub connect_timeout_secs: Option<u64>,
    pub timeout_secs: Option<u64>,
    pub allow_insecure_http: Option<bool>,
    pub concurrency: Option<usize>,
    pub requests_per_minute: Option<u32>,
}

impl Profile {
    fn has_secret(&self) -> bool {
        self.password.is_some() || self.oauth_secret.is_some()
    }

    /// Fills this profile's gaps from `later`, `later` winning.
    fn overlay(&mut self, later: Profile) {
        macro_rules! take {
            ($($f:ident),*) => { $( if later.$f.is_some() { self.$f = later.$f; } )* };
        }
        take!(
            base_url,
            cluster,
            username,
            password,
            password_is_md5,
            oauth_key,
            oauth_secret,
            offset_mode,
            page_size,
            max_page_size,
            connect_timeout_secs,
            timeout_secs,
            allow_insecure_http,
            concurrency,
            requests_per_minute
        );
        // A base URL and a cluster are two ways of saying the same thing: the
        // later source's choice replaces the earlier one's.
    }
}

/// What the command line says about the connection (no secrets here).
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub profile: Option<String>,
    pub base_url: Option<String>,
    pub cluster: Option<String>,
    pub username: Option<String>,
    pub demo: bool,
    pub allow_insecure_http: bool,
    pub config: Option<PathBuf>,
}

/// Where requests go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The embedded demo API.
    Demo,
    Remote(Url),
}

/// Everything resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    pub target: Target,
    pub profile_name: Option<String>,
    pub credentials: Credentials,
    pub offset_mode: OffsetMode,
    pub page_size: u32,
    pub max_page_size: u32,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub allow_insecure_http: bool,
    pub concurrency: usize,
    pub requests_per_minute: u32,
    /// Things worth telling the user at start (e.g. a world-readable secret file).
    pub warnings: Vec<String>,
}

impl Settings {
    pub fn is_demo(&self) -> bool {
        self.target == Target::Demo
    }
}

pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "capillary", "target-events").map(|d| d.config_dir().join("config.toml"))
}

/// The profile whose API host is `host`, if any.
pub fn profile_for_host(file: &ConfigFile, host: &str) -> Option<String> {
    file.profiles
        .iter()
        .find(|(_, p)| {
            let url = p.base_url.clone().or_else(|| p.cluster.as_deref().and_then(cluster_url).map(String::from));
            url.and_then(|u| Url::parse(&u).ok())
                .and_then(|u| u.host_str().map(|h| h.eq_ignore_ascii_case(host)))
                .unwrap_or(false)
        })
        .map(|(name, _)| name.clone())
}

/// Reads the config file; a missing file is an empty one.
pub fn load_file(path: &Path) -> anyhow::Result<Option<ConfigFile>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let file: ConfigFile =
                toml::from_str(&text).with_context(|| format!("{} is not a valid config file", path.display()))?;
            Ok(Some(file))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Reads the `CAP_*` variables through `get` (the process environment in
/// production, a map in tests).
pub fn profile_from_env(get: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Profile> {
    let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
    let offset_mode = get("CAP_OFFSET_MODE").map(|v| v.parse()).transpose().map_err(anyhow::Error::msg)?;
    Ok(Profile {
        base_url: get("CAP_BASE_URL"),
        cluster: get("CAP_CLUSTER"),
        username: get("CAP_USERNAME"),
        password: get("CAP_PASSWORD").map(Secret::new),
        password_is_md5: get("CAP_PASSWORD_IS_MD5").map(|v| matches!(v.trim(), "1" | "true" | "yes")),
        oauth_key: get("CAP_OAUTH_KEY"),
        oauth_secret: get("CAP_OAUTH_SECRET").map(Secret::new),
        offset_mode,
        ..Profile::default()
    })
}

/// Resolves the settings. `prompt` asks for a missing password (None when
/// nobody can answer).
pub fn resolve(
    file: Option<(&Path, ConfigFile)>,
    env: &dyn Fn(&str) -> Option<String>,
    flags: &Flags,
    prompt: &dyn Fn(&str) -> Option<Secret>,
) -> anyhow::Result<Settings> {
    let mut warnings = Vec::new();
    let env_profile = profile_from_env(env)?;
    let wanted = flags.profile.clone().or_else(|| env("CAP_PROFILE").filter(|p| !p.is_empty()));
    let mut profile = Profile::default();
    let mut profile_name = None;
    if let Some((path, file)) = file {
        let name = wanted
            .clone()
            .or(file.default_profile.clone())
            .or_else(|| (file.profiles.len() == 1).then(|| file.profiles.keys().next().cloned()).flatten());
        if let Some(name) = name {
            match file.profiles.get(&name) {
                Some(p) => {
                    if p.has_secret() {
                        warnings.extend(permission_warning(path));
                    }
                    profile = p.clone();
                    profile_name = Some(name);
                }
                None => bail!(
                    "no profile named \"{name}\" in {} (profiles: {})",
                    path.display(),
                    file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            }
        }
    } else if let Some(name) = wanted {
        bail!("profile \"{name}\" was asked for, but there is no config file");
    }
    let env_sets_target = env_profile.base_url.is_some() || env_profile.cluster.is_some();
    if env_sets_target {
        profile.base_url = None;
        profile.cluster = None;
    }
    profile.overlay(env_profile);
    if flags.base_url.is_some() || flags.cluster.is_some() {
        profile.base_url = flags.base_url.clone();
        profile.cluster = flags.cluster.clone();
    }
    if flags.username.is_some() {
        profile.username = flags.username.clone();
    }

    let base = match (&profile.base_url, &profile.cluster) {
        (Some(url), _) => Some(Url::parse(url.trim()).with_context(|| format!("base URL \"{url}\" is not a URL"))?),
        (None, Some(c)) => {
            let url = cluster_url(c).with_context(|| {
                format!(
                    "unknown cluster \"{c}\" (known: {})",
                    CLUSTERS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                )
            })?;
            Some(Url::parse(url)?)
        }
        (None, None) => None,
    };
    if let Some(url) = &base
        && !matches!(url.scheme(), "http" | "https")
    {
        bail!("base URL must be http or https, not {}", url.scheme());
    }

    let credentials = match (&profile.oauth_key, &profile.username) {
        (Some(key), _) => match profile.oauth_secret.clone() {
            Some(secret) => Credentials::OAuth { key: key.clone(), secret },
            None => match prompt(&format!("OAuth secret for key {key}: ")) {
                Some(secret) => Credentials::OAuth { key: key.clone(), secret },
                None => bail!("an OAuth key is set but no secret: set CAP_OAUTH_SECRET or the profile's oauth_secret"),
            },
        },
        (None, Some(user)) => {
            let password = match profile.password.clone() {
                Some(p) => p,
                None => prompt(&format!("Password for {user}: "))
                    .with_context(|| format!("no password for {user}: set CAP_PASSWORD or the profile's password"))?,
            };
            Credentials::Basic {
                username: user.clone(),
                password,
                password_is_md5: profile.password_is_md5.unwrap_or(false),
            }
        }
        (None, None) => Credentials::None,
    };

    let target = if flags.demo {
        Target::Demo
    } else {
        match base {
            Some(url) => Target::Remote(url),
            None if credentials.is_none() => Target::Demo,
            None => {
                bail!("credentials are set but no API host: set a cluster (--cluster eu) or a base URL (--base-url)")
            }
        }
    };
    let max_page_size = profile.max_page_size.unwrap_or(1000).clamp(1, 1000);
    Ok(Settings {
        target,
        profile_name,
        credentials,
        offset_mode: profile.offset_mode.unwrap_or_default(),
        page_size: profile.page_size.unwrap_or(10).clamp(1, max_page_size),
        max_page_size,
        connect_timeout: Duration::from_secs(profile.connect_timeout_secs.unwrap_or(10).max(1)),
        timeout: Duration::from_secs(profile.timeout_secs.unwrap_or(30).max(1)),
        allow_insecure_http: flags.allow_insecure_http || profile.allow_insecure_http.unwrap_or(false),
        concurrency: profile.concurrency.unwrap_or(4).clamp(1, 32),
        requests_per_minute: profile.requests_per_minute.unwrap_or(90).max(1),
        warnings,
    })
}

/// A secret-holding file readable by group or others deserves a warning.
#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "Run chmod 600 {}: it holds a secret and other users can read it (mode {:o}).",
            path.display(),
            mode & 0o777
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(map: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = map.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    fn no_prompt(_: &str) -> Option<Secret> {
        None
    }

    #[test]
    fn nothing_configured_means_demo() {
        let s = resolve(None, &env(&[]), &Flags::default(), &no_prompt).unwrap();
        assert!(s.is_demo());
    }

    #[test]
    fn environment_overrides_the_file_and_flags_override_both() {
        let file: ConfigFile = toml::from_str(
            r#"default_profile = "eu"
               [profiles.eu]
               cluster = "eu"
               username = "store123"
               password = "from-file"
               page_size = 25"#,
        )
        .unwrap();
        let e = env(&[("CAP_PASSWORD", "from-env")]);
        let flags = Flags { base_url: Some("https://proxy.example/api".into()), ..Flags::default() };
        let s = resolve(Some((Path::new("/nonexistent/config.toml"), file)), &e, &flags, &no_prompt).unwrap();
        assert_eq!(s.target, Target::Remote(Url::parse("https://proxy.example/api").unwrap()));
        assert_eq!(s.page_size, 25);
        match s.credentials {
            Credentials::Basic { username, password, .. } => {
                assert_eq!(username, "store123");
                assert_eq!(password.expose(), "from-env");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn clusters_resolve_and_unknown_ones_are_named() {
        let s = resolve(
            None,
            &env(&[("CAP_CLUSTER", "eu"), ("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]),
            &Flags::default(),
            &no_prompt,
        )
        .unwrap();
        assert_eq!(s.target, Target::Remote(Url::parse("https://eu.api.capillarytech.com").unwrap()));
        let err = resolve(None, &env(&[("CAP_CLUSTER", "mars")]), &Flags::default(), &no_prompt).unwrap_err();
        assert!(err.to_string().contains("unknown cluster \"mars\""));
    }

    #[test]
    fn a_missing_password_is_prompted_for_or_explained() {
        let e = env(&[("CAP_CLUSTER", "eu"), ("CAP_USERNAME", "store123")]);
        let err = resolve(None, &e, &Flags::default(), &no_prompt).unwrap_err();
        assert!(err.to_string().contains("set CAP_PASSWORD"));
        let s = resolve(None, &e, &Flags::default(), &|_| Some(Secret::new("typed"))).unwrap();
        assert!(matches!(s.credentials, Credentials::Basic { .. }));
    }

    #[test]
    fn credentials_without_a_host_are_an_error() {
        let err = resolve(None, &env(&[("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]), &Flags::default(), &no_prompt)
            .unwrap_err();
        assert!(err.to_string().contains("no API host"));
    }

    #[cfg(unix)]
    #[test]
    fn a_readable_secret_file_is_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("te-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, "[profiles.p]\ncluster = \"eu\"\nusername = \"u\"\npassword = \"p\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let file = load_file(&path).unwrap().unwrap();
        let s = resolve(Some((&path, file)), &env(&[]), &Flags::default(), &no_prompt).unwrap();
        assert!(s.warnings[0].contains("chmod 600"), "{:?}", s.warnings);
        std::fs::remove_dir_all(&dir).ok();
    }
}
