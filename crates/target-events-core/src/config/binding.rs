//! Which profile a pasted URL or cURL line belongs to: the one whose base URL
//! has exactly its origin. Credentials never follow a URL to another host.

use std::path::PathBuf;

use url::Url;

use super::{ConfigFile, Flags, Settings, origin_text};

/// A URL's origin meets no profile, or several: nothing is sent with
/// credentials until the user chooses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginProblem {
    NoProfile { origin: String },
    Ambiguous { origin: String, profiles: Vec<String> },
}

impl OriginProblem {
    pub fn sentence(&self) -> String {
        match self {
            OriginProblem::NoProfile { origin } => {
                format!("no profile for {origin} — choose one with --profile or add it to the config")
            }
            OriginProblem::Ambiguous { origin, profiles } => {
                format!("several profiles are for {origin} ({}) — choose one with --profile", profiles.join(", "))
            }
        }
    }

    /// The profiles worth offering: the ambiguous ones, else every profile.
    pub fn candidates(&self) -> Option<&[String]> {
        match self {
            OriginProblem::NoProfile { .. } => None,
            OriginProblem::Ambiguous { profiles, .. } => Some(profiles),
        }
    }
}

/// What a pasted URL is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlBinding {
    Profile(String),
    /// `CAP_BASE_URL`/`CAP_CLUSTER` has the URL's origin.
    Environment,
    Problem(OriginProblem),
}

/// Binds `url` to the profile with exactly its origin. `explicit` (the
/// `--profile` flag) is obeyed even for another origin: the request then goes
/// to that profile's host. `preferred` (`--profile`, `CAP_PROFILE`, else
/// `default_profile`) breaks a tie.
pub fn bind_url(
    file: Option<&ConfigFile>,
    env_base: Option<&Url>,
    preferred: Option<&str>,
    explicit: Option<&str>,
    url: &Url,
) -> anyhow::Result<UrlBinding> {
    if let Some(name) = explicit {
        return Ok(UrlBinding::Profile(name.to_string()));
    }
    let origin = url.origin();
    let mut matching = Vec::new();
    if let Some(f) = file {
        for (name, p) in &f.profiles {
            if p.base()?.is_some_and(|b| b.origin() == origin) {
                matching.push(name.clone());
            }
        }
    }
    let preferred = preferred.map(String::from).or_else(|| file.and_then(|f| f.default_profile.clone()));
    match matching.len() {
        1 => Ok(UrlBinding::Profile(matching.remove(0))),
        0 if env_base.is_some_and(|b| b.origin() == origin) => Ok(UrlBinding::Environment),
        0 => Ok(UrlBinding::Problem(OriginProblem::NoProfile { origin: origin_text(url) })),
        _ => match preferred.filter(|p| matching.contains(p)) {
            Some(p) => Ok(UrlBinding::Profile(p)),
            None => Ok(UrlBinding::Problem(OriginProblem::Ambiguous { origin: origin_text(url), profiles: matching })),
        },
    }
}

/// A profile the explorer can switch to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileChoice {
    pub name: String,
    /// Its origin, or why it has none.
    pub origin: String,
}

/// What is needed to resolve another profile later, from the explorer.
#[derive(Clone, Debug, Default)]
pub struct ProfileSource {
    pub file: Option<(PathBuf, ConfigFile)>,
    pub flags: Flags,
}

impl ProfileSource {
    pub fn choices(&self) -> Vec<ProfileChoice> {
        let Some((_, file)) = &self.file else { return Vec::new() };
        file.profiles
            .iter()
            .map(|(name, p)| ProfileChoice {
                name: name.clone(),
                origin: match p.base() {
                    Ok(Some(url)) => origin_text(&url),
                    Ok(None) => "(no base_url or cluster)".into(),
                    Err(e) => format!("({e})"),
                },
            })
            .collect()
    }

    /// The settings of profile `name`, as if given with `--profile`. Nobody
    /// can be prompted from the explorer, so a missing secret is an error.
    pub fn settings_for(&self, name: &str) -> anyhow::Result<Settings> {
        let flags = Flags { profile: Some(name.to_string()), url_base: None, ..self.flags.clone() };
        let file = self.file.as_ref().map(|(p, f)| (p.as_path(), f.clone()));
        let env = |k: &str| std::env::var(k).ok();
        let settings = super::resolve(file, &env, &flags, &|_| None)?;
        if settings.is_demo() {
            anyhow::bail!("profile \"{name}\" names no base_url or cluster");
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ConfigFile {
        toml::from_str(text).unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    const TWO_EU: &str = r#"
        default_profile = "eu-b"
        [profiles.eu-a]
        cluster = "eu"
        [profiles.eu-b]
        base_url = "https://eu.api.capillarytech.com"
        [profiles.local]
        base_url = "http://127.0.0.1:9000"
    "#;

    #[test]
    fn origin_means_scheme_host_and_port() {
        let f = file(TWO_EU);
        let bind = |u: &str| bind_url(Some(&f), None, None, None, &url(u)).unwrap();
        assert_eq!(bind("http://127.0.0.1:9000/v3/x"), UrlBinding::Profile("local".into()));
        // Another port, another scheme, a look-alike host: no profile.
        for other in ["http://127.0.0.1:9001/", "https://127.0.0.1:9000/", "https://eu.api.capillarytech.com.evil/"] {
            assert!(matches!(bind(other), UrlBinding::Problem(OriginProblem::NoProfile { .. })), "{other}");
        }
        // https's default port is the same origin.
        assert_eq!(bind("https://eu.api.capillarytech.com:443/v3"), UrlBinding::Profile("eu-b".into()));
    }

    #[test]
    fn of_two_matching_profiles_the_preferred_one_wins_else_the_user_is_asked() {
        let f = file(TWO_EU);
        let eu = url("https://eu.api.capillarytech.com/");
        assert_eq!(bind_url(Some(&f), None, Some("eu-a"), None, &eu).unwrap(), UrlBinding::Profile("eu-a".into()));
        // default_profile breaks the tie when nothing else does.
        assert_eq!(bind_url(Some(&f), None, None, None, &eu).unwrap(), UrlBinding::Profile("eu-b".into()));
        let mut no_default = f.clone();
        no_default.default_profile = None;
        match bind_url(Some(&no_default), None, None, None, &eu).unwrap() {
            UrlBinding::Problem(p @ OriginProblem::Ambiguous { .. }) => {
                assert!(p.sentence().contains("eu-a, eu-b"), "{}", p.sentence())
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_environment_binds_only_its_own_origin() {
        let env = url("https://proxy.example/api/");
        assert_eq!(
            bind_url(None, Some(&env), None, None, &url("https://proxy.example/v3/x")).unwrap(),
            UrlBinding::Environment
        );
        let other = bind_url(None, Some(&env), None, None, &url("https://other.example/v3/x")).unwrap();
        assert_eq!(other, UrlBinding::Problem(OriginProblem::NoProfile { origin: "https://other.example".into() }));
        assert_eq!(
            OriginProblem::NoProfile { origin: "https://other.example".into() }.sentence(),
            "no profile for https://other.example — choose one with --profile or add it to the config"
        );
    }
}
