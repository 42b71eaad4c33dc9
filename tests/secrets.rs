//! No secret — password, its MD5, OAuth secret, token — appears in any
//! error's Display or Debug, in the settings' Debug, on stdout or stderr, or in
//! the log file.

mod common;

use std::process::Command;
use std::time::Duration;

use target_events::api::auth::md5_hex;
use target_events::api::{Client, ClientConfig, EventsQuery};
use target_events::demo::Fault;

use common::*;

/// Every string that must never be printed. Demo tokens all start with this.
fn secrets() -> Vec<String> {
    vec![PASSWORD.to_string(), md5_hex(PASSWORD), OAUTH_SECRET.to_string(), "demo-token-".to_string()]
}

fn assert_clean(what: &str, text: &str) {
    for s in secrets() {
        assert!(!text.contains(&s), "{what} leaks {s:?}:\n{text}");
    }
}

fn q() -> EventsQuery {
    EventsQuery { user_id: 564332013, rule_id: 1986, period_id: None, limit: 10, page: 0 }
}

#[tokio::test]
async fn errors_never_show_a_secret() {
    let server = server(Some(demo_auth(Duration::from_secs(300)))).await;
    let faults = [
        Fault::Envelope { status: 401, code: 401, message: "Authentication failed".into() },
        Fault::Envelope { status: 498, code: 498, message: "Token expired".into() },
        Fault::Envelope { status: 403, code: 4000, message: "Access is denied".into() },
        Fault::Html503,
        Fault::Truncated,
        Fault::RateLimit { retry_after_secs: 1 },
    ];
    for creds in [basic(), oauth()] {
        let mut config = ClientConfig::new(server.base_url());
        config.credentials = creds.clone();
        config.timeout = Duration::from_millis(500);
        assert_clean("client config Debug", &format!("{config:?}"));
        let client = Client::new(config).unwrap();
        for fault in faults.iter().cloned().chain([Fault::Hang]) {
            server.with_faults(|p| {
                p.queue.clear();
                p.queue.push_back(fault.clone());
                // A rejected token is renewed once: fail the retry too.
                p.queue.push_back(fault.clone());
            });
            let e = client.events(&q()).await.unwrap_err();
            assert_clean("error Display", &e.to_string());
            assert_clean("error Debug", &format!("{e:?}"));
            assert_clean("error hint", &e.hint().unwrap_or_default());
        }
        // And the success path's metadata.
        server.with_faults(|p| p.queue.clear());
        let ok = client.events(&q()).await.unwrap();
        assert_clean("response meta", &format!("{:?}", ok.meta));
    }
}

#[test]
fn the_binary_never_prints_or_logs_a_secret() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(server(Some(demo_auth(Duration::from_secs(300)))));
    let base = server.base_url().to_string();
    let dir = std::env::temp_dir().join(format!("te-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("log.txt");
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("CAP_USERNAME", USER), ("CAP_PASSWORD", PASSWORD)],
        vec![("CAP_USERNAME", USER), ("CAP_PASSWORD", "wrong-password")],
        vec![("CAP_OAUTH_KEY", OAUTH_KEY), ("CAP_OAUTH_SECRET", OAUTH_SECRET)],
    ];
    for env in cases {
        for user in ["564332013", "1"] {
            let out = Command::new(env!("CARGO_BIN_EXE_target-events"))
                .args(["fetch", "--user-id", user, "--rule-id", "1986", "--format", "json", "--log-file"])
                .arg(&log)
                .env("HOME", &dir)
                .env("XDG_CONFIG_HOME", dir.join("config"))
                .env("CAP_BASE_URL", &base)
                .env("TARGET_EVENTS_LOG", "trace")
                .envs(env.iter().copied())
                .output()
                .unwrap();
            assert_clean("stdout", &String::from_utf8_lossy(&out.stdout));
            assert_clean("stderr", &String::from_utf8_lossy(&out.stderr));
        }
    }
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(log_text.contains("request done"), "the log should record requests:\n{log_text}");
    assert!(log_text.contains("request_id"), "the log should record request ids");
    assert_clean("log file", &log_text);
    std::fs::remove_dir_all(&dir).ok();
}
