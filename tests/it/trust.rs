//! Servers the project has not seen: credentials never leave their origin,
//! redirects are not followed away from it, no server number panics, hangs
//! or exhausts the client, and 4xx answers are the client's errors.

use crate::common;
use target_events::core::told::Told;

use std::sync::Arc;
use std::time::Duration;

use crate::common::scripted::{Scripted, events_page, json, redirect};
use target_events::api::auth::Credentials;
use target_events::api::fetch_all::{FetchAllOptions, Stopped, fetch_all};
use target_events::api::{Client, ClientConfig, ErrorKind, EventsQuery};
use target_events::secret::Secret;

fn query() -> EventsQuery {
    EventsQuery { user_id: 1, rule_id: 2, period_id: None, limit: 5, page: 0 }
}

fn client_at(base: &str, credentials: Credentials) -> Client {
    let mut config = ClientConfig::new(base.parse().unwrap());
    config.credentials = credentials;
    config.timeout = Duration::from_secs(5);
    Client::new(config).unwrap()
}

fn basic() -> Credentials {
    Credentials::Basic { username: "till".into(), password: Secret::new("Sup3rS3cret!"), password_is_md5: false }
}

fn oauth() -> Credentials {
    Credentials::OAuth { key: "the-key".into(), secret: Secret::new("the-oauth-secret") }
}

/// No request that reached `server` carried a credential, in a header or a body.
fn assert_no_credentials(server: &Scripted) {
    for r in server.recorded() {
        let all = format!("{}\n{}", r.head, r.body).to_ascii_lowercase();
        for secret in ["authorization", "x-cap-api-oauth-token", "the-oauth-secret", "the-key", "sup3rs3cret"] {
            assert!(!all.contains(secret), "{secret} reached the other origin:\n{all}");
        }
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_names_where_it_pointed() {
    let elsewhere = Scripted::start(|_, _| json(200, "", &events_page(1, 1, Some(1))));
    let target = format!("{}v3/users/1/trackedTargetEvents/2", elsewhere.base());
    for status in [301, 302, 307, 308] {
        let to = target.clone();
        let api = Scripted::start(move |r, _| match r.path() {
            p if p.starts_with("/v3/oauth") => json(200, "", r#"{"data":{"accessToken":"tok-123","ttlSeconds":300}}"#),
            _ => redirect(status, &to),
        });
        for credentials in [basic(), oauth()] {
            let e = client_at(&api.base(), credentials).events(&query()).await.unwrap_err();
            assert!(matches!(&e.kind, ErrorKind::Redirected { location } if location == &target), "{e:?}");
            assert_eq!(e.status, Some(status));
            assert!(e.sentence().contains(&target), "{}", e.sentence());
            assert!(!e.is_transient());
        }
    }
    assert!(elsewhere.recorded().is_empty(), "nothing reached the redirect's origin");
}

#[tokio::test]
async fn the_token_request_is_not_re_posted_to_another_origin() {
    let elsewhere = Scripted::start(|_, _| json(200, "", r#"{"data":{"accessToken":"stolen","ttlSeconds":300}}"#));
    let to = format!("{}v3/oauth/token/generate", elsewhere.base());
    let api = Scripted::start(move |_, _| redirect(307, &to));
    let e = client_at(&api.base(), oauth()).events(&query()).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Redirected { .. }), "{e:?}");
    assert!(elsewhere.recorded().is_empty());
    assert_no_credentials(&elsewhere);
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_but_not_a_downgrade() {
    let api = Scripted::start(|r, _| {
        if r.path().starts_with("/old/") {
            redirect(302, &r.path().replacen("/old/", "/", 1))
        } else {
            json(200, "", &events_page(1, 2, Some(2)))
        }
    });
    let page = client_at(&format!("{}old/", api.base()), basic()).events(&query()).await.unwrap();
    assert!(matches!(page.value, target_events::api::EventsOutcome::Page(ref p) if p.events.len() == 2));
    // Both requests carried the credentials: they went to the same origin.
    assert!(api.recorded().iter().all(|r| r.header("authorization").is_some()));
}

#[tokio::test]
async fn a_4xx_without_an_envelope_is_the_clients_error_and_is_not_retried() {
    for status in [400, 405, 422] {
        let api = Scripted::start(move |_, _| {
            format!("HTTP/1.1 {status} X\r\nContent-Type: text/html\r\nContent-Length: 16\r\n\r\n<html>nope</html")
        });
        let options = FetchAllOptions { backoff: Duration::from_millis(1), ..FetchAllOptions::default() };
        let e = fetch_all(&client_at(&api.base(), Credentials::None), query(), options, Arc::new(|_| {}))
            .await
            .unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Rejected { .. }), "{e:?}");
        assert!(e.sentence().starts_with("The server refused the request"), "{}", e.sentence());
        assert_eq!(api.recorded().len(), 1, "HTTP {status} is not retried");
    }
    // 408 is worth another try.
    let api =
        Scripted::start(|_, n| if n == 0 { json(408, "", "") } else { json(200, "", &events_page(1, 1, Some(1))) });
    let options = FetchAllOptions { backoff: Duration::from_millis(1), ..FetchAllOptions::default() };
    let all = fetch_all(&client_at(&api.base(), Credentials::None), query(), options, Arc::new(|_| {})).await.unwrap();
    assert_eq!(all.events.len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_fails_the_page_at_once_naming_the_wait() {
    let api = Scripted::start(|_, _| json(429, "Retry-After: 18446744073709551615\r\n", ""));
    let started = std::time::Instant::now();
    let e =
        fetch_all(&client_at(&api.base(), Credentials::None), query(), FetchAllOptions::default(), Arc::new(|_| {}))
            .await
            .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(e.sentence().contains("18446744073709551615 s"), "{}", e.sentence());
    assert_eq!(api.recorded().len(), 1);
    // A later page asking for too long a wait is a missing page, not a stall.
    let api = Scripted::start(|_, n| match n {
        0 => json(200, "", &events_page(1, 5, Some(10))),
        _ => json(429, "Retry-After: 3600\r\n", ""),
    });
    let all = fetch_all(
        &client_at(&api.base(), Credentials::None),
        query(),
        FetchAllOptions { limit: 5, ..Default::default() },
        Arc::new(|_| {}),
    )
    .await
    .unwrap();
    assert_eq!(all.missing.len(), 1);
    assert_eq!(all.events.len(), 5);
}

#[tokio::test]
async fn an_endless_token_ttl_does_not_panic() {
    let api = Scripted::start(|r, _| {
        if r.path().starts_with("/v3/oauth") {
            json(200, "", r#"{"data":{"accessToken":"tok","ttlSeconds":18446744073709551615}}"#)
        } else {
            json(200, "", &events_page(1, 1, Some(1)))
        }
    });
    let client = client_at(&api.base(), oauth());
    client.events(&query()).await.unwrap();
    client.events(&query()).await.unwrap();
    assert_eq!(api.recorded().iter().filter(|r| r.path().starts_with("/v3/oauth")).count(), 1);
}

#[tokio::test]
async fn a_server_repeating_the_same_full_page_is_stopped_and_said() {
    let api = Scripted::start(|_, _| json(200, "", &events_page(1, 5, None)));
    let opts = FetchAllOptions { limit: 5, ..FetchAllOptions::default() };
    let all = fetch_all(&client_at(&api.base(), Credentials::None), query(), opts, Arc::new(|_| {})).await.unwrap();
    assert_eq!(all.events.len(), 5);
    assert!(matches!(all.stopped, Some(Stopped::NoProgress { .. })), "{:?}", all.stopped);
    assert!(!all.is_complete());
    assert!(api.recorded().len() <= 1 + opts.concurrency, "{} requests", api.recorded().len());
}

#[tokio::test]
async fn a_total_of_ten_to_the_twelve_stops_at_the_cap() {
    // Every page is full and new: only the cap can end it.
    let api = Scripted::start(|r, _| {
        let offset: i64 = r.path().split("offset=").nth(1).and_then(|o| o.parse().ok()).unwrap_or(0);
        json(200, "", &events_page(offset * 100 + 1, 100, Some(1_000_000_000_000)))
    });
    let opts = FetchAllOptions { limit: 100, max_events: 1_000, concurrency: 4, ..FetchAllOptions::default() };
    let progress_pages = Arc::new(std::sync::Mutex::new(0u32));
    let seen = progress_pages.clone();
    let progress = Arc::new(move |p| {
        if let target_events::api::fetch_all::Progress::Planned { pages, .. } = p {
            *seen.lock().unwrap() = pages;
        }
    });
    let all = fetch_all(&client_at(&api.base(), Credentials::None), query(), opts, progress).await.unwrap();
    assert_eq!(all.events.len(), 1_000);
    assert_eq!(all.stopped, Some(Stopped::Cap { max_events: 1_000 }));
    assert_eq!(api.recorded().len(), 10);
    assert_eq!(*progress_pages.lock().unwrap(), 10, "the plan never lists 10^10 pages");
}

/// The real binary with a config file (and nothing from this process's CAP_*).
fn run_binary(dir: &std::path::Path, config: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::fs::create_dir_all(dir).unwrap();
    let config_path = dir.join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_target-events"));
    cmd.arg("--config").arg(&config_path).arg("--log-file").arg(dir.join("log.txt"));
    cmd.args(args).env("HOME", dir).env("XDG_STATE_HOME", dir.join("state"));
    for (k, _) in std::env::vars() {
        if k.starts_with("CAP_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn sandbox(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("te-trust-{name}-{}", std::process::id()))
}

#[test]
fn a_pasted_url_on_an_unknown_origin_gets_no_credentials_and_headless_exits_2() {
    let listener = Scripted::start(|_, _| json(200, "", &events_page(1, 1, Some(1))));
    let url = format!("{}v3/users/1/trackedTargetEvents/2?limit=5&offset=0", listener.base());
    let curl = format!("curl --location '{url}' --header 'Authorization: Basic eHg6eXk='");
    let dir = sandbox("unknown-origin");
    let eu_only = "[profiles.eu]\ncluster = \"eu\"\nusername = \"till\"\npassword = \"Sup3rS3cret!\"\n";
    let env_creds = [
        ("CAP_BASE_URL", "https://eu.api.capillarytech.com"),
        ("CAP_USERNAME", "till"),
        ("CAP_PASSWORD", "Sup3rS3cret!"),
    ];
    for (config, env) in [(eu_only, &[][..]), ("", &env_creds[..])] {
        for text in [&url, &curl] {
            let o = run_binary(&dir, config, &["fetch", text.as_str()], env);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{err}");
            assert!(
                err.contains(&format!(
                    "no profile for http://127.0.0.1:{} — choose one with --profile or add it to the config",
                    listener.port
                )),
                "{err}"
            );
        }
    }
    assert!(listener.recorded().is_empty(), "no request left before the origin check");
    // With a profile on exactly that origin, its credentials go there.
    let config =
        format!("[profiles.local]\nbase_url = \"{}\"\nusername = \"till\"\npassword = \"pw\"\n", listener.base());
    let o = run_binary(&dir, &config, &["fetch", &url], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let seen = listener.recorded();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].header("authorization").is_some_and(|h| h.starts_with("Basic ")));
    // A user@host URL is refused outright.
    let spoof =
        format!("https://eu.api.capillarytech.com@127.0.0.1:{}/v3/users/1/trackedTargetEvents/2", listener.port);
    let o = run_binary(&dir, eu_only, &["fetch", &spoof], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("user@host"));
    assert_eq!(listener.recorded().len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn two_profiles_on_one_origin_need_a_choice_headless() {
    let listener = Scripted::start(|_, _| json(200, "", &events_page(1, 1, Some(1))));
    let url = format!("{}v3/users/1/trackedTargetEvents/2", listener.base());
    let dir = sandbox("two-profiles");
    let config = format!(
        "[profiles.a]\nbase_url = \"{b}\"\nusername = \"user-a\"\npassword = \"pa\"\n[profiles.b]\nbase_url = \"{b}\"\nusername = \"user-b\"\npassword = \"pb\"\n",
        b = listener.base()
    );
    let o = run_binary(&dir, &config, &["fetch", &url], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("several profiles are for"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(listener.recorded().is_empty());
    let o = run_binary(&dir, &config, &["fetch", &url, "--profile", "b"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let auth = listener.recorded()[0].header("authorization").unwrap().to_string();
    let decoded = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.decode(auth.trim_start_matches("Basic ")).unwrap()
    };
    assert!(String::from_utf8_lossy(&decoded).starts_with("user-b:"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn global_flags_work_before_the_subcommand() {
    let dir = sandbox("global-flags");
    let o = run_binary(&dir, "", &["--demo", "fetch", "--user-id", "564332013", "--rule-id", "1986"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("ADD_TRANSACTION"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_config_syntax_error_never_prints_the_line() {
    let dir = sandbox("config-error");
    let o = run_binary(
        &dir,
        "[profiles.p]\ncluster = \"eu\"\npasword = \"Sup3rS3cret!\n",
        &["fetch", "--user-id", "1", "--rule-id", "2"],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("line 3") && !err.contains("Sup3rS3cret"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_copied_curl_line_works_as_pasted_for_every_kind_of_auth() {
    use target_events::api::auth::md5_hex;
    use target_events::core::case_note::curl_command;
    use target_events::core::case_note::{AuthKind, ConnectionInfo};
    let server = common::server(Some(common::demo_auth(Duration::from_secs(300)))).await;
    let q = EventsQuery { user_id: 564332013, rule_id: 1986, period_id: Some(9889), limit: 5, page: 0 };
    let md5 = md5_hex(common::PASSWORD).to_uppercase();
    let cases: [(AuthKind, Vec<(&str, &str)>); 3] = [
        (AuthKind::Basic, vec![("CAP_USERNAME", common::USER), ("CAP_PASSWORD", common::PASSWORD)]),
        (AuthKind::BasicMd5, vec![("CAP_USERNAME", common::USER), ("CAP_PASSWORD", &md5)]),
        (AuthKind::OAuth, vec![("CAP_OAUTH_KEY", common::OAUTH_KEY), ("CAP_OAUTH_SECRET", common::OAUTH_SECRET)]),
    ];
    for (auth, env) in cases {
        let conn = ConnectionInfo { base_url: server.base_url(), auth, ..ConnectionInfo::default() };
        let command = curl_command(&conn, &q);
        assert!(!command.contains("--location") && !command.contains(" -L"), "never follows redirects: {command}");
        let mut sh = std::process::Command::new("bash");
        sh.arg("-c").arg(format!("{command} --silent --show-error"));
        for (k, _) in std::env::vars() {
            if k.starts_with("CAP_") {
                sh.env_remove(k);
            }
        }
        sh.envs(env.iter().copied());
        let out = tokio::task::spawn_blocking(move || sh.output()).await.unwrap().expect("bash and curl are installed");
        let body = String::from_utf8_lossy(&out.stdout);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{auth:?}: {body}"));
        assert_eq!(v["data"].as_array().map(Vec::len), Some(2), "{auth:?}: {body}");
    }
}

#[tokio::test]
async fn a_last_page_that_arrives_first_does_not_extend_an_exact_total() {
    // 4 full pages and a total of 400: the last page answers at once, the
    // others late, so it arrives before the count is complete.
    let api = Scripted::start(|r, _| {
        let offset: i64 = r.path().split("offset=").nth(1).and_then(|o| o.parse().ok()).unwrap_or(0);
        if (1..3).contains(&offset) {
            std::thread::sleep(Duration::from_millis(100));
        }
        json(200, "", &events_page(offset * 100 + 1, 100, Some(400)))
    });
    let opts = FetchAllOptions { limit: 100, ..FetchAllOptions::default() };
    let all = fetch_all(&client_at(&api.base(), Credentials::None), query(), opts, Arc::new(|_| {})).await.unwrap();
    assert_eq!((all.pages, all.events.len()), (4, 400));
    assert!(all.is_complete());
    assert_eq!(api.recorded().len(), 4, "no page past the total was asked for");
}

#[test]
fn headless_output_never_replaces_a_file_without_force() {
    let dir = sandbox("force");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("events.csv");
    std::fs::write(&out, "keep me").unwrap();
    let args = ["--demo", "fetch", "--user-id", "564332013", "--rule-id", "1986", "--format", "csv", "--output"];
    let mut with_out: Vec<&str> = args.to_vec();
    let out_text = out.to_str().unwrap().to_string();
    with_out.push(&out_text);
    let o = run_binary(&dir, "", &with_out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    with_out.push("--force");
    let o = run_binary(&dir, "", &with_out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("eventDate,"));
    // A new file is private to the user.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let fresh = dir.join("fresh.csv");
        let mut args = args.to_vec();
        let fresh_text = fresh.to_str().unwrap().to_string();
        args.push(&fresh_text);
        assert_eq!(run_binary(&dir, "", &args, &[]).status.code(), Some(0));
        assert_eq!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn fetch_watch_prints_an_event_added_between_polls() {
    // The first poll sees two events; from the second on, a third is there.
    let api = Scripted::start(|_, n| {
        let count = if n == 0 { 2 } else { 3 };
        json(200, "", &events_page(1, count, Some(count as u64)))
    });
    let dir = sandbox("watch");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_target-events"))
        .args(["--log-file", dir.join("log.txt").to_str().unwrap()])
        .args(["fetch", "--watch", "--interval", "2", "--user-id", "1", "--rule-id", "2", "--limit", "50"])
        .env("CAP_BASE_URL", api.base())
        .env("HOME", &dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Two polls at least: the baseline, then one after the 2 s interval.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while api.recorded().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the new event, once: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["eventLogId"], 3);
    assert!(api.recorded().len() >= 2);
    std::fs::remove_dir_all(&dir).ok();
}
