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
    let invoked = invoked
        .map(|path| if path.components().count() > 1 { std::fs::canonicalize(&path).unwrap_or(path) } else { path });
    let completer = completer_for(invoked.clone());
    if let Some(path) = invoked.filter(|p| p.components().count() > 1 && completer == "target-events") {
        eprintln!(
            "note: {} holds characters a shell would split, so the script calls target-events by name: \
             put the binary (or a link to it) on PATH.",
            crate::sanitize::line(&path.display().to_string())
        );
    }
    let adapter: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::PowerShell => &Powershell,
        _ => &Bash,
    };
    adapter.write_registration(VAR, "target-events", "target-events", &completer, out)?;
    if shell == clap_complete::Shell::Zsh {
        // Installed on fpath as _target-events, the file is autoloaded as the
        // completion function itself: it must complete on that first call too.
        writeln!(
            out,
            "if [ \"${{funcstack[1]}}\" = \"_target-events\" ]; then _clap_dynamic_completer_target_events \"$@\"; fi"
        )?;
    }
    Ok(())
}

/// The profile names of the default config file, for `--profile <TAB>`;
/// nothing when there is no readable file.
pub fn profile_names() -> Vec<clap_complete::CompletionCandidate> {
    let Some(path) = config_named(std::env::args_os().skip(1)).or_else(crate::config::default_config_path) else {
        return Vec::new();
    };
    let Ok(Some(file)) = crate::config::load_file(&path) else { return Vec::new() };
    file.profiles
        .keys()
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}

/// How the script calls the binary back: by the path it was run by, when
/// that is a path any shell reads as one word; else by name, from PATH.
fn completer_for(invoked: Option<std::path::PathBuf>) -> String {
    let plain = |p: &str| p.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c));
    match invoked.map(|p| p.to_string_lossy().into_owned()) {
        Some(path) if path.contains('/') && plain(&path) => path,
        _ => "target-events".to_string(),
    }
}

/// The `--config FILE` (or `--config=FILE`) among the words typed so far.
fn config_named(words: impl Iterator<Item = std::ffi::OsString>) -> Option<std::path::PathBuf> {
    let words: Vec<String> = words.map(|w| w.to_string_lossy().into_owned()).collect();
    // The last one given wins, as when the command runs.
    let text = words.iter().enumerate().rev().find_map(|(i, w)| match w.strip_prefix("--config") {
        // bash hands `--config=FILE` over as three words: `--config`, `=`, `FILE`.
        Some("") => match words.get(i + 1).map(String::as_str) {
            Some("=") => words.get(i + 2),
            _ => words.get(i + 1),
        }
        .map(String::as_str),
        Some(rest) => rest.strip_prefix('='),
        None => None,
    });
    let text = text.filter(|v| !v.is_empty() && *v != "=")?;
    // The shell leaves a `~` it did not expand in a word being completed.
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Some(std::path::PathBuf::from(home).join(rest)),
        _ => Some(std::path::PathBuf::from(text)),
    }
}

/// The clusters, for `--cluster <TAB>`.
pub fn cluster_names() -> Vec<clap_complete::CompletionCandidate> {
    crate::config::CLUSTERS.iter().map(|(name, _)| clap_complete::CompletionCandidate::new(name)).collect()
}

/// The manual pages, for `man <TAB>`.
pub fn page_names() -> Vec<clap_complete::CompletionCandidate> {
    crate::manual::page_words().into_iter().map(clap_complete::CompletionCandidate::new).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_config_typed_on_the_line_is_the_one_read() {
        let words = |w: &[&str]| w.iter().map(std::ffi::OsString::from).collect::<Vec<_>>().into_iter();
        assert_eq!(
            super::config_named(words(&["--", "target-events", "--config", "a.toml", "--profile", ""])),
            Some("a.toml".into())
        );
        assert_eq!(super::config_named(words(&["--config=b.toml", "--profile"])), Some("b.toml".into()));
        assert_eq!(super::config_named(words(&["--profile", ""])), None);
        assert_eq!(super::config_named(words(&["--config", "=", "c.toml", "--profile"])), Some("c.toml".into()));
        let home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap());
        assert_eq!(super::config_named(words(&["--config", "~/d.toml"])), Some(home.join("d.toml")));
    }

    #[test]
    fn a_path_a_shell_would_split_is_not_the_one_called() {
        let called = |p: &str| super::completer_for(Some(p.into()));
        assert_eq!(called("/opt/te/bin/target-events"), "/opt/te/bin/target-events");
        assert_eq!(called("/home/a b/target-events"), "target-events");
        assert_eq!(called("/tmp/it's/target-events"), "target-events");
        assert_eq!(called("target-events"), "target-events");
    }
}
