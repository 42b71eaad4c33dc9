//! Logs go to a file, never to the terminal the TUI draws on. The file is
//! private (0600 in a 0700 directory) and size-capped: past the cap it is
//! moved to `NAME.1` (replacing the previous one) and started afresh.
//!
//! Writes are synchronous: a line logged just before the process exits (a
//! panic) is on disk, and the app logs a few lines per request at most.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The log is moved aside past this size.
pub const MAX_LOG_BYTES: u64 = 5 * 1024 * 1024;

pub fn default_log_path() -> PathBuf {
    let dirs = directories::ProjectDirs::from("com", "capillary", "target-events");
    let dir = dirs
        .as_ref()
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .or_else(|| dirs.as_ref().map(|d| d.cache_dir().to_path_buf()))
        .unwrap_or_else(std::env::temp_dir);
    dir.join("target-events.log")
}

/// Starts logging to `path`. `TARGET_EVENTS_LOG` sets the filter (default `info`).
pub fn init(path: &Path) -> anyhow::Result<()> {
    let writer = RotatingFile::open(path, MAX_LOG_BYTES)?;
    let filter = EnvFilter::try_from_env("TARGET_EVENTS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(writer))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(())
}

/// An append-only file that starts over (keeping one old copy) past `cap`.
pub struct RotatingFile {
    path: PathBuf,
    file: File,
    written: u64,
    cap: u64,
}

impl RotatingFile {
    pub fn open(path: &Path, cap: u64) -> io::Result<RotatingFile> {
        let file = crate::private_file::open_append(path)?;
        let written = file.metadata()?.len();
        let mut log = RotatingFile { path: path.to_path_buf(), file, written, cap };
        if log.written >= cap {
            log.rotate()?;
        }
        Ok(log)
    }

    fn rotate(&mut self) -> io::Result<()> {
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        std::fs::rename(&self.path, &old)?;
        self.file = crate::private_file::open_append(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.cap {
            // A failed rotation keeps logging to the old file.
            let _ = self.rotate();
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_private_and_capped() {
        let dir = std::env::temp_dir().join(format!("te-log-{}", std::process::id()));
        let path = dir.join("sub").join("app.log");
        let mut log = RotatingFile::open(&path, 100).unwrap();
        for _ in 0..10 {
            log.write_all(&[b'x'; 30]).unwrap();
        }
        assert!(std::fs::metadata(&path).unwrap().len() <= 100);
        let old = dir.join("sub").join("app.log.1");
        assert!(std::fs::metadata(&old).unwrap().len() <= 100);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
