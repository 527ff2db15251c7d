//! Sessions kept between commands, one JSON file per profile in the user's configuration
//! directory: the server URL, the user name and the `JSESSIONID` cookie, nothing else (never a
//! password). A signed-out profile keeps its server and user, with no cookie. The profile that
//! commands use by default is named in the file `current`.
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
    /// The session cookie's value; empty once signed out.
    #[serde(default)]
    pub jsessionid: String,
    /// When the session was opened (RFC 3339, UTC).
    #[serde(default)]
    pub signed_in_at: String,
}

impl Profile {
    /// `true` while the profile holds a session cookie.
    pub fn signed_in(&self) -> bool {
        !self.jsessionid.is_empty()
    }
}

/// The profile used when neither `--profile` nor `TSPOT_PROFILE` names one.
pub const DEFAULT_PROFILE: &str = "default";

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

    /// The names of the saved profiles, sorted.
    pub fn names(&self) -> Result<Vec<String>> {
        let dir = self.profiles_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(CliError::failed(format!(
                    "cannot read {}: {e}",
                    dir.display()
                )));
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".json")?;
                parse_name(stem).ok()
            })
            .collect();
        names.sort();
        Ok(names)
    }

    fn current_path(&self) -> PathBuf {
        self.dir.join("current")
    }

    /// The profile `tspot profiles use` chose, if any.
    pub fn current(&self) -> Option<String> {
        let text = fs::read_to_string(self.current_path()).ok()?;
        parse_name(text.trim()).ok()
    }

    /// Makes `name` the profile commands use by default (`None`: back to `default`).
    pub fn set_current(&self, name: Option<&str>) -> Result<()> {
        let path = self.current_path();
        let written = match name {
            Some(name) => {
                create_private_dir(&self.dir).and_then(|()| fs::write(&path, format!("{name}\n")))
            }
            None => match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        };
        written.map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))
    }

    /// The profile a command uses: the one given (`--profile`, `TSPOT_PROFILE`), else the
    /// current one, else `default`.
    pub fn effective(&self, given: Option<&str>) -> String {
        given
            .map(str::to_string)
            .or_else(|| self.current())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_string())
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
        assert_eq!(profiles.names().unwrap(), ["default"]);
        assert!(profiles.remove("default").unwrap());
        assert!(!profiles.remove("default").unwrap());
        assert!(profiles.names().unwrap().is_empty());
    }

    #[test]
    fn the_current_profile_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = Profiles::at(dir.path().join("config"));
        assert_eq!(profiles.effective(None), "default");
        profiles.set_current(Some("prod")).unwrap();
        assert_eq!(profiles.effective(None), "prod");
        assert_eq!(profiles.effective(Some("dev")), "dev");
        profiles.set_current(None).unwrap();
        assert_eq!(profiles.effective(None), "default");
    }

    #[test]
    fn old_and_signed_out_profiles_load() {
        let profile: Profile =
            serde_json::from_str(r#"{"url": "http://x", "username": "u"}"#).unwrap();
        assert!(!profile.signed_in());
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
