//! Turns resolved settings into a working client: starts the embedded demo
//! API when that is the target.

use crate::api::auth::Credentials;
use crate::api::{Client, ClientConfig};
use crate::config::{Settings, Target};
use crate::demo::{DemoOptions, DemoServer};

pub struct Session {
    pub client: Client,
    /// Kept alive while the session lives; `Some` when on the demo API.
    pub demo: Option<DemoServer>,
    /// Shown in the status line: "DEMO", the profile or the host.
    pub label: String,
}

impl Session {
    pub async fn open(settings: &Settings) -> anyhow::Result<Session> {
        match &settings.target {
            Target::Demo => {
                let server = DemoServer::start(DemoOptions {
                    offset_mode: settings.offset_mode,
                    live: true,
                    ..DemoOptions::default()
                })
                .await?;
                let client = client_for(settings, server.base_url(), Credentials::None)?;
                Ok(Session { client, demo: Some(server), label: "DEMO".into() })
            }
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
    Client::new(config)
}

/// The client of a remote profile, and the label the status line shows.
pub fn remote_client(settings: &Settings) -> anyhow::Result<(Client, String)> {
    let Target::Remote(url) = &settings.target else { anyhow::bail!("the profile names no API host") };
    let label = settings.profile_name.clone().unwrap_or_else(|| url.host_str().unwrap_or("remote").to_string());
    Ok((client_for(settings, url.clone(), settings.credentials.clone())?, label))
}
