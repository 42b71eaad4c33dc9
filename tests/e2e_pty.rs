//! The real binary in a pseudo-terminal against its embedded demo API: type a
//! query, page forward and back, open and close help, quit; read the screen
//! through a terminal emulator and check the terminal was restored.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    dir: std::path::PathBuf,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        Session::start_with_env(args, &[])
    }

    fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Session {
        let pty =
            native_pty_system().openpty(PtySize { rows: 36, cols: 120, pixel_width: 0, pixel_height: 0 }).unwrap();
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("te-e2e-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_target-events"));
        cmd.args(args);
        cmd.arg("--log-file");
        cmd.arg(dir.join("log.txt"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("RUST_BACKTRACE");
        cmd.env("HOME", &dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        for (k, _) in std::env::vars() {
            if k.starts_with("CAP_") {
                cmd.env_remove(k);
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(36).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let _keep_master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session { parser, raw, writer, child, dir }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; the screen was:\n{}", self.screen());
    }

    fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} stayed; the screen was:\n{}", self.screen());
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn query_page_help_quit_in_a_real_terminal() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Type a customer id and a target rule id");
    s.wait_for("DEMO");
    assert!(s.parser.lock().unwrap().screen().alternate_screen(), "the app draws on the alternate screen");

    s.send("712004518\t2410\r");
    s.wait_for("Page 1 of 132");
    s.wait_for("events 1–10 of 1317");

    s.send("n");
    s.wait_for("Page 2 of 132");
    s.send("n");
    s.wait_for("Page 3 of 132");
    s.send("p");
    s.wait_for("Page 2 of 132");
    s.wait_for("events 11–20 of 1317");

    s.send("?");
    s.wait_for("Esc or ? closes");
    s.send("\x1b");
    s.wait_gone("Esc or ? closes");

    s.send("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    // Let the reader take the last bytes.
    std::thread::sleep(Duration::from_millis(200));
    let parser = s.parser.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "the terminal left the alternate screen");
    let raw = s.raw.lock().unwrap();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(tail.contains("\x1b[?1049l"), "leave-alternate-screen was sent last: {tail:?}");
    assert!(tail.contains("\x1b[?1000l"), "mouse capture was turned off: {tail:?}");
}

#[test]
fn a_panic_restores_the_terminal_and_says_where_the_log_is() {
    let mut s = Session::start_with_env(&["--demo"], &[("TARGET_EVENTS_DEBUG_PANIC", "1")]);
    s.wait_for("Type a customer id and a target rule id");
    s.send("\x1b!");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the app did not exit after the panic");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!status.success());
    std::thread::sleep(Duration::from_millis(200));
    let parser = s.parser.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "the panic left the alternate screen");
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("debug panic trigger pressed"), "the panic message is shown:\n{text}");
    assert!(text.contains("The log is at"), "and where the log is:\n{text}");
    let restored = text.rfind("\x1b[?1049l").expect("left the alternate screen");
    let message = text.rfind("debug panic trigger pressed").unwrap();
    assert!(restored < message, "the message is printed after the restore");
}

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["TERM", "HUP"] {
        let s = Session::start(&["--demo"]);
        s.wait_for("Type a customer id and a target rule id");
        let pid = s.child.process_id().unwrap();
        let ok = std::process::Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status().unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut s = s;
        while s.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "SIG{signal} did not end the app");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        assert!(!s.parser.lock().unwrap().screen().alternate_screen(), "SIG{signal} left the alternate screen");
        let raw = s.raw.lock().unwrap();
        assert!(String::from_utf8_lossy(&raw).contains("\x1b[?1049l"));
    }
}
