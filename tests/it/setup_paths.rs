//! The setup paths against hostile servers and files: a body that never
//! ends (under a memory limit), a config that is a FIFO, a huge file of NUL
//! bytes, escape sequences in config values, a closed connection, doctor
//! with nothing to check.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::sandbox::{Sandbox, stderr, stdout};

fn config_path(sb: &Sandbox) -> std::path::PathBuf {
    let dir = sb.dir.join("config/target-events");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("config.toml")
}

use crate::common::raw_server as server;

/// Runs the binary under a limit of `mib` MiB of address space.
fn run_limited(sb: &Sandbox, mib: u64, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_target-events");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script =
        format!("ulimit -v {}; exec '{bin}' {} --log-file '{}'", mib * 1024, quoted.join(" "), sb.log().display());
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c").arg(script).env("HOME", &sb.dir).env("XDG_CONFIG_HOME", sb.dir.join("config"));
    for (k, _) in std::env::vars() {
        if k.starts_with("CAP_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied()).output().unwrap()
}

#[test]
fn doctor_reads_an_endless_body_under_the_cap_in_little_memory() {
    let base = server(|s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
        let chunk = vec![b'x'; 64 * 1024];
        // Never ends: stops only when the client goes.
        while s.write_all(&chunk).is_ok() {}
    });
    let sb = Sandbox::new("endless-body");
    let started = Instant::now();
    let o =
        run_limited(&sb, 2048, &["doctor"], &[("CAP_BASE_URL", &base), ("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]);
    let out = stdout(&o);
    assert!(out.contains("✓ TCP connect"), "{out}{}", stderr(&o));
    assert!(!stderr(&o).contains("memory allocation"), "{}", stderr(&o));
    assert!(o.status.code().is_some(), "ended by a signal (out of memory?): {o:?}");
    assert!(out.contains("check") || out.contains("All good"), "doctor finished its report: {out}");
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn a_config_that_is_a_fifo_is_refused_at_once_by_every_command() {
    let sb = Sandbox::new("config-fifo");
    let path = config_path(&sb);
    let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success());
    for args in [
        &["doctor"][..],
        &["profile", "list"],
        &["fetch", "--user-id", "1", "--rule-id", "1"],
        &["profile", "add", "x"],
    ] {
        let started = Instant::now();
        let mut child =
            sb.command(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            panic!("{args:?} hung on a FIFO");
        }
        let o = child.wait_with_output().unwrap();
        let said = format!("{}{}", stdout(&o), stderr(&o));
        assert!(said.contains("not a regular file"), "{args:?}: {said}");
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
    }
}

#[test]
fn a_huge_config_of_nul_bytes_is_refused_unread() {
    let sb = Sandbox::new("config-nul");
    let path = config_path(&sb);
    // 1.5 GB of NUL bytes, sparse: no disk is used.
    std::fs::File::create(&path).unwrap().set_len(1_500_000_000).unwrap();
    let started = Instant::now();
    let o = run_limited(&sb, 2048, &["profile", "list"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("1500000000 bytes: a config file is under 1024 KiB"), "{}", stderr(&o));
    assert!(started.elapsed() < Duration::from_secs(5));
    // Small, with NUL bytes: not text.
    std::fs::write(&path, b"[profiles.p]\0\0\n").unwrap();
    let o = sb.run(&["doctor"], &[]);
    assert!(stdout(&o).contains("holds NUL bytes"), "{}", stdout(&o));
}

#[test]
fn escape_sequences_in_config_values_never_reach_the_terminal() {
    let sb = Sandbox::new("config-escapes");
    let path = config_path(&sb);
    for text in [
        "[profiles.p]\nbase_url = \"\\u001b]0;pwned\\u0007\\u001b[2Jhttps://x\"\n",
        "[profiles.p]\ncluster = \"\\u001b[31meu\\u001b]52;c;aGk=\\u0007\"\n",
        "[profiles.p]\ncluster = \"eu\"\ndefault_country_code = \"\\u001b[2J91\"\n",
        "default_profile = \"\\u001b[2Jq\"\n[profiles.p]\ncluster = \"eu\"\n",
    ] {
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        for args in [&["doctor"][..], &["fetch", "--user-id", "1", "--rule-id", "1"], &["profile", "list"]] {
            let o = sb.run(args, &[]);
            let said = format!("{}{}", stdout(&o), stderr(&o));
            assert!(!said.contains('\u{1b}') && !said.contains('\u{7}'), "{args:?} {text}: {said:?}");
        }
    }
    // Asked for a profile of that name on the command line, too.
    let o = sb.run(&["--profile", "\u{1b}[2Jx", "doctor"], &[]);
    assert!(!format!("{}{}", stdout(&o), stderr(&o)).contains('\u{1b}'));
}

#[test]
fn a_closed_connection_is_not_a_host_that_could_not_be_found() {
    // Accepts, reads the request, closes: on the lookup URL, whose path has "lookup" in it.
    let base = server(|s| {
        let _ = s.shutdown(std::net::Shutdown::Both);
    });
    let sb = Sandbox::new("closed-connection");
    for args in [
        &["fetch", "--customer", "email:a@b.example", "--rule-id", "1"][..],
        &["fetch", "--user-id", "1", "--rule-id", "1"],
    ] {
        let o = sb.run(args, &[("CAP_BASE_URL", &base), ("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]);
        let err = stderr(&o);
        assert!(!err.contains("Could not find the host"), "{args:?}: {err}");
        assert!(err.contains("broke off"), "{args:?}: {err}");
    }
    // doctor says it as plainly.
    let o = sb.run(&["doctor"], &[("CAP_BASE_URL", &base), ("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]);
    let out = stdout(&o);
    assert!(out.contains("the server closed the connection without answering"), "{out}");
    assert!(!out.contains("Could not find the host") && !out.contains("SendRequest"), "{out}");
    // A name that resolves nowhere is the one that is said so.
    let o = sb.run(
        &["fetch", "--user-id", "1", "--rule-id", "1"],
        &[
            ("CAP_BASE_URL", "http://no-such-host.invalid"),
            ("CAP_USERNAME", "u"),
            ("CAP_PASSWORD", "p"),
            ("CAP_ALLOW_INSECURE_HTTP", "1"),
        ],
    );
    let err = stderr(&o);
    assert!(err.contains("Could not find the host") || err.contains("plain http"), "{err}");
}

#[test]
fn doctor_says_not_configured_where_there_is_nothing_to_check() {
    let base = server(|s| {
        let body = br#"{"data":null,"errors":[{"code":310011,"message":"Invalid userId"}],"warnings":null}"#;
        let head = format!(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes());
        let _ = s.write_all(body);
    });
    let sb = Sandbox::new("doctor-nothing");
    let o = sb.run(&["doctor"], &[("CAP_BASE_URL", &base)]);
    let out = stdout(&o);
    let line = out.lines().find(|l| l.contains("authentication")).unwrap_or_default();
    assert!(line.contains("not configured") && !line.contains("accepted") && !line.contains('✓'), "{out}");
}

#[test]
fn output_into_a_pipe_that_closes_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let sb = Sandbox::new("closed-pipe");
    for args in [&["--demo", "doctor"][..], &["profile", "list"], &["man", "fetch"], &["completions", "bash"]] {
        let mut child =
            sb.command(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // The reader goes before anything is written.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(o.status.success() || o.status.signal() == Some(13), "{args:?}: {:?} {err}", o.status);
    }
}

#[test]
fn the_explorer_without_a_terminal_says_what_to_use() {
    let sb = Sandbox::new("no-terminal");
    let o = sb.command(&["--demo"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the explorer needs a terminal") && stderr(&o).contains("fetch, explain or batch"));
}
