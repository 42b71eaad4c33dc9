//! `doctor`, `profile add`/`list`, secrets from a command, and the CLI's
//! conventions, with the real binary: against the demo API and servers
//! built to be wrong (nothing listening, a self-signed certificate, a stall
//! after the headers, HTML, a wrong password or secret, a clock 10 minutes off).

use std::io::Write;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::common::{self, OAUTH_KEY, PASSWORD, USER};
use common::sandbox::{Sandbox, stderr, stdout};

/// Writes the sandbox's config file, private unless `mode` says otherwise.
fn config(sb: &Sandbox, text: &str, mode: u32) -> std::path::PathBuf {
    let dir = sb.dir.join("config/target-events");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    path
}

/// `doctor --format json`: the exit status and each check's mark by name.
fn doctor(sb: &Sandbox, env: &[(&str, &str)]) -> (i32, Value) {
    let o = sb.run(&["doctor", "--format", "json"], env);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), stderr(&o)));
    (o.status.code().unwrap_or(-1), v)
}

fn mark<'a>(report: &'a Value, name: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .map_or("absent", |c| c["mark"].as_str().unwrap())
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
}

/// A server that answers every request with `answer` (after reading the
/// request's head), then holds the connection open when `stall` says so.
fn raw_server(answer: impl Fn() -> Vec<u8> + Send + Sync + 'static, stall: bool) -> String {
    let base = common::raw_server(move |stream| {
        let _ = stream.write_all(&answer());
        if stall {
            std::thread::sleep(Duration::from_secs(30));
        }
    });
    format!("{base}/")
}

fn http_date(offset_secs: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::seconds(offset_secs)).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[test]
fn the_demo_passes_every_check() {
    let sb = Sandbox::new("doctor-demo");
    let o = sb.run(&["doctor", "--demo"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    for line in ["✓ config file", "✓ profile and origin", "✓ TCP connect", "✓ authentication", "✓ customer lookup"]
    {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(text.ends_with("All good.\n"), "{text}");
}

#[test]
fn a_profile_with_the_right_password_passes_and_the_wrong_one_fails_with_the_fix() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(Some(common::demo_auth(Duration::from_secs(600)))));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("doctor-auth");
    let path = config(
        &sb,
        &format!(
            "default_profile = \"t\"\n[profiles.t]\nbase_url = \"{base}\"\nusername = \"{USER}\"\n\
             password_command = \"printf '{PASSWORD}\\\\r\\\\n'\"\n[profiles.bad]\nbase_url = \"{base}\"\n\
             username = \"{USER}\"\npassword_command = \"printf 'wrong\\\\n'\"\n[profiles.oauth]\nbase_url = \"{base}\"\n\
             oauth_key = \"{OAUTH_KEY}\"\noauth_secret_command = \"echo not-the-secret\"\n"
        ),
        0o600,
    );
    let (code, report) = doctor(&sb, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(mark(&report, "config file"), "pass");
    assert!(check(&report, "profile and origin")["detail"].as_str().unwrap().contains("Basic auth as store123"));
    assert_eq!(mark(&report, "authentication"), "pass", "{report:#}");
    let text = report.to_string();
    assert!(!text.contains(PASSWORD) && !text.contains("wrong"), "no secret in the report");

    let o = sb.run(&["doctor", "--profile", "bad"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("✗ authentication"), "{out}");
    assert!(out.contains("→ check the username and password"), "the fix: {out}");
    assert!(!out.contains("wrong"), "{out}");

    let o = sb.run(&["doctor", "--profile", "oauth", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(mark(&v, "authentication"), "fail", "{v:#}");
    assert!(check(&v, "authentication")["fix"].as_str().unwrap().contains("OAuth"), "{v:#}");
    assert!(!stdout(&o).contains("not-the-secret"));

    // Another host than the profile's: its credentials stay home, and doctor says so.
    let o = sb.run(&["doctor", "--base-url", "http://127.0.0.1:9/", "--format", "json"], &[]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(mark(&v, "credentials"), "warn", "{v:#}");
    assert!(check(&v, "credentials")["detail"].as_str().unwrap().contains("are not sent to http://127.0.0.1:9"));

    // With the right secret, the token and its ttl.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("echo not-the-secret", &format!("echo {}", common::OAUTH_SECRET));
    config(&sb, &text, 0o600);
    let o = sb.run(&["doctor", "--profile", "oauth"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("OAuth token generated (ttl 600 s)"), "{}", stdout(&o));
}

#[test]
fn nothing_listening_fails_at_tcp_and_skips_the_rest() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sb = Sandbox::new("doctor-closed");
    let base = format!("http://127.0.0.1:{port}/");
    let (code, report) = doctor(&sb, &[("CAP_BASE_URL", &base), ("CAP_USERNAME", USER), ("CAP_PASSWORD", PASSWORD)]);
    assert_eq!(code, 1);
    assert_eq!(mark(&report, "DNS"), "pass");
    assert_eq!(mark(&report, "TCP connect"), "fail");
    assert!(check(&report, "TCP connect")["fix"].as_str().unwrap().contains("firewall"));
    assert_eq!(mark(&report, "authentication"), "skip");
}

#[test]
fn html_a_stall_and_a_clock_ten_minutes_off() {
    let sb = Sandbox::new("doctor-hostile");
    let creds = [("CAP_USERNAME", USER), ("CAP_PASSWORD", PASSWORD)];
    // A web page where the API should be.
    let html = raw_server(
        || {
            let body = "<html><body>Welcome to nginx</body></html>";
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        },
        false,
    );
    let (code, report) = doctor(&sb, &[&[("CAP_BASE_URL", html.as_str())][..], &creds].concat());
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(mark(&report, "authentication"), "fail", "{report:#}");
    assert!(
        check(&report, "authentication")["fix"].as_str().unwrap().contains("not as the Capillary API"),
        "{report:#}"
    );

    // Headers, then nothing: the timeout ends it.
    let stall = raw_server(|| b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"data\":".to_vec(), true);
    config(&sb, &format!("[profiles.s]\nbase_url = \"{stall}\"\ntimeout_secs = 2\n"), 0o600);
    let started = std::time::Instant::now();
    let (code, report) = doctor(&sb, &creds);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(mark(&report, "HTTP"), "fail", "{report:#}");
    assert!(
        check(&report, "HTTP")["detail"].as_str().unwrap().contains("sent its headers, then stopped"),
        "{report:#}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    std::fs::remove_file(sb.dir.join("config/target-events/config.toml")).unwrap();

    // The API's answer, with a Date ten minutes ahead: a warning, exit 0.
    let skewed = raw_server(
        || {
            let body = r#"{"data":null,"errors":[{"code":310011,"message":"Invalid userId"}],"warnings":null}"#;
            format!(
                "HTTP/1.1 400 Bad Request\r\nDate: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                http_date(600),
                body.len()
            )
            .into_bytes()
        },
        false,
    );
    let (code, report) = doctor(&sb, &[&[("CAP_BASE_URL", skewed.as_str())][..], &creds].concat());
    assert_eq!(code, 0, "a warning is no failure: {report:#}");
    assert_eq!(mark(&report, "clock"), "warn");
    let clock = check(&report, "clock");
    assert!(clock["detail"].as_str().unwrap().contains("behind the server's"), "{clock}");
    assert!(clock["fix"].as_str().unwrap().contains("NTP"), "{clock}");
}

/// A TLS server with the self-signed test certificate, answering like the API.
fn tls_server() -> String {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
    let certs = CertificateDer::pem_file_iter(format!("{dir}/cert.pem")).unwrap().map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/key.pem")).unwrap();
    let config =
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            listener.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    use tokio::io::AsyncWriteExt;
                    if let Ok(mut tls) = acceptor.accept(stream).await {
                        let _ = tls.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").await;
                    }
                });
            }
        });
    });
    format!("https://localhost:{}/", addr.port())
}

#[test]
fn a_self_signed_certificate_fails_at_tls_with_the_fix() {
    let base = tls_server();
    let sb = Sandbox::new("doctor-tls");
    let (code, report) = doctor(&sb, &[("CAP_BASE_URL", &base), ("CAP_USERNAME", USER), ("CAP_PASSWORD", PASSWORD)]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(mark(&report, "TCP connect"), "pass");
    assert_eq!(mark(&report, "TLS"), "fail", "{report:#}");
    let tls = check(&report, "TLS");
    assert!(tls["fix"].as_str().unwrap().contains("self-signed"), "{tls}");
    assert_eq!(mark(&report, "authentication"), "skip");
}

#[cfg(unix)]
#[test]
fn config_files_that_are_no_config_files() {
    let sb = Sandbox::new("doctor-files");
    // Readable by others with a password in it: refused, with the fix.
    config(&sb, "[profiles.p]\ncluster = \"eu\"\nusername = \"u\"\npassword = \"hunter2\"\n", 0o644);
    let o = sb.run(&["doctor"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("✗ config file") && stdout(&o).contains("chmod 600"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("hunter2"));
    let o = sb.run(&["fetch", "--user-id", "1", "--rule-id", "1"], &[]);
    assert_eq!(o.status.code(), Some(2), "every command refuses it");
    assert!(stderr(&o).contains("chmod 600"), "{}", stderr(&o));
    // A directory where the file should be.
    let path = sb.dir.join("config/target-events/config.toml");
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let o = sb.run(&["doctor"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("is a directory"), "{}", stdout(&o));
    std::fs::remove_dir(&path).unwrap();
    // A link to another user's file (only root can make one here).
    let other = sb.dir.join("theirs.toml");
    std::fs::write(&other, "[profiles.p]\ncluster = \"eu\"\n").unwrap();
    if std::os::unix::fs::chown(&other, Some(4321), None).is_ok() {
        std::os::unix::fs::symlink(&other, &path).unwrap();
        let o = sb.run(&["doctor"], &[]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).contains("belongs to another user"), "{}", stdout(&o));
    }
}

#[test]
fn a_secret_command_that_fails_hangs_or_prints_nothing_is_named_not_shown() {
    let sb = Sandbox::new("secret-commands");
    for (command, says) in [("echo leaked; exit 7", "the command failed (exit status 7)"), ("true", "printed nothing")]
    {
        config(
            &sb,
            &format!(
                "[profiles.p]\nbase_url = \"http://127.0.0.1:9/\"\nusername = \"u\"\npassword_command = \"{command}\"\n"
            ),
            0o600,
        );
        let o = sb.run(&["fetch", "--user-id", "1", "--rule-id", "1"], &[]);
        assert_eq!(o.status.code(), Some(2), "{command}");
        let err = stderr(&o);
        assert!(err.contains("the password of profile \"p\"") && err.contains(says), "{command}: {err}");
        assert!(!err.contains("leaked"), "{err}");
    }
}

#[test]
fn profile_add_writes_a_private_profile_then_checks_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(Some(common::demo_auth(Duration::from_secs(600)))));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("profile-add");
    // An existing file with a comment and another profile.
    let path = config(&sb, "# kept\n[profiles.other] # mine\ncluster = \"us\"\n", 0o600);
    let mut child = sb
        .command(&["profile", "add", "local"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Base URL, country code, basic, username, the secret typed, the secret.
    child.stdin.take().unwrap().write_all(format!("{base}\n91\n\n{USER}\nfile\n{PASSWORD}\n").as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("✓ authentication") && stdout(&o).contains("All good."), "doctor ran: {}", stdout(&o));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("default_profile = \"local\"") || text.contains("# kept"), "{text}");
    assert!(text.contains("# kept") && text.contains("[profiles.other] # mine"), "comments kept: {text}");
    assert!(text.contains("[profiles.local]") && text.contains(&format!("username = \"{USER}\"")), "{text}");
    assert!(text.contains("default_country_code = \"91\""), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Listed with origin and kind, never the secret.
    let o = sb.run(&["profile", "list"], &[]);
    let list = stdout(&o);
    assert!(list.contains("local") && list.contains("Basic, username store123, password in the file"), "{list}");
    assert!(list.contains("other  https://us.api.capillarytech.com  no credentials"), "{list}");
    assert!(!list.contains(PASSWORD), "{list}");
    // A second time: refused before any question.
    let o = sb.run(&["profile", "add", "local"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
}

#[test]
fn the_conventions_of_a_cli() {
    let sb = Sandbox::new("conventions");
    let o = sb.run(&["--version"], &[]);
    let version = stdout(&o);
    assert!(version.starts_with(&format!("target-events {} (", env!("CARGO_PKG_VERSION"))), "{version}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = sb.run(&["completions", shell], &[]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("TARGET_EVENTS_COMPLETE"), "{shell}: the script asks the binary");
    }
    let o = sb.run(&["man"], &[]);
    assert!(stdout(&o).starts_with(".ie") && stdout(&o).contains(".TH TARGET-EVENTS 1"), "{}", stdout(&o));
    let o = sb.run(&["fecth", "--user-id", "1"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(!err.contains("no http(s) URL found"), "{err}");
    assert!(err.contains("fetch") && err.contains("doctor"), "names the subcommands: {err}");
    let o = sb.run(&["nonsense"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"nonsense\" is neither a subcommand nor a URL"), "{}", stderr(&o));
    // Global flags before or after the subcommand.
    for args in [&["--demo", "doctor"][..], &["doctor", "--demo"][..]] {
        assert_eq!(sb.run(args, &[]).status.code(), Some(0), "{args:?}");
    }
}

/// `profile add` in a terminal against a server that takes one password:
/// a typo at the first question is asked again, a wrong password is refused
/// before anything is written (the file's other profile untouched), the
/// right one is written with the country code the answers gave.
#[test]
fn profile_add_in_a_terminal_asks_again_after_a_typo_and_a_refused_password() {
    use crate::common::pty::Session;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(Some(common::demo_auth(Duration::from_secs(600)))));
    let base = server.base_url().to_string();
    let original = "# mine\n[profiles.other]\ncluster = \"us\"\n";
    let mut s = Session::start_in(&["profile", "add", "local"], &[], |dir| {
        let d = dir.join("config/target-events");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("config.toml"), original).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.join("config.toml"), std::fs::Permissions::from_mode(0o600)).unwrap();
    });
    let path = s.dir.join("config/target-events/config.toml");
    s.wait_for("or base URL:");
    s.send("htps//typo\r");
    s.wait_for("try again");
    s.send(&format!("{base}\r"));
    s.wait_for("Default country code");
    s.send("91\r");
    s.wait_for("Authentication, basic");
    s.send("\r");
    s.wait_for("Username:");
    s.send(&format!("{USER}\r"));
    s.wait_for("come from");
    s.send("\r");
    s.wait_for("(not shown):");
    s.send("not-the-password\r");
    s.wait_for("the server refused them");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original, "nothing written after a refusal");
    assert!(!s.screen().contains("not-the-password"), "the secret is not echoed");
    s.wait_for(&format!("Username [{USER}]:"));
    s.send("\r");
    // The secret again, the same way (typed, not echoed): not where it comes from.
    s.wait_for("The password again (not shown):");
    s.send(&format!("{PASSWORD}\r"));
    s.wait_for("accepted");
    s.wait_for("Wrote profile \"local\"");
    assert!(s.wait_exit(), "{}", s.screen());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# mine\n[profiles.other]\ncluster = \"us\""), "{text}");
    assert!(text.contains("[profiles.local]") && text.contains("default_country_code = \"91\""), "{text}");
    assert!(text.contains(&format!("password = \"{PASSWORD}\"")), "{text}");
    assert!(!text.contains("not-the-password"), "{text}");
}

/// Ctrl-C at `profile add`'s secret (echo off) puts the terminal back and
/// says nothing was written; the shell that ran it echoes again.
#[test]
fn ctrl_c_at_the_secret_leaves_the_terminal_as_it_was() {
    use crate::common::pty::Session;
    let bin = env!("CARGO_BIN_EXE_target-events");
    let script = format!(
        "'{bin}' profile add x --log-file /dev/null; echo \"status $?\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\?echo'; echo stty-read"
    );
    let mut s = Session::start_program("sh", &["-c", &script], &[], |_| {}, false);
    s.wait_for("or base URL:");
    s.send("http://127.0.0.1:9\r");
    s.wait_for("Default country code");
    s.send("\r");
    s.wait_for("Authentication");
    s.send("\r");
    s.wait_for("Username:");
    s.send("u\r");
    s.wait_for("come from");
    s.send("\r");
    s.wait_for("(not shown):");
    s.send("abc\x03");
    s.wait_for("Nothing was written.");
    s.wait_for("status 130");
    // What stty says is in before it is read.
    s.wait_for("stty-read");
    let screen = s.screen();
    let after = &screen[screen.find("status 130").unwrap()..];
    assert!(after.lines().any(|l| l.trim() == "echo"), "echo is back on: {after}");
    assert!(!after.lines().any(|l| l.trim() == "-echo"), "{after}");
}
