//! Secrets from where an organisation keeps them: a command (`pass`, `op`,
//! `security`, `secret-tool`…) whose first line of output is the secret, or
//! the platform's keychain. A failure names the profile and what went wrong
//! (an exit status, a timeout, nothing printed) and never the command's
//! output, which may hold the secret.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::secret::Secret;

/// How long a secret command may take (a password manager asking to be
/// unlocked elsewhere, say) before it is stopped.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// The most of a command's output read: a secret is a line.
const MAX_OUTPUT: u64 = 64 * 1024;

/// The keychain's service name; the account is `profile/username`.
pub const KEYRING_SERVICE: &str = "target-events";

/// How long the command may go on after printing its first line: long enough
/// to see a failing exit status, short enough that one left running (or a
/// child it left holding the output) does not hold the tool.
const AFTER_LINE: Duration = Duration::from_secs(2);

/// What the output reader reports.
enum Output {
    /// The first line, complete (a newline seen, or the output ended).
    Line(Vec<u8>),
    /// More than [`MAX_OUTPUT`] bytes with no line end.
    TooLong,
}

/// Runs `command` with `sh -c`, without a terminal (its own session and
/// process group, stdin from /dev/null, stderr discarded), and returns the
/// first line of its output as soon as it is complete and the command has
/// exited well (or kept running a moment after it). At the limit, or once the
/// line is taken, the whole group is killed: a child it left running holds
/// nothing. `what` names the secret and its profile for messages ("the
/// password of profile eu-prod").
pub fn from_command(command: &str, what: &str, timeout: Duration) -> Result<Secret, String> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // A new session has no controlling terminal: a command that would
        // prompt on /dev/tty fails instead of taking over the screen. It is
        // also a process group of its own, killed whole.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().map_err(|e| format!("{what}: the command could not be started ({e})"))?;
    let group = Group(child.id());
    let mut stdout = child.stdout.take().ok_or_else(|| format!("{what}: no output pipe"))?;
    // Read on a thread: the first line is sent as soon as it is complete; the
    // rest is drained (so a long output never ends the command by SIGPIPE)
    // until the output ends or the group is killed.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = Vec::new();
        let mut sent = false;
        let mut buf = [0u8; 8192];
        loop {
            let n = match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if sent {
                continue;
            }
            match buf[..n].iter().position(|&b| b == b'\n') {
                Some(at) => {
                    line.extend_from_slice(&buf[..at]);
                    let _ = tx.send(Output::Line(std::mem::take(&mut line)));
                    sent = true;
                }
                None if line.len() + n > MAX_OUTPUT as usize => {
                    let _ = tx.send(Output::TooLong);
                    sent = true;
                }
                None => line.extend_from_slice(&buf[..n]),
            }
        }
        if !sent {
            let _ = tx.send(Output::Line(line));
        }
    });
    let started = Instant::now();
    let left = |limit: Duration| limit.saturating_sub(started.elapsed());
    fn stopped(group: &Group, child: &mut std::process::Child, why: String) -> Result<Secret, String> {
        group.kill();
        let _ = child.wait();
        Err(why)
    }
    let line = match rx.recv_timeout(left(timeout)) {
        Ok(Output::Line(line)) => line,
        Ok(Output::TooLong) => {
            return stopped(
                &group,
                &mut child,
                format!(
                    "{what}: the command printed over {} KiB with no line end: a secret is one line; \
                 its output is not shown",
                    MAX_OUTPUT / 1024
                ),
            );
        }
        Err(_) => {
            return stopped(
                &group,
                &mut child,
                format!("{what}: the command did not finish within {} and was stopped", seconds(timeout)),
            );
        }
    };
    // The line is in: a moment for the exit status, then the group goes.
    let grace = started.elapsed() + AFTER_LINE;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= grace.min(timeout) => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return stopped(&group, &mut child, format!("{what}: the command could not be waited for ({e})")),
        }
    };
    group.kill();
    if status.is_none() {
        let _ = child.wait();
    }
    if let Some(status) = status
        && !status.success()
    {
        let how = match status.code() {
            Some(code) => format!("exit status {code}"),
            None => "a signal".to_string(),
        };
        return Err(format!("{what}: the command failed ({how}); its output is not shown"));
    }
    let text = String::from_utf8_lossy(&line);
    let line = text.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        return Err(format!("{what}: the command printed nothing on its first line"));
    }
    Ok(Secret::new(line))
}

/// A secret command's process group (its session, made by `setsid`).
struct Group(u32);

impl Group {
    /// Kills every process of the group: the command and whatever it left.
    fn kill(&self) {
        #[cfg(unix)]
        if let Ok(pid) = i32::try_from(self.0)
            && pid > 0
        {
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

/// "20 s", "0.3 s".
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 { format!("{} s", d.as_secs()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

/// The keychain entry of `profile`'s `account` (a username or OAuth key).
fn entry(profile: &str, account: &str) -> Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("{profile}/{account}"))
}

/// Why the keychain could not be used, in a sentence.
fn keyring_problem(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoEntry => {
            "the keychain has no entry for it: store it with profile add --force, or use password_command".into()
        }
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            "this system has no keychain the tool can use: set password_command instead".into()
        }
        other => format!("the keychain refused ({other})"),
    }
}

/// Reads `profile`'s secret for `account` from the platform keychain.
pub fn from_keyring(profile: &str, account: &str, what: &str) -> Result<Secret, String> {
    let secret = entry(profile, account).and_then(|e| e.get_password()).map_err(|e| {
        format!("{what}: {} (service {KEYRING_SERVICE}, account {profile}/{account})", keyring_problem(&e))
    })?;
    if secret.is_empty() {
        return Err(format!("{what}: the keychain entry is empty"));
    }
    Ok(Secret::new(secret))
}

/// Whether this system has a keychain that keeps what it is given: a probe
/// entry stored, read back and removed.
pub fn keyring_usable() -> Result<(), String> {
    let probe = format!("target-events-probe-{}", std::process::id());
    let entry = entry("probe", &probe).map_err(|e| keyring_problem(&e))?;
    let result = entry.set_password("probe").and_then(|()| entry.get_password());
    let _ = entry.delete_credential();
    match result {
        Ok(back) if back == "probe" => Ok(()),
        Ok(_) => Err("the keychain gives back something else than it was given".into()),
        Err(keyring::Error::NoEntry) => Err("this system has no keychain the tool can use".into()),
        Err(e) => Err(keyring_problem(&e)),
    }
}

/// Stores `profile`'s secret for `account` in the platform keychain, and
/// reads it back: a keychain that takes it and cannot give it back (a
/// session keyring a container does not keep) is no place for it.
pub fn store_in_keyring(profile: &str, account: &str, secret: &Secret) -> Result<(), String> {
    let cannot = |e: keyring::Error| {
        let why = match e {
            keyring::Error::NoEntry | keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
                "this system has no keychain the tool can use".to_string()
            }
            other => format!("the keychain refused ({other})"),
        };
        format!("{why}: choose command (a password manager's command) or file instead")
    };
    let entry = entry(profile, account).map_err(cannot)?;
    entry.set_password(secret.expose()).map_err(cannot)?;
    match entry.get_password() {
        Ok(back) if back == secret.expose() => Ok(()),
        Ok(_) => Err("the keychain gave back something else: choose command or file instead".into()),
        Err(e) => Err(cannot(e)),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(5);

    #[test]
    fn the_first_line_is_the_secret_without_its_line_ending() {
        assert_eq!(from_command("printf 's3cret\\n'", "x", T).unwrap().expose(), "s3cret");
        assert_eq!(from_command("printf 's3cret\\r\\nsecond line'", "x", T).unwrap().expose(), "s3cret");
        assert_eq!(from_command("printf 'no newline'", "x", T).unwrap().expose(), "no newline");
    }

    #[test]
    fn a_failure_names_the_profile_and_status_never_the_output() {
        let e = from_command("echo leaked-secret; exit 3", "the password of profile eu", T).unwrap_err();
        assert_eq!(e, "the password of profile eu: the command failed (exit status 3); its output is not shown");
        let e = from_command("true", "the password of profile eu", T).unwrap_err();
        assert!(e.contains("printed nothing"), "{e}");
        let e = from_command("printf '\\n'", "p", T).unwrap_err();
        assert!(e.contains("printed nothing"), "{e}");
    }

    #[test]
    fn a_command_that_hangs_is_stopped_with_its_children() {
        let dir = std::env::temp_dir().join(format!("te-secret-hang-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let marker = dir.join("child-lived");
        let started = Instant::now();
        // A child that would outlive the limit, and no line end.
        let command = format!("(sleep 1; touch '{}') & printf partial; sleep 30", marker.display());
        let e = from_command(&command, "p", Duration::from_millis(300)).unwrap_err();
        assert!(e.contains("did not finish within 0.3 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(1500));
        assert!(!marker.exists(), "the command's child was left running");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_child_left_running_does_not_hold_the_tool() {
        let started = Instant::now();
        // The child keeps the output open for 40 s; the line is in at once.
        let secret = from_command("printf 'pw\\n'; sleep 40 &", "p", T).unwrap();
        assert_eq!(secret.expose(), "pw");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        // A command printing its line and then hanging itself: the line is taken.
        let started = Instant::now();
        assert_eq!(from_command("echo pw; sleep 40", "p", T).unwrap().expose(), "pw");
        assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    }

    #[test]
    fn an_overlong_output_has_its_own_sentence() {
        // Over 64 KiB after a first line: the line is the secret, no SIGPIPE.
        let s = from_command("echo pw; head -c 200000 /dev/zero | tr '\\0' x", "p", T).unwrap();
        assert_eq!(s.expose(), "pw");
        // Over 64 KiB with no line end: said as such, not as an exit status.
        let e = from_command("head -c 200000 /dev/zero | tr '\\0' x", "p", T).unwrap_err();
        assert!(e.contains("over 64 KiB with no line end"), "{e}");
        assert!(!e.contains("141"), "{e}");
    }

    #[test]
    fn a_command_has_no_terminal_to_prompt_on() {
        // /dev/tty cannot be opened without a controlling terminal.
        let e = from_command("echo x > /dev/tty && echo yes", "p", T);
        assert!(e.is_err(), "{e:?}");
    }
}
