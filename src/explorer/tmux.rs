//! Copies inside tmux. With tmux's default `set-clipboard external`, an
//! OSC 52 sent by a program inside it reaches neither tmux's paste buffer
//! nor the outer terminal; `tmux load-buffer -w -` fills the buffer (prefix
//! `]` pastes it) and hands it on to the outer terminal's clipboard where
//! tmux can.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long tmux gets to take the text.
const LIMIT: Duration = Duration::from_secs(3);

/// Loads `text` into tmux's paste buffer (`-w`: and the outer clipboard);
/// a tmux too old for `-w` gets the buffer alone.
pub fn load_buffer(text: &str) -> Result<(), String> {
    match load(text, &["load-buffer", "-w", "-"]) {
        Ok(()) => Ok(()),
        Err(_) => load(text, &["load-buffer", "-"]),
    }
}

fn load(text: &str, args: &[&str]) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("tmux could not be started: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).map_err(|e| format!("tmux did not read the text: {e}"))?;
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("tmux {} ended with {status}", args.join(" "))),
            Ok(None) if started.elapsed() > LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("tmux did not answer in {} s", LIMIT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e.to_string()),
        }
    }
}
