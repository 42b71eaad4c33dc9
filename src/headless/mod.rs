//! The headless commands: `fetch`, `explain`, `batch`, `doctor` and `profile`. They parse what
//! the command line gave, call the use cases in `core` and print; they use
//! nothing of the explorer.

pub mod batch;
pub mod doctor;
pub mod explain;
pub mod fetch;
pub mod profile;
pub mod progress;

/// The exit status of a run a signal interrupted is 128 and its number.
pub(crate) fn signal_number(name: &str) -> i32 {
    match name {
        "HUP" => 1,
        "INT" => 2,
        _ => 15,
    }
}

/// Resolves with the name of the first of SIGINT, SIGTERM or SIGHUP.
pub(crate) async fn interruption() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term), Ok(mut hup)) =
            (signal(SignalKind::interrupt()), signal(SignalKind::terminate()), signal(SignalKind::hangup()))
        else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = int.recv() => "INT",
            _ = term.recv() => "TERM",
            _ = hup.recv() => "HUP",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "INT"
    }
}

/// The file `-o` names, or None for standard output (`-o -` included, as
/// the convention goes).
pub fn file_output(output: &Option<std::path::PathBuf>) -> Option<&std::path::Path> {
    output.as_deref().filter(|p| *p != std::path::Path::new("-"))
}
