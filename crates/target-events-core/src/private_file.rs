//! Files that may hold customer data or hints of secrets (the log, recent
//! queries, exports): created 0600 in 0700 directories, never through a
//! symbolic link, and replaced atomically where they are rewritten.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` (and its parents) readable by the owner only. An existing
/// directory is left as it is: it may be the user's own choice.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW: opening a symbolic link fails instead of writing through it.
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    o
}

/// Opens `path` for appending, creating it (and its directory) privately.
pub fn open_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    options().create(true).append(true).open(path)
}

/// Creates `path`, which must not exist yet (nor be a link). With
/// `overwrite`, an existing regular file is replaced; a link never is.
pub fn create(path: &Path, overwrite: bool) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    if overwrite {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::other(format!("{} is a symbolic link: not written through", path.display())));
            }
            Ok(_) => return options().write(true).truncate(true).open(path),
            Err(_) => {}
        }
    }
    options().write(true).create_new(true).open(path)
}

/// Writes `bytes` to `path` atomically: a private temporary file beside it,
/// then a rename, so a reader never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_dir(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut f = options().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_links_are_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("te-private-{}", std::process::id()));
        let path = dir.join("a/b/out.csv");
        drop(create(&path, false).unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(dir.join("a/b")).unwrap().permissions().mode() & 0o777, 0o700);
        // An existing file is not replaced unless asked.
        assert_eq!(create(&path, false).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert!(create(&path, true).is_ok());
        // A link is never written through.
        let target = dir.join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(create(&link, false).is_err());
        assert!(create(&link, true).is_err());
        assert!(open_append(&link).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        write_atomic(&dir.join("r.json"), b"[1]").unwrap();
        assert_eq!(std::fs::read(dir.join("r.json")).unwrap(), b"[1]");
        assert_eq!(std::fs::metadata(dir.join("r.json")).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).ok();
    }
}
