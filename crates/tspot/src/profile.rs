//! Sessions kept between commands, one JSON file per profile in the user's configuration
//! directory: the server URL, the user name and the `JSESSIONID` cookie, nothing else (never a
//! password).
//!
//! The directory is `$TSPOT_CONFIG_DIR` when set, otherwise the platform's configuration
//! directory for `tspot` (`$XDG_CONFIG_HOME/tspot` or `~/.config/tspot` on Linux); the files are
//! `profiles/<name>.json` inside it, readable by their owner only (0600, in a 0700 directory).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::errors::{CliError, Result};

/// Overrides the configuration directory (tests, several configurations side by side).
pub const CONFIG_DIR_VARIABLE: &str = "TSPOT_CONFIG_DIR";

/// One signed-in session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The server, e.g. `https://my.thoughtspot.cloud`, without a trailing `/`.
    pub url: String,
    /// Who signed in.
    pub username: String,
    /// The session cookie's value.
    pub jsessionid: String,
    /// When the session was opened (RFC 3339, UTC).
    pub signed_in_at: String,
}

/// The profiles of one configuration directory.
pub struct Profiles {
    dir: PathBuf,
}

impl Profiles {
    /// The profiles of this user (or of `$TSPOT_CONFIG_DIR`).
    pub fn open() -> Result<Profiles> {
        if let Some(dir) = std::env::var_os(CONFIG_DIR_VARIABLE).filter(|d| !d.is_empty()) {
            return Ok(Profiles::at(PathBuf::from(dir)));
        }
        let dirs = directories::ProjectDirs::from("", "", "tspot").ok_or_else(|| {
            CliError::failed(format!(
                "cannot find your configuration directory (no home directory); set {CONFIG_DIR_VARIABLE}"
            ))
        })?;
        Ok(Profiles::at(dirs.config_dir().to_path_buf()))
    }

    pub fn at(dir: PathBuf) -> Profiles {
        Profiles { dir }
    }

    fn profiles_dir(&self) -> PathBuf {
        self.dir.join("profiles")
    }

    /// Where the profile's file is (whether or not it exists).
    pub fn path(&self, name: &str) -> PathBuf {
        self.profiles_dir().join(format!("{name}.json"))
    }

    /// The profile, or `None` when nobody signed in with it.
    pub fn load(&self, name: &str) -> Result<Option<Profile>> {
        let path = self.path(name);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(CliError::failed(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            CliError::failed(format!(
                "{} is damaged ({e}); `tspot logout` deletes it",
                path.display()
            ))
        })
    }

    /// Writes the profile, replacing the old one at once (never a half-written file).
    pub fn save(&self, name: &str, profile: &Profile) -> Result<PathBuf> {
        let dir = self.profiles_dir();
        for dir in [&self.dir, &dir] {
            create_private_dir(dir).map_err(|e| create_private_dir_error(dir, e))?;
        }
        let path = self.path(name);
        let temporary = dir.join(format!(".{name}.json.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(profile).expect("a profile serializes") + "\n";
        let written =
            write_private(&temporary, text.as_bytes()).and_then(|()| fs::rename(&temporary, &path));
        if let Err(e) = written {
            let _ = fs::remove_file(&temporary);
            return Err(CliError::failed(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
        Ok(path)
    }

    /// Deletes the profile; `false` when there was none.
    pub fn remove(&self, name: &str) -> Result<bool> {
        let path = self.path(name);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(CliError::failed(format!(
                "cannot delete {}: {e}",
                path.display()
            ))),
        }
    }
}

/// Checks a profile name: it becomes a file name.
pub fn parse_name(name: &str) -> Result<String, String> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(name.to_string())
    } else {
        Err(
            "a profile name is 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'"
                .into(),
        )
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

fn create_private_dir_error(dir: &Path, e: std::io::Error) -> CliError {
    CliError::failed(format!("cannot create {}: {e}", dir.display()))
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Profile {
        Profile {
            url: "http://127.0.0.1:8088".into(),
            username: "tsadmin".into(),
            jsessionid: "abc".into(),
            signed_in_at: "2024-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn profiles_round_trip_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = Profiles::at(dir.path().join("config"));
        assert_eq!(profiles.load("default").unwrap(), None);
        let path = profiles.save("default", &sample()).unwrap();
        assert_eq!(profiles.load("default").unwrap(), Some(sample()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(&dir.path().join("config")), 0o700);
        }
        // Saving again replaces the file.
        let second = Profile {
            jsessionid: "def".into(),
            ..sample()
        };
        profiles.save("default", &second).unwrap();
        assert_eq!(profiles.load("default").unwrap(), Some(second));
        assert!(profiles.remove("default").unwrap());
        assert!(!profiles.remove("default").unwrap());
    }

    #[test]
    fn profile_names_are_file_names() {
        assert!(parse_name("default").is_ok());
        assert!(parse_name("prod-eu_1.2").is_ok());
        for bad in ["", ".hidden", "a/b", "..", "a b", &"x".repeat(65)] {
            assert!(parse_name(bad).is_err(), "{bad}");
        }
    }
}
