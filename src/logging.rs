//! Logs go to a file, never to the terminal the TUI draws on.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

pub fn default_log_path() -> PathBuf {
    let dirs = directories::ProjectDirs::from("com", "capillary", "target-events");
    let dir = dirs
        .as_ref()
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .or_else(|| dirs.as_ref().map(|d| d.cache_dir().to_path_buf()))
        .unwrap_or_else(std::env::temp_dir);
    dir.join("target-events.log")
}

/// Starts logging to `path`; keep the guard alive until exit so lines are flushed.
/// `TARGET_EVENTS_LOG` sets the filter (default `info`).
pub fn init(path: &Path) -> anyhow::Result<WorkerGuard> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("TARGET_EVENTS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(guard)
}
