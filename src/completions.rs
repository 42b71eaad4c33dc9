//! Shell completions answered by the binary itself: the script a shell
//! sources calls `target-events` back with the words typed so far, so the
//! flags, the values of every enumeration and the profile names of the config
//! file are completed from the same command definition clap parses with.

use std::io::Write;

use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

/// The variable the registration script sets when it asks for completions.
pub const VAR: &str = "TARGET_EVENTS_COMPLETE";

/// Answers a shell's completion request and exits, when this run is one.
/// Runs before anything else writes to stdout.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(crate::cli::command).var(VAR).complete();
}

/// The script `shell` sources: it calls this binary (by the path it was run
/// by, when that is a path, else by name from PATH) for each completion.
pub fn write_script(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let invoked = std::env::args_os().next().map(std::path::PathBuf::from);
    let completer = match invoked {
        Some(path) if path.components().count() > 1 => {
            std::fs::canonicalize(&path).unwrap_or(path).to_string_lossy().into_owned()
        }
        _ => "target-events".to_string(),
    };
    let adapter: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::PowerShell => &Powershell,
        _ => &Bash,
    };
    adapter.write_registration(VAR, "target-events", "target-events", &completer, out)
}

/// The profile names of the default config file, for `--profile <TAB>`;
/// nothing when there is no readable file.
pub fn profile_names() -> Vec<clap_complete::CompletionCandidate> {
    let Some(path) = crate::config::default_config_path() else { return Vec::new() };
    let Ok(Some(file)) = crate::config::load_file(&path) else { return Vec::new() };
    file.profiles
        .keys()
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}
