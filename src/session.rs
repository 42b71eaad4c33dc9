//! Turns resolved settings into a working client: starts the embedded demo
//! API when that is the target.

use crate::api::auth::Credentials;
use crate::api::{Client, ClientConfig};
use crate::config::{self, ProfileSource, Settings, Target};
use crate::secret::Secret;

/// The embedded demo API, kept alive while a session on it lives.
#[cfg(feature = "demo")]
pub type DemoHandle = crate::demo::DemoServer;
/// A build without the `demo` feature has no demo API to hold.
#[cfg(not(feature = "demo"))]
pub enum DemoHandle {}

pub struct Session {
    pub client: Client,
    /// Kept alive while the session lives; `Some` when on the demo API.
    pub demo: Option<DemoHandle>,
    /// Shown in the status line: "DEMO", the profile or the host.
    pub label: String,
}

impl Session {
    pub async fn open(settings: &Settings) -> anyhow::Result<Session> {
        match &settings.target {
            #[cfg(feature = "demo")]
            Target::Demo => {
                let server = crate::demo::DemoServer::start(crate::demo::DemoOptions {
                    offset_mode: settings.offset_mode,
                    live: true,
                    ..crate::demo::DemoOptions::default()
                })
                .await?;
                let client = client_for(settings, server.base_url(), Credentials::None)?;
                Ok(Session { client, demo: Some(server), label: "DEMO".into() })
            }
            #[cfg(not(feature = "demo"))]
            Target::Demo => anyhow::bail!(
                "this build has no demo API (it was built without the `demo` feature): \
                 add a tenant's profile with `target-events profile add`"
            ),
            Target::Remote(_) => {
                let (client, label) = remote_client(settings)?;
                Ok(Session { client, demo: None, label })
            }
        }
    }
}

/// The client for `settings`, pointed at `base_url` with `credentials`.
pub fn client_for(settings: &Settings, base_url: url::Url, credentials: Credentials) -> anyhow::Result<Client> {
    let mut config = ClientConfig::new(base_url);
    config.credentials = credentials;
    config.offset_mode = settings.offset_mode;
    config.connect_timeout = settings.connect_timeout;
    config.timeout = settings.timeout;
    config.allow_insecure_http = settings.allow_insecure_http;
    config.lookup_source = settings.lookup_source.clone();
    config.requests_per_minute = Some(settings.requests_per_minute);
    // A URL's origin no profile owns: nothing is sent until one is chosen.
    config.unowned = settings.origin_problem.is_some();
    Client::new(config)
}

/// The client of a remote profile, and the label the status line shows.
pub fn remote_client(settings: &Settings) -> anyhow::Result<(Client, String)> {
    let Target::Remote(url) = &settings.target else { anyhow::bail!("the profile names no API host") };
    let label = settings.profile_name.clone().unwrap_or_else(|| url.host_str().unwrap_or("remote").to_string());
    Ok((client_for(settings, url.clone(), settings.credentials.clone())?, label))
}

/// The settings every command uses: the config file (the flag's or the
/// platform's), the environment and the flags, a URL's origin picking the
/// profile; a missing password is asked for when a terminal can answer.
pub fn resolve_settings(
    connection: &crate::cli::ConnectionArgs,
    url: Option<&crate::query_url::QueryUrl>,
) -> anyhow::Result<(config::Settings, ProfileSource)> {
    let mut flags = connection.flags();
    flags.url_base = url.map(|u| u.base.clone());
    let path = flags.config.clone().or_else(config::default_config_path);
    let file = match &path {
        Some(p) => config::load_file(p)?.map(|f| (p.clone(), f)),
        None => None,
    };
    let env = |k: &str| std::env::var(k).ok();
    let prompt = |question: &str| -> Option<Secret> {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return None;
        }
        crate::interrupt::restore_terminal_on_interrupt("Nothing was sent.\n");
        let answer = rpassword::prompt_password(question).ok().filter(|p| !p.is_empty()).map(Secret::new);
        crate::interrupt::answered();
        answer
    };
    let settings = config::resolve(file.as_ref().map(|(p, f)| (p.as_path(), f.clone())), &env, &flags, &prompt)?;
    Ok((settings, ProfileSource { file, flags }))
}
