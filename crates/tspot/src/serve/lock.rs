//! One process at a time per data directory: `tspot serve` (for its whole run) and `tspot restore`
//! hold an advisory lock (flock, through `fs4`) on `tspot.lock` in the data directory, which
//! holds the holder's PID and command. A second holder is refused with a line naming the first.
//!
//! The file stays behind when the holder exits (the lock goes with the process, even after a
//! crash or SIGKILL); removing it would let a third process lock a new file while a second one
//! still waits on the old one.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The lock file in the data directory.
pub const LOCK_FILE: &str = "tspot.lock";

/// The data directory's lock, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Locks `data_dir` (which must exist) for `command` (`serve`, `restore`), or says who holds
    /// it.
    pub fn acquire(data_dir: &Path, command: &str) -> Result<DataDirLock, String> {
        let path = data_dir.join(LOCK_FILE);
        let mut file = open(&path)
            .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(format!(
                    "the data directory {} is in use by {}: one server per data directory; \
                     stop it first, or choose another --data-dir",
                    shown(data_dir),
                    holder(&mut file)
                ));
            }
            Err(fs4::TryLockError::Error(e)) => {
                return Err(format!("cannot lock {}: {e}", path.display()));
            }
        }
        let written = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}\n{command}", std::process::id()))
            .and_then(|()| file.flush());
        written.map_err(|e| format!("cannot write the lock file {}: {e}", path.display()))?;
        Ok(DataDirLock { _file: file })
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// `tspot serve (PID 1234)`, from the holder's lock file. The holder writes it right after
/// locking, so an empty file is read again for a moment.
fn holder(file: &mut File) -> String {
    for _ in 0..20 {
        let mut text = String::new();
        let read = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut text));
        let mut lines = text.lines();
        if read.is_ok()
            && let Some(pid) = lines.next().and_then(|l| l.trim().parse::<u32>().ok())
        {
            let command = lines.next().map(str::trim).filter(|c| !c.is_empty());
            return format!("tspot {} (PID {pid})", command.unwrap_or("serve"));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    "another tspot process (PID unknown)".to_owned()
}

fn shown(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .unwrap_or_else(|_| PathBuf::from(dir))
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path(), "serve").unwrap();
        let error = DataDirLock::acquire(dir.path(), "restore").unwrap_err();
        let pid = std::process::id();
        assert!(
            error.contains(&format!("in use by tspot serve (PID {pid})")),
            "{error}"
        );
        assert!(!error.contains('\n'), "{error}");
        drop(first);
        let again = DataDirLock::acquire(dir.path(), "restore").unwrap();
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(text, format!("{pid}\nrestore\n"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(LOCK_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(again);
    }
}
