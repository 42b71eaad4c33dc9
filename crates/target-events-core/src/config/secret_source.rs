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

/// Runs `command` with `sh -c`, without a terminal (its own session, stdin
/// from /dev/null, stderr discarded), and returns the first line of its
/// output. `what` names the secret and its profile for messages ("the
/// password of profile eu-prod").
pub fn from_command(command: &str, what: &str, timeout: Duration) -> Result<Secret, String> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // A new session has no controlling terminal: a command that would
        // prompt on /dev/tty fails instead of taking over the screen.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().map_err(|e| format!("{what}: the command could not be started ({e})"))?;
    let mut stdout = child.stdout.take().ok_or_else(|| format!("{what}: no output pipe"))?;
    // Read on a thread, so a command that prints and then hangs is still timed out.
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(MAX_OUTPUT).read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what}: the command did not finish within {} and was stopped", seconds(timeout)));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("{what}: the command could not be waited for ({e})")),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        let how = match status.code() {
            Some(code) => format!("exit status {code}"),
            None => "a signal".to_string(),
        };
        return Err(format!("{what}: the command failed ({how}); its output is not shown"));
    }
    let text = String::from_utf8_lossy(&out);
    let line = text.lines().next().unwrap_or("").trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        return Err(format!("{what}: the command printed nothing on its first line"));
    }
    Ok(Secret::new(line))
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
    fn a_command_that_hangs_is_stopped() {
        let started = Instant::now();
        let e = from_command("echo partial; sleep 30", "p", Duration::from_millis(300)).unwrap_err();
        assert!(e.contains("did not finish within 0.3 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_command_has_no_terminal_to_prompt_on() {
        // /dev/tty cannot be opened without a controlling terminal.
        let e = from_command("echo x > /dev/tty && echo yes", "p", T);
        assert!(e.is_err(), "{e:?}");
    }
}
