//! The real binary inside a real tmux, with tmux's own defaults (`-f
//! /dev/null`: `set-clipboard external`, where an OSC 52 from a program
//! reaches no paste buffer): `y` on the verdict fills tmux's buffer.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    dir: std::path::PathBuf,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(["-L", &self.socket, "-f", "/dev/null"]).args(args).output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "te"]).stdout).into_owned()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{text:?} never appeared; the screen was:\n{}", self.screen());
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "te"];
        args.extend(keys);
        assert!(self.cmd(&args).status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn y_on_the_verdict_fills_tmuxs_paste_buffer_under_its_default_settings() {
    let version = Command::new("tmux").arg("-V").output();
    assert!(version.is_ok_and(|o| o.status.success()), "tmux is needed for this test (.ci/run installs it)");
    let dir = std::env::temp_dir().join(format!("te-tmux-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t = Tmux { socket: format!("te-test-{}", std::process::id()), dir: dir.clone() };
    let bin = env!("CARGO_BIN_EXE_target-events");
    let log = dir.join("log.txt");
    let command = format!(
        "env HOME={home} XDG_CONFIG_HOME={home}/config XDG_STATE_HOME={home}/state XDG_DATA_HOME={home}/data TERM=tmux-256color {bin} --demo --log-file {log}",
        home = dir.display(),
        log = log.display()
    );
    let started = t.cmd(&["new-session", "-d", "-s", "te", "-x", "120", "-y", "36", &command]);
    assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
    assert!(t.cmd(&["show-options", "-g", "set-clipboard"]).stdout.starts_with(b"set-clipboard external"));
    t.wait_for("Type what the caller gives");
    t.keys(&["777000777", "Tab", "7610", "Enter"]);
    t.wait_for("Page 1 of");
    t.keys(&["e"]);
    t.wait_for("Verdict · Sep_2025 (7601)");
    t.keys(&["y"]);
    t.wait_for("In tmux's paste buffer");
    let start = Instant::now();
    let mut buffer = String::new();
    while start.elapsed() < Duration::from_secs(10) && !buffer.contains("# Case note") {
        buffer = String::from_utf8_lossy(&t.cmd(&["show-buffer"]).stdout).into_owned();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(buffer.starts_with("# Case note: customer 777000777, rule 7610"), "tmux's buffer: {buffer:?}");
    // The customer reply, too.
    // Esc alone first: followed at once by a key, tmux would send Alt-m.
    t.keys(&["Escape"]);
    let start = Instant::now();
    while t.screen().contains("In tmux's paste buffer") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["m"]);
    t.wait_for("A reply for the customer");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) && !buffer.starts_with("In September 2025") {
        buffer = String::from_utf8_lossy(&t.cmd(&["show-buffer"]).stdout).into_owned();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(buffer.starts_with("In September 2025 the purchases that count came to 4820.50"), "{buffer:?}");
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    t.keys(&["q"]);
}
