//! Output files (exports, case notes, `--output`): never replacing a file
//! without a yes or `--force`, private (0600), and atomic: everything is
//! written to a temporary file beside the target, synced, and renamed over
//! it only when complete. A failure (a full disk) leaves the target as it
//! was and no temporary behind. A device or a pipe (`-o /dev/null`,
//! `-o >(gzip > f)`) is written into, never replaced.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Whether `path` can be written, checked before any request is sent: a
/// symbolic link (never written through), a directory, a file that exists
/// without `force`, or a place that cannot be written are refused, each
/// with the sentence why. A device or a pipe is written into.
pub fn refuse_existing(path: &Path, force: bool) -> Result<(), String> {
    let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
    let refuse = |why: String| Err(format!("{why}. Nothing was sent."));
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return refuse(format!("{shown} is a symbolic link: the output is never written through one"));
        }
        Ok(m) if m.is_dir() => return refuse(format!("{shown} is a directory: name a file in it")),
        Ok(m) if is_fifo(&m) => {
            return refuse(format!(
                "{shown} is a named pipe: writing would wait for a reader (-o - writes to standard output)"
            ));
        }
        Ok(m) if is_special(&m) => return Ok(()),
        Ok(_) if !force => return refuse(format!("{shown} already exists: pass --force to replace it")),
        _ => {}
    }
    // The file is written beside its final name, then renamed: its folder
    // must take a new file.
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir_shown = crate::sanitize::line(&dir.display().to_string()).into_owned();
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => return refuse(format!("{dir_shown} is not a directory")),
        Ok(_) => {
            let probe = dir.join(format!(".target-events-probe.{}", std::process::id()));
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
                Ok(_) => {
                    let _ = std::fs::remove_file(&probe);
                }
                Err(e) => return refuse(format!("{shown} cannot be written: {dir_shown} takes no new file ({e})")),
            }
        }
        // A folder that does not exist yet is made when the output is written.
        Err(_) => {}
    }
    Ok(())
}

/// A named pipe: opening it for writing waits for a reader, maybe forever.
fn is_fifo(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        m.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        false
    }
}

/// A device, a pipe or a socket: something to write into, not a file to replace.
fn is_special(m: &std::fs::Metadata) -> bool {
    let t = m.file_type();
    !t.is_file() && !t.is_dir() && !t.is_symlink()
}

/// A file being written; [`OutputFile::commit`] puts it in place.
pub struct OutputFile {
    path: PathBuf,
    /// The temporary renamed over `path`; None when `path` is written into.
    tmp: Option<PathBuf>,
    overwrite: bool,
    file: Option<BufWriter<File>>,
}

impl OutputFile {
    /// Starts writing `path`. Fails at once when it exists and `overwrite`
    /// is not given, or when it is a symbolic link.
    pub fn create(path: &Path, overwrite: bool) -> io::Result<OutputFile> {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::other(format!("{} is a symbolic link: not written through", path.display())));
            }
            Ok(m) if m.is_dir() => return Err(io::Error::other(format!("{} is a directory", path.display()))),
            Ok(m) if is_fifo(&m) => {
                return Err(io::Error::other(format!("{} is a named pipe: not written", path.display())));
            }
            // Replacing /dev/null with a file would break the machine: write into it.
            Ok(m) if is_special(&m) => {
                let file = std::fs::OpenOptions::new().write(true).open(path)?;
                return Ok(OutputFile {
                    path: path.to_path_buf(),
                    tmp: None,
                    overwrite,
                    file: Some(BufWriter::new(file)),
                });
            }
            Ok(_) if !overwrite => return Err(io::ErrorKind::AlreadyExists.into()),
            _ => {}
        }
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        crate::private_file::create_dir(dir)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.{}.partial", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let file = crate::private_file::create(&tmp, false)?;
        Ok(OutputFile { path: path.to_path_buf(), tmp: Some(tmp), overwrite, file: Some(BufWriter::new(file)) })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let file = self.file.take().ok_or_else(|| io::Error::other("already committed"))?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        let Some(tmp) = self.tmp.clone() else { return Ok(()) };
        file.sync_all()?;
        drop(file);
        // Created meanwhile by someone else: still not replaced without a yes.
        if !self.overwrite && std::fs::symlink_metadata(&self.path).is_ok() {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        std::fs::rename(&tmp, &self.path)
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().ok_or_else(|| io::Error::other("committed"))?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().ok_or_else(|| io::Error::other("committed"))?.flush()
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Not committed (or the rename failed): nothing half-written stays.
        if let Some(tmp) = &self.tmp
            && std::fs::symlink_metadata(tmp).is_ok()
        {
            self.file = None;
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes `text` to `path` atomically and privately.
pub fn write_text(path: &Path, overwrite: bool, text: &str) -> io::Result<()> {
    let mut out = OutputFile::create(path, overwrite)?;
    out.write_all(text.as_bytes())?;
    out.commit()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("te-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_file_appears_whole_and_private_or_not_at_all() {
        let d = dir("whole");
        let path = d.join("out.csv");
        std::fs::write(&path, "good").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(write_text(&path, false, "new").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        // Abandoned half-way: the old file stays, no temporary is left.
        let mut out = OutputFile::create(&path, true).unwrap();
        out.write_all(b"half").unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "good");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "no temporary left");
        // Replaced with --force: the new file is private.
        write_text(&path, true, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(refuse_existing(&path, false).unwrap_err().contains("--force"));
        assert!(refuse_existing(&path, true).is_ok());
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn what_cannot_be_written_is_refused_before_anything_is_sent() {
        let d = dir("refused");
        let file = d.join("a.csv");
        std::fs::write(&file, "x").unwrap();
        let link = d.join("link.csv");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        for (path, force, why) in [
            (link.clone(), true, "symbolic link"),
            (d.clone(), true, "is a directory"),
            (file.join("out.csv"), true, "is not a directory"),
            (PathBuf::from("/proc/target-events-out.csv"), true, "cannot be written"),
        ] {
            let e = refuse_existing(&path, force).unwrap_err();
            assert!(e.contains(why) && e.ends_with("Nothing was sent."), "{}: {e}", path.display());
        }
        assert!(refuse_existing(&d.join("new/deeper.csv"), false).is_ok(), "a folder to make is fine");
        // A named pipe would wait for a reader: refused, never opened.
        let fifo = d.join("pipe.csv");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(refuse_existing(&fifo, true).unwrap_err().contains("named pipe"));
        assert!(OutputFile::create(&fifo, true).is_err(), "not opened");
        std::fs::remove_file(&fifo).unwrap();
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 2, "no probe left behind");
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn a_device_is_written_into_never_replaced() {
        let null = Path::new("/dev/null");
        assert!(refuse_existing(null, false).is_ok(), "writing into a device replaces nothing");
        write_text(null, false, "gone").unwrap();
        write_text(null, true, "gone").unwrap();
        let m = std::fs::symlink_metadata(null).unwrap();
        assert!(!m.file_type().is_file(), "/dev/null is still a device");
    }

    #[test]
    fn a_link_is_never_written_through() {
        let d = dir("link");
        std::fs::write(d.join("target"), "keep").unwrap();
        std::os::unix::fs::symlink(d.join("target"), d.join("link")).unwrap();
        assert!(write_text(&d.join("link"), true, "x").is_err());
        assert_eq!(std::fs::read_to_string(d.join("target")).unwrap(), "keep");
        std::fs::remove_dir_all(&d).ok();
    }
}
