//! The real binary in a pseudo-terminal, read through a terminal emulator.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub dir: std::path::PathBuf,
}

impl Session {
    pub fn start(args: &[&str]) -> Session {
        Session::start_with_env(args, &[])
    }

    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::start_in(args, env, |_| {})
    }

    /// Starts the binary after `prepare` has laid out its home directory.
    pub fn start_in(args: &[&str], env: &[(&str, &str)], prepare: impl FnOnce(&std::path::Path)) -> Session {
        Session::start_program(env!("CARGO_BIN_EXE_target-events"), args, env, prepare, true)
    }

    /// `program` with `args` in the pseudo-terminal; the binary's log file
    /// added when `log` (it is the binary).
    pub fn start_program(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        prepare: impl FnOnce(&std::path::Path),
        log: bool,
    ) -> Session {
        let pty =
            native_pty_system().openpty(PtySize { rows: 36, cols: 120, pixel_width: 0, pixel_height: 0 }).unwrap();
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("te-e2e-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        prepare(&dir);
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        if log {
            cmd.arg("--log-file");
            cmd.arg(dir.join("log.txt"));
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("RUST_BACKTRACE");
        cmd.env("HOME", &dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        cmd.env("XDG_STATE_HOME", dir.join("state"));
        cmd.cwd(&dir);
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

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; the screen was:\n{}", self.screen());
    }

    /// Waits until every one of `texts` is on screen at once.
    pub fn wait_for_all(&self, texts: &[&str]) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{texts:?} never all appeared; the screen was:\n{}", self.screen());
    }

    pub fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} stayed; the screen was:\n{}", self.screen());
    }

    pub fn send(&mut self, bytes: &str) {
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

impl Session {
    /// Waits for the process to exit and returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader take the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return status.success();
            }
            assert!(Instant::now() < deadline, "the app did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything the app wrote to the terminal.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }
}
