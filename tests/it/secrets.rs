//! No secret — password, its MD5, OAuth secret, token — appears in any
//! error's Display or Debug, in the settings' Debug, on stdout or stderr, or in
//! the log file.

use std::process::Command;
use std::time::Duration;
use target_events::core::told::Told;

use target_events::api::auth::md5_hex;
use target_events::api::{Client, ClientConfig, EventsQuery};
use target_events::demo::Fault;

use crate::common::*;

/// Every string that must never be printed. Demo tokens all start with this.
fn secrets() -> Vec<String> {
    let basic = target_events::api::auth::basic_header(USER, &target_events::secret::Secret::new(PASSWORD), false);
    let encoded = basic.expose().trim_start_matches("Basic ").to_string();
    vec![PASSWORD.to_string(), md5_hex(PASSWORD), encoded, OAUTH_SECRET.to_string(), "demo-token-".to_string()]
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
            assert_clean("error hint", &e.remedy().map(|r| r.plain()).unwrap_or_default());
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

/// OSC 52 clipboard payloads in the terminal output, decoded.
fn clipboard_payloads(output: &str) -> Vec<String> {
    use base64::Engine;
    output
        .split("\x1b]52;c;")
        .skip(1)
        // The payload ends at BEL or at ST (ESC \\), whichever the terminal was sent.
        .filter_map(|rest| rest.split(['\x07', '\x1b']).next())
        .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// The TUI with known credentials: screens, clipboard, cURL copy, export,
/// log file and a panic message hold no secret.
fn tui_run_leaks_nothing(env: Vec<(&'static str, String)>, config: Option<String>) {
    use crate::common::pty::Session;
    let env: Vec<(&str, &str)> =
        env.iter().map(|(k, v)| (*k, v.as_str())).chain([("TARGET_EVENTS_DEBUG_PANIC", "1")]).collect();
    let mut s = Session::start_in(&[], &env, |dir| {
        if let Some(text) = &config {
            let path = dir.join("config/target-events/config.toml");
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            }
        }
    });
    s.wait_for("Type what the caller gives");
    s.send("564332013\t1986\r");
    s.wait_for("Page 1 of 1");
    s.send("y");
    s.wait_for("as JSON");
    s.send("\x1b");
    s.wait_gone("as JSON");
    s.send("c");
    s.wait_for("The query as cURL");
    s.send("\x1b");
    s.wait_gone("The query as cURL");
    s.send("x");
    s.wait_for("Export");
    s.send("\r");
    s.wait_for("Wrote 10 events");
    s.send("!");
    assert!(!s.wait_exit(), "the debug trigger panics");
    let output = s.output();
    assert!(output.contains("debug panic trigger pressed"), "the panic was captured");
    assert_clean("terminal output", &output);
    let payloads = clipboard_payloads(&output);
    assert_eq!(payloads.len(), 2, "the event and the cURL line went to the clipboard");
    assert!(payloads[1].starts_with("curl 'http"), "the cURL line, following no redirect");
    for p in &payloads {
        assert_clean("clipboard payload", p);
    }
    let log = std::fs::read_to_string(s.dir.join("log.txt")).unwrap();
    assert!(log.contains("request done"));
    assert_clean("log file", &log);
    let export = std::fs::read_to_string(s.dir.join("target-events-564332013-1986-page1.csv")).unwrap();
    assert_eq!(export.lines().count(), 11);
    assert_clean("export", &export);
}

#[test]
fn the_tui_never_shows_copies_exports_or_logs_a_secret_basic() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(server(Some(demo_auth(Duration::from_secs(300)))));
    let config = format!(
        "default_profile = \"tenant\"\n[profiles.tenant]\nbase_url = \"{}\"\nusername = \"{USER}\"\npassword = \"{PASSWORD}\"\n",
        server.base_url()
    );
    tui_run_leaks_nothing(vec![], Some(config));
    // The Basic header itself (base64 of the user and the MD5) never shows either.
    drop(server);
}

#[test]
fn the_tui_never_shows_copies_exports_or_logs_a_secret_oauth() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(server(Some(demo_auth(Duration::from_secs(300)))));
    let env = vec![
        ("CAP_BASE_URL", server.base_url().to_string()),
        ("CAP_OAUTH_KEY", OAUTH_KEY.to_string()),
        ("CAP_OAUTH_SECRET", OAUTH_SECRET.to_string()),
    ];
    tui_run_leaks_nothing(env, None);
    assert!(server.token_requests() >= 1, "a token was really used");
}
