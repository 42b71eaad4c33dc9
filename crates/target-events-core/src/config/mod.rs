//! Where the client points and how it authenticates, from (later winning) the
//! profile file, the environment and command-line flags. Secrets come from the
//! file, the environment or an interactive prompt, never from a flag's value.
//!
//! Credentials belong to the origin (scheme, host, port) of the source that
//! supplied them: a profile's to its base URL or cluster, the environment's to
//! `CAP_BASE_URL`/`CAP_CLUSTER`. A source that names no host lends its
//! credentials to the one chosen; one that names another host does not.

mod binding;
mod file_error;
pub mod secret_source;

pub use binding::{OriginProblem, ProfileChoice, ProfileSource, UrlBinding, bind_url};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;
use url::Url;

use crate::api::MAX_PAGE_SIZE;
use crate::api::auth::Credentials;
use crate::api::fetch_all::FetchAllOptions;
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
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    /// Where the explorer saves case notes (default: `notes/` in the data directory).
    pub notes_dir: Option<PathBuf>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// `[keys]`: an action of the explorer's binding table to a key or a list of keys.
    #[serde(default, rename = "keys")]
    raw_keys: BTreeMap<String, toml::Spanned<toml::Value>>,
    /// `[theme]`: a colour of the explorer to a colour name or `#rrggbb`.
    #[serde(default, rename = "theme")]
    raw_theme: BTreeMap<String, toml::Spanned<toml::Value>>,
    /// The `[keys]` and `[theme]` entries with their lines ([`ConfigFile::parse`]).
    #[serde(skip)]
    pub look: Look,
}

/// One `[keys]` or `[theme]` entry: its name, its values, the line it is on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub values: Vec<String>,
    pub line: usize,
}

/// How the explorer looks and answers keys, as the config file says: the
/// entries as written, checked by the explorer (which knows its actions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Look {
    pub keys: Vec<Entry>,
    pub theme: Vec<Entry>,
    /// Entries of the wrong kind, each with its line, in line order.
    pub problems: Vec<String>,
}

impl ConfigFile {
    /// Parses a config file's text, the `[keys]` and `[theme]` entries with
    /// the lines they are on. A value of the wrong kind there is kept as a
    /// problem of the look (the explorer refuses it, doctor names it), not
    /// an error of the file: the headless commands never use those tables.
    pub fn parse(text: &str) -> Result<ConfigFile, toml::de::Error> {
        let mut file: ConfigFile = toml::from_str(text)?;
        let line_of = |at: usize| text.get(..at).map_or(1, |before| before.matches('\n').count() + 1);
        let mut problems = Vec::new();
        let mut entries = |table: &BTreeMap<String, toml::Spanned<toml::Value>>, what: &str, many: bool| {
            let mut out = Vec::new();
            for (name, value) in table {
                let line = line_of(value.span().start);
                let values = match value.get_ref() {
                    toml::Value::String(one) => vec![one.clone()],
                    // A colour by its index (208).
                    toml::Value::Integer(n) if !many => vec![n.to_string()],
                    toml::Value::Array(list) if many && list.iter().all(toml::Value::is_str) => {
                        list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
                    }
                    _ => {
                        let shape = if many {
                            "a key (\"v\") or a list of keys ([\"v\", \"Ctrl-v\"])"
                        } else {
                            "a colour (\"cyan\", \"#00afd7\", 208)"
                        };
                        problems.push((
                            line,
                            format!("line {line}: [{what}] {} must be {shape}", crate::sanitize::line(name)),
                        ));
                        continue;
                    }
                };
                out.push(Entry { name: name.clone(), values, line });
            }
            out.sort_by_key(|e| e.line);
            out
        };
        let keys = entries(&file.raw_keys, "keys", true);
        let theme = entries(&file.raw_theme, "theme", false);
        problems.sort();
        file.look = Look { keys, theme, problems: problems.into_iter().map(|(_, p)| p).collect() };
        Ok(file)
    }
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
    /// A command whose first line of output is the password (`pass show …`).
    pub password_command: Option<String>,
    /// The password is in the platform keychain (service `target-events`,
    /// account `PROFILE/USERNAME`).
    pub password_keyring: Option<bool>,
    /// A command whose first line of output is the OAuth secret.
    pub oauth_secret_command: Option<String>,
    /// The OAuth secret is in the platform keychain (account `PROFILE/KEY`).
    pub oauth_secret_keyring: Option<bool>,
    pub offset_mode: Option<OffsetMode>,
    pub page_size: Option<u32>,
    pub max_page_size: Option<u32>,
    pub connect_timeout_secs: Option<u64>,
    pub timeout_secs: Option<u64>,
    pub allow_insecure_http: Option<bool>,
    pub concurrency: Option<usize>,
    pub requests_per_minute: Option<u32>,
    /// The longest Retry-After a fetch-all waits for (seconds).
    pub max_retry_after_secs: Option<u64>,
    /// The most events one fetch-all collects.
    pub max_events: Option<usize>,
    /// The `source` of customer lookups (default INSTORE).
    pub lookup_source: Option<String>,
    /// Completes a national phone number typed for a customer ("91").
    pub default_country_code: Option<String>,
}

impl Profile {
    /// A secret written in the file itself (not a command or the keychain).
    pub(crate) fn has_secret(&self) -> bool {
        self.password.is_some() || self.oauth_secret.is_some()
    }

    /// Where the secret comes from, when not the file or a prompt.
    fn has_secret_source(&self) -> bool {
        self.password_command.is_some()
            || self.oauth_secret_command.is_some()
            || self.password_keyring == Some(true)
            || self.oauth_secret_keyring == Some(true)
    }

    fn has_credentials(&self) -> bool {
        self.username.is_some() || self.oauth_key.is_some() || self.has_secret() || self.has_secret_source()
    }

    /// The API base this source names, if it names one.
    pub fn base(&self) -> anyhow::Result<Option<Url>> {
        let url = match (&self.base_url, &self.cluster) {
            (Some(url), _) => Url::parse(url.trim())
                .map_err(|_| anyhow::anyhow!("base URL \"{}\" is not a URL", crate::sanitize::line(url.trim())))?,
            (None, Some(c)) => {
                let url = cluster_url(c).with_context(|| {
                    format!(
                        "unknown cluster \"{}\" (known: {})",
                        crate::sanitize::line(c),
                        CLUSTERS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    )
                })?;
                Url::parse(url)?
            }
            (None, None) => return Ok(None),
        };
        check_base(&url)?;
        Ok(Some(url))
    }

    /// Fills this profile's gaps from `later`, `later` winning; credentials
    /// only when `with_credentials`.
    fn overlay(&mut self, later: Profile, with_credentials: bool) {
        macro_rules! take {
            ($($f:ident),*) => { $( if later.$f.is_some() { self.$f = later.$f; } )* };
        }
        take!(
            offset_mode,
            page_size,
            max_page_size,
            connect_timeout_secs,
            timeout_secs,
            allow_insecure_http,
            concurrency,
            requests_per_minute,
            max_retry_after_secs,
            max_events,
            lookup_source,
            default_country_code
        );
        if with_credentials {
            take!(
                username,
                password,
                password_is_md5,
                oauth_key,
                oauth_secret,
                password_command,
                password_keyring,
                oauth_secret_command,
                oauth_secret_keyring
            );
        }
    }
}

/// A base URL is http(s) and carries no user name or password: credentials
/// never travel inside a URL.
pub fn check_base(url: &Url) -> anyhow::Result<()> {
    if !matches!(url.scheme(), "http" | "https") {
        bail!("base URL must be http or https, not {}", url.scheme());
    }
    if !url.username().is_empty() || url.password().is_some() {
        bail!("a URL with a user name or password in it (user@host) is refused: credentials come from a profile");
    }
    if url.host_str().is_none_or(str::is_empty) {
        bail!("base URL {} has no host", url);
    }
    Ok(())
}

/// The origin of `url` as text, for messages: `https://host[:port]`.
pub fn origin_text(url: &Url) -> String {
    url.origin().ascii_serialization()
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
    /// The base of a URL or cURL line given on the command line: it picks the
    /// profile whose origin it has.
    pub url_base: Option<Url>,
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
    pub max_retry_after: Duration,
    pub max_events: usize,
    pub lookup_source: String,
    /// Completes a national phone number typed for a customer (digits, no `+`).
    pub default_country_code: Option<String>,
    /// Where the explorer saves case notes; None where no data directory is known.
    pub notes_dir: Option<PathBuf>,
    /// The config file's `[keys]` and `[theme]`.
    pub look: Look,
    /// Things worth telling the user at start (e.g. a world-readable secret file).
    pub warnings: Vec<String>,
    /// Settings of the profile out of their range, and the value used instead.
    pub out_of_range: Vec<String>,
    /// A pasted URL's origin has no profile (or several): nothing is sent with
    /// credentials until one is chosen.
    pub origin_problem: Option<OriginProblem>,
}

impl Settings {
    pub fn is_demo(&self) -> bool {
        self.target == Target::Demo
    }

    /// How a fetch-all runs under these settings, at the largest page size.
    pub fn fetch_all_options(&self) -> FetchAllOptions {
        FetchAllOptions {
            concurrency: self.concurrency,
            limit: self.max_page_size,
            max_retry_after: self.max_retry_after,
            max_events: self.max_events,
            ..FetchAllOptions::default()
        }
    }
}

pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "capillary", "target-events").map(|d| d.config_dir().join("config.toml"))
}

/// Reads the config file; a missing file is an empty one. A syntax error
/// names the file, line, column and key, never the line's text: it may hold
/// a password.
/// `notes/` in the data directory, where case notes go unless the config says.
fn default_notes_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "capillary", "target-events").map(|d| d.data_dir().join("notes"))
}

/// A leading `~/` is the home directory, as people write it in config files.
fn expand_home(path: PathBuf) -> PathBuf {
    match (path.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(base)) => base.home_dir().join(rest),
        _ => path,
    }
}

/// The largest config file read: profiles and keys are a few kilobytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

pub fn load_file(path: &Path) -> anyhow::Result<Option<ConfigFile>> {
    let Some(text) = read_config_text(path).map_err(anyhow::Error::msg)? else { return Ok(None) };
    match ConfigFile::parse(&text) {
        Ok(file) => Ok(Some(file)),
        Err(e) => bail!("{}", file_error::describe(path, &text, &e)),
    }
}

/// The config file's text (None when there is none), read only when it is a
/// regular file of this user's under [`MAX_CONFIG_BYTES`]. It is opened
/// without blocking and checked on the open file, so a FIFO (or a file
/// swapped for one) never hangs the tool, and a huge file is never read.
pub fn read_config_text(path: &Path) -> Result<Option<String>, String> {
    use std::io::Read;
    if let Some(problem) = file_problem(path) {
        return Err(problem);
    }
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
    };
    let meta = file.metadata().map_err(|e| format!("cannot read {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} is not a regular file (a pipe, device or socket): a config file is a file"));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(format!(
            "{shown} is {} bytes: a config file is under {} KiB, so this is not one",
            meta.len(),
            MAX_CONFIG_BYTES / 1024
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(format!("{shown} grew past {} KiB while being read", MAX_CONFIG_BYTES / 1024));
    }
    if bytes.contains(&0) {
        return Err(format!("{shown} holds NUL bytes: it is not a text file"));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| format!("{shown} is not UTF-8 text"))
}

/// Why the config file at `path` cannot be used as one: a directory, or
/// (through a link or not) a file of another user's, which could feed this
/// user's credentials to a host of that user's choosing.
pub fn file_problem(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    if meta.is_dir() {
        return Some(format!("{shown} is a directory, not a config file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = unsafe { libc::getuid() };
        if meta.uid() != me {
            return Some(format!(
                "{shown} belongs to another user (uid {}): only your own config file is read; copy it and chmod 600 the copy",
                meta.uid()
            ));
        }
    }
    if !meta.is_file() {
        return Some(format!("{shown} is not a regular file (a pipe, device or socket): a config file is a file"));
    }
    None
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
        default_country_code: get("CAP_DEFAULT_COUNTRY_CODE"),
        ..Profile::default()
    })
}

/// Resolves the settings in two steps: a pure [`choose`] of the profile,
/// the origin and what each source lends, then the secrets fetched
/// ([`fetch_secrets`]: a command, the keychain, or `prompt`, which asks for
/// a missing one and is None when nobody can answer).
pub fn resolve(
    file: Option<(&Path, ConfigFile)>,
    env: &dyn Fn(&str) -> Option<String>,
    flags: &Flags,
    prompt: &dyn Fn(&str) -> Option<Secret>,
) -> anyhow::Result<Settings> {
    let choice = choose(file, env, flags)?;
    let credentials = fetch_secrets(choice.wanted(), choice.profile_name.as_deref(), prompt)?;
    settle(choice, credentials, flags)
}

/// What a run is to use, chosen before any secret is fetched: the profile,
/// the origin, and the connection settings each source lent it.
#[derive(Clone, Debug)]
pub struct Choice {
    pub profile_name: Option<String>,
    /// Where requests go, when an origin was named (else the demo, or an error).
    pub target: Option<Url>,
    /// The profile as merged from the file, the environment and the flags.
    pub profile: Profile,
    pub notes_dir: Option<PathBuf>,
    /// The config file's `[keys]` and `[theme]`.
    pub look: Look,
    pub warnings: Vec<String>,
    pub origin_problem: Option<OriginProblem>,
}

/// Where a secret comes from: the first source a profile names.
#[derive(Clone, Debug)]
pub enum SecretSource {
    /// Written in the file or the environment.
    Given(Secret),
    /// The first line a command prints.
    Command(String),
    /// The platform keychain (account `PROFILE/KEY`).
    Keyring,
    /// None named: asked for, when someone can answer.
    Ask,
}

impl SecretSource {
    fn of(given: &Option<Secret>, command: &Option<String>, keyring: Option<bool>) -> SecretSource {
        match (given, command, keyring) {
            (Some(secret), _, _) => SecretSource::Given(secret.clone()),
            (None, Some(command), _) => SecretSource::Command(command.clone()),
            (None, None, Some(true)) => SecretSource::Keyring,
            _ => SecretSource::Ask,
        }
    }
}

/// The credentials a choice needs, with where each secret comes from.
#[derive(Clone, Debug)]
pub enum Wanted {
    None,
    Basic { username: String, password: SecretSource, password_is_md5: bool },
    OAuth { key: String, secret: SecretSource },
}

impl Choice {
    pub fn wanted(&self) -> Wanted {
        let p = &self.profile;
        match (&p.oauth_key, &p.username) {
            (Some(key), _) => Wanted::OAuth {
                key: key.clone(),
                secret: SecretSource::of(&p.oauth_secret, &p.oauth_secret_command, p.oauth_secret_keyring),
            },
            (None, Some(user)) => Wanted::Basic {
                username: user.clone(),
                password: SecretSource::of(&p.password, &p.password_command, p.password_keyring),
                password_is_md5: p.password_is_md5.unwrap_or(false),
            },
            (None, None) => Wanted::None,
        }
    }
}

/// The first step: which profile, which origin, what each source lends.
/// Reads nothing but what it is given, runs nothing, asks nothing.
pub fn choose(
    file: Option<(&Path, ConfigFile)>,
    env: &dyn Fn(&str) -> Option<String>,
    flags: &Flags,
) -> anyhow::Result<Choice> {
    let mut warnings = Vec::new();
    let env_profile = profile_from_env(env)?;
    let env_base = env_profile.base()?;
    let preferred = flags.profile.clone().or_else(|| env("CAP_PROFILE").filter(|p| !p.is_empty()));
    if let Some((path, file)) = &file {
        if let Some(name) = &preferred
            && !file.profiles.contains_key(name)
        {
            bail!(
                "no profile named \"{}\" in {} (profiles: {})",
                crate::sanitize::line(name),
                crate::sanitize::line(&path.display().to_string()),
                if file.profiles.is_empty() {
                    "there are none; target-events profile add NAME adds one".to_string()
                } else {
                    crate::sanitize::line(&file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")).into_owned()
                }
            );
        }
        if file.profiles.values().any(Profile::has_secret)
            && let Some(fix) = permission_problem(path)
        {
            bail!("{fix}");
        }
    } else if let Some(name) = &preferred {
        bail!("profile \"{name}\" was asked for, but there is no config file");
    }
    let file = file.map(|(_, f)| f);
    let notes_dir = file.as_ref().and_then(|f| f.notes_dir.clone()).map(expand_home).or_else(default_notes_dir);
    let flag_profile =
        Profile { base_url: flags.base_url.clone(), cluster: flags.cluster.clone(), ..Profile::default() };
    let flag_base = flag_profile.base()?;

    // Which profile, and which origin requests go to.
    let mut origin_problem = None;
    let (profile_name, target) = match (&flags.url_base, &flag_base) {
        (Some(url), None) if !flags.demo => {
            check_base(url)?;
            match bind_url(file.as_ref(), env_base.as_ref(), preferred.as_deref(), flags.profile.as_deref(), url)? {
                UrlBinding::Profile(name) => {
                    let base = file.as_ref().and_then(|f| f.profiles.get(&name)).map(Profile::base).transpose()?;
                    (Some(name), base.flatten())
                }
                UrlBinding::Environment => (None, env_base.clone()),
                UrlBinding::Problem(problem) => {
                    origin_problem = Some(problem);
                    (None, Some(url.clone()))
                }
            }
        }
        _ => {
            let name = file.as_ref().and_then(|f| {
                preferred
                    .clone()
                    .or(f.default_profile.clone())
                    .or_else(|| (f.profiles.len() == 1).then(|| f.profiles.keys().next().cloned()).flatten())
            });
            let profile_base = name
                .as_ref()
                .and_then(|n| file.as_ref().and_then(|f| f.profiles.get(n)))
                .map(Profile::base)
                .transpose()?
                .flatten();
            (name, flag_base.clone().or(env_base.clone()).or(profile_base))
        }
    };
    if let (Some(name), Some(f)) = (&profile_name, &file)
        && !f.profiles.contains_key(name)
    {
        bail!("default_profile \"{}\" is not a profile in the config file", crate::sanitize::line(name));
    }
    let chosen = profile_name.as_ref().and_then(|n| file.as_ref().and_then(|f| f.profiles.get(n))).cloned();

    // Each source lends its credentials only to its own origin (or, naming
    // none, to the one chosen). With an unresolved URL, nobody lends any.
    let target_origin = target.as_ref().map(Url::origin);
    let lends = |source: &Option<Url>, label: &str, has: bool, warnings: &mut Vec<String>| -> bool {
        if origin_problem.is_some() || flags.demo {
            return false;
        }
        let Some(source) = source else { return true };
        if Some(source.origin()) == target_origin {
            return true;
        }
        if has {
            warnings.push(format!(
                "The credentials of {label} belong to {} and are not sent to {}.",
                origin_text(source),
                target.as_ref().map_or("another host".into(), origin_text)
            ));
        }
        false
    };
    let mut profile = Profile::default();
    if let Some(p) = chosen {
        let base = p.base()?;
        let label = format!("profile \"{}\"", profile_name.as_deref().unwrap_or(""));
        let with = lends(&base, &label, p.has_credentials(), &mut warnings);
        profile.overlay(p, with);
    }
    let with = lends(&env_base, "the environment (CAP_*)", env_profile.has_credentials(), &mut warnings);
    profile.overlay(env_profile, with);
    if flags.username.is_some() && origin_problem.is_none() {
        profile.username = flags.username.clone();
    }

    let look = file.as_ref().map(|f| f.look.clone()).unwrap_or_default();
    Ok(Choice { profile_name, target, profile, notes_dir, look, warnings, origin_problem })
}

/// The second step: each secret from its source — a command, the keychain,
/// else `prompt`.
pub fn fetch_secrets(
    wanted: Wanted,
    profile_name: Option<&str>,
    prompt: &dyn Fn(&str) -> Option<Secret>,
) -> anyhow::Result<Credentials> {
    let profile_key = profile_name.unwrap_or("default");
    let secret = |source: SecretSource, account: &str, name: &str, env: &str| -> anyhow::Result<Secret> {
        let what = match profile_name {
            Some(profile) => format!("the {name} of profile \"{profile}\""),
            None => format!("the {name}"),
        };
        match source {
            SecretSource::Given(secret) => Ok(secret),
            SecretSource::Command(command) => {
                secret_source::from_command(&command, &what, secret_source::COMMAND_TIMEOUT).map_err(anyhow::Error::msg)
            }
            SecretSource::Keyring => {
                secret_source::from_keyring(profile_key, account, &what).map_err(anyhow::Error::msg)
            }
            SecretSource::Ask => prompt(&format!("The {name} for {account}: ")).with_context(|| {
                format!("no {name} for {account}: set {env}, or the profile's {name} command (profile add)")
            }),
        }
    };
    Ok(match wanted {
        Wanted::OAuth { key, secret: source } => {
            let secret = secret(source, &key, "OAuth secret", "CAP_OAUTH_SECRET")?;
            Credentials::OAuth { key, secret }
        }
        Wanted::Basic { username, password, password_is_md5 } => {
            let password = secret(password, &username, "password", "CAP_PASSWORD")?;
            Credentials::Basic { username, password, password_is_md5 }
        }
        Wanted::None => Credentials::None,
    })
}

/// The settings of a choice with its credentials: the demo or a remote
/// origin, and every limit clamped.
pub fn settle(choice: Choice, credentials: Credentials, flags: &Flags) -> anyhow::Result<Settings> {
    let Choice { profile_name, target, profile, notes_dir, look, warnings, origin_problem } = choice;
    // A setting out of its range is used at the nearest bound, and said.
    let out_of_range = [
        ("page_size", profile.page_size.map(u64::from), 1, u64::from(MAX_PAGE_SIZE)),
        ("max_page_size", profile.max_page_size.map(u64::from), 1, u64::from(MAX_PAGE_SIZE)),
        ("concurrency", profile.concurrency.map(|c| c as u64), 1, 32),
        ("requests_per_minute", profile.requests_per_minute.map(u64::from), 1, u64::MAX),
        ("timeout_secs", profile.timeout_secs, 1, 3600),
        ("connect_timeout_secs", profile.connect_timeout_secs, 1, 3600),
        ("max_retry_after_secs", profile.max_retry_after_secs, 0, 3600),
        ("max_events", profile.max_events.map(|m| m as u64), 1, u64::MAX),
    ];
    let mut out_of_range_said = Vec::new();
    if profile.base_url.is_some() && profile.cluster.is_some() {
        out_of_range_said.push("both base_url and cluster are set: base_url is used".to_string());
    }
    for (name, value, low, high) in out_of_range {
        if let Some(v) = value.filter(|v| *v < low || *v > high) {
            let used = v.clamp(low, high);
            let range = if high == u64::MAX { format!("at least {low}") } else { format!("{low}–{high}") };
            out_of_range_said.push(format!("{name} = {v} is out of its range ({range}): {used} is used"));
        }
    }
    let target = if flags.demo {
        Target::Demo
    } else {
        match target {
            Some(url) => Target::Remote(url),
            None if credentials.is_none() => Target::Demo,
            None => {
                bail!("credentials are set but no API host: set a cluster (--cluster eu) or a base URL (--base-url)")
            }
        }
    };
    let max_page_size = profile.max_page_size.unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
    let demo = target == Target::Demo;
    Ok(Settings {
        target,
        profile_name,
        credentials,
        offset_mode: profile.offset_mode.unwrap_or_default(),
        page_size: profile.page_size.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, max_page_size),
        max_page_size,
        connect_timeout: Duration::from_secs(profile.connect_timeout_secs.unwrap_or(10).clamp(1, 3600)),
        timeout: Duration::from_secs(profile.timeout_secs.unwrap_or(30).clamp(1, 3600)),
        allow_insecure_http: flags.allow_insecure_http || profile.allow_insecure_http.unwrap_or(false),
        concurrency: profile.concurrency.unwrap_or(DEFAULT_CONCURRENCY).clamp(1, 32),
        requests_per_minute: profile.requests_per_minute.unwrap_or(DEFAULT_REQUESTS_PER_MINUTE).max(1),
        max_retry_after: profile
            .max_retry_after_secs
            .map_or(FetchAllOptions::default().max_retry_after, |s| Duration::from_secs(s.min(3600))),
        max_events: profile.max_events.unwrap_or(FetchAllOptions::default().max_events).max(1),
        lookup_source: profile
            .lookup_source
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| crate::api::client::DEFAULT_LOOKUP_SOURCE.to_string()),
        default_country_code: match profile.default_country_code.as_deref().map(country_code) {
            None => demo.then(|| DEMO_COUNTRY_CODE.to_string()),
            Some(Ok(cc)) => Some(cc),
            Some(Err(e)) => bail!(e),
        },
        notes_dir,
        look,
        warnings,
        out_of_range: out_of_range_said,
        origin_problem,
    })
}

/// The demo's customers have Indian mobiles.
pub const DEMO_COUNTRY_CODE: &str = "91";

/// A country code as configured: `91`, `+91` or `0091`, kept as its digits.
pub fn country_code(text: &str) -> Result<String, String> {
    let t = text.trim();
    let digits = t.strip_prefix('+').or_else(|| t.strip_prefix("00")).unwrap_or(t);
    if (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0') {
        Ok(digits.to_string())
    } else {
        Err(format!(
            "default_country_code \"{}\" is not a country code (1 to 3 digits, e.g. 91)",
            crate::sanitize::line(t)
        ))
    }
}

/// Events per page in the explorer unless the profile says otherwise.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Requests in flight at once during a fetch-all.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// A profile's quota when it names none: what a Capillary tenant usually allows.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 90;

/// A file holding a secret that group or others can read is refused, with
/// the fix.
#[cfg(unix)]
fn permission_problem(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds a password or secret and other users can read it (mode {:o}): run chmod 600 {0}, \
             or keep the secret in password_command or the keychain",
            path.display(),
            mode & 0o777
        )
    })
}

#[cfg(not(unix))]
fn permission_problem(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests;
