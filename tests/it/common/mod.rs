//! Helpers shared by the integration tests.

pub mod sandbox;

use std::sync::Arc;
use std::time::Duration;

use target_events::api::auth::{Credentials, md5_hex};
use target_events::api::{Client, ClientConfig};
use target_events::demo::{Dataset, DemoAuth, DemoOptions, DemoServer};
use target_events::secret::Secret;

pub const USER: &str = "store123";
pub const PASSWORD: &str = "Pass123";
pub const OAUTH_KEY: &str = "demo-key";
pub const OAUTH_SECRET: &str = "hoqSBz6VwefECaZA8Q3oNx4V4H3pMDITksarZVES";

pub fn demo_auth(ttl: Duration) -> DemoAuth {
    DemoAuth {
        username: USER.into(),
        password_md5: md5_hex(PASSWORD),
        oauth_key: OAUTH_KEY.into(),
        oauth_secret: OAUTH_SECRET.into(),
        token_ttl: ttl,
    }
}

pub async fn server(auth: Option<DemoAuth>) -> DemoServer {
    DemoServer::start(DemoOptions { auth, ..DemoOptions::default() }).await.expect("demo server starts")
}

pub async fn server_with(dataset: Dataset) -> DemoServer {
    DemoServer::start(DemoOptions { dataset: Arc::new(dataset), ..DemoOptions::default() })
        .await
        .expect("demo server starts")
}

pub fn client(server: &DemoServer, credentials: Credentials) -> Client {
    let mut config = ClientConfig::new(server.base_url());
    config.credentials = credentials;
    config.timeout = Duration::from_secs(5);
    Client::new(config).expect("client builds")
}

pub fn basic() -> Credentials {
    Credentials::Basic { username: USER.into(), password: Secret::new(PASSWORD), password_is_md5: false }
}

pub fn oauth() -> Credentials {
    Credentials::OAuth { key: OAUTH_KEY.into(), secret: Secret::new(OAUTH_SECRET) }
}
pub mod harness;
pub mod pty;
pub mod scripted;

/// A server on loopback that reads each request's head, then does `answer`
/// with the connection (a connection each, so the TCP checks that send
/// nothing hold up no other). Its base URL, without a trailing slash.
pub fn raw_server(answer: impl Fn(&mut std::net::TcpStream) + Send + Sync + 'static) -> String {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let answer = std::sync::Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                if !head.is_empty() {
                    answer(&mut stream);
                }
            });
        }
    });
    format!("http://{addr}")
}
