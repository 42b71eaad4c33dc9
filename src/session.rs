//! Turns resolved settings into a working client: starts the embedded demo
//! API when that is the target.

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
        let (base_url, demo, label) = match &settings.target {
            Target::Demo => {
                let server =
                    DemoServer::start(DemoOptions { offset_mode: settings.offset_mode, ..DemoOptions::default() })
                        .await?;
                (server.base_url(), Some(server), "DEMO".to_string())
            }
            Target::Remote(url) => {
                let label =
                    settings.profile_name.clone().unwrap_or_else(|| url.host_str().unwrap_or("remote").to_string());
                (url.clone(), None, label)
            }
        };
        let mut config = ClientConfig::new(base_url);
        config.credentials = if demo.is_some() { Default::default() } else { settings.credentials.clone() };
        config.offset_mode = settings.offset_mode;
        config.connect_timeout = settings.connect_timeout;
        config.timeout = settings.timeout;
        config.allow_insecure_http = settings.allow_insecure_http;
        Ok(Session { client: Client::new(config)?, demo, label })
    }
}
