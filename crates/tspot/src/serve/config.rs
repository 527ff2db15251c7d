//! `tspot serve --config FILE`: a TOML file with the same keys as the options of `tspot serve`
//! (the long option without its dashes, `-` or `_` between words: `data_dir`, `max-connections`,
//! `connection = ["sales=sqlite:/srv/sales.db"]`, `trust_forwarded_for = true`).
//!
//! Precedence, highest first: the flag, its environment variable, the file, the default. Clap
//! handles flags, environment variables and defaults and says where each value came from; a
//! file value is used only for an option that came from neither a flag nor its environment
//! variable, by adding it to the command line that clap parses again (so the file's values go
//! through the very parsers and checks that flags do). A file value is also dropped when the
//! option conflicts with one given by flag or environment (`admin_password_file` in the file,
//! `TSPOT_ADMIN_PASSWORD` set: the variable wins).
//!
//! A file holding a secret (`admin_password`, `trusted_auth_secret`) must be private to its
//! owner, like the data directory (no permission for the group or others), else the server
//! refuses to start.

use std::ffi::OsString;
use std::path::Path;

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Command};

/// Keys whose values are secrets.
pub const SECRET_KEYS: [&str; 3] = ["admin_password", "trusted_auth_secret", "store_password"];

/// The option that names the file itself, which the file cannot set.
const CONFIG_OPTION: &str = "config";

/// The arguments that `path` adds to the command line of `tspot serve`: `--option=value` for
/// each key whose option `given` (the parsed command line) did not get from a flag or its
/// environment variable. `serve` is the `tspot serve` command.
pub fn file_arguments(
    path: &Path,
    serve: &Command,
    given: &ArgMatches,
) -> Result<Vec<OsString>, String> {
    let table = read(path)?;
    let shown = path.display();
    let mut arguments = Vec::new();
    for (key, value) in &table {
        let normal = key.replace('-', "_");
        let arg = serve
            .get_arguments()
            .find(|arg| {
                arg.get_long()
                    .is_some_and(|long| long != CONFIG_OPTION && long.replace('-', "_") == normal)
            })
            .ok_or_else(|| {
                format!(
                    "--config {shown}: unknown key '{key}' (the keys are the options of \
                     `tspot serve --help`, e.g. data_dir, listen)"
                )
            })?;
        if is_given(given, arg) || conflicts_with_given(serve, given, arg) {
            continue;
        }
        let long = arg.get_long().unwrap_or_default();
        arguments.extend(
            values(arg, value)
                .map_err(|problem| format!("--config {shown}: key '{key}' {problem}"))?
                .into_iter()
                .map(|value| match value {
                    Some(value) => OsString::from(format!("--{long}={value}")),
                    None => OsString::from(format!("--{long}")),
                }),
        );
    }
    Ok(arguments)
}

/// The file's table, refused when it holds a secret and others may read it.
fn read(path: &Path) -> Result<toml::Table, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--config: cannot read {shown}: {e}"))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
        match line {
            Some(line) => format!("--config {shown}: line {line}: {message}"),
            None => format!("--config {shown}: {message}"),
        }
    })?;
    let secret = table
        .keys()
        .map(|key| key.replace('-', "_"))
        .find(|key| SECRET_KEYS.contains(&key.as_str()));
    if let Some(secret) = secret {
        check_private(path, &secret)?;
    }
    Ok(table)
}

#[cfg(unix)]
fn check_private(path: &Path, secret: &str) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let shown = path.display();
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("--config: cannot read {shown}: {e}"))?
        .permissions()
        .mode()
        & 0o7777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "--config {shown} holds {secret} and is accessible to other users (mode {mode:04o}); \
             make it private with `chmod 600 {shown}`"
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _secret: &str) -> Result<(), String> {
    Ok(())
}

/// Whether the option came from a flag or its environment variable.
fn is_given(given: &ArgMatches, arg: &Arg) -> bool {
    matches!(
        given.value_source(arg.get_id().as_str()),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

/// Whether an option that conflicts with `arg` (either way) came from a flag or its environment
/// variable.
fn conflicts_with_given(serve: &Command, given: &ArgMatches, arg: &Arg) -> bool {
    serve
        .get_arg_conflicts_with(arg)
        .into_iter()
        .any(|other| is_given(given, other))
        || serve.get_arguments().any(|other| {
            is_given(given, other)
                && serve
                    .get_arg_conflicts_with(other)
                    .iter()
                    .any(|c| c.get_id() == arg.get_id())
        })
}

/// The values `value` gives `arg` on the command line; `None` is a flag without a value.
fn values(arg: &Arg, value: &toml::Value) -> Result<Vec<Option<String>>, String> {
    match arg.get_action() {
        ArgAction::SetTrue => match value {
            toml::Value::Boolean(true) => Ok(vec![None]),
            toml::Value::Boolean(false) => Ok(vec![]),
            _ => Err("must be true or false".into()),
        },
        ArgAction::Append => match value {
            toml::Value::Array(items) => items
                .iter()
                .map(|item| {
                    scalar(item)
                        .map(Some)
                        .ok_or_else(|| "must hold strings".into())
                })
                .collect(),
            other => scalar(other)
                .map(|v| vec![Some(v)])
                .ok_or_else(|| "must be a string or a list of strings".into()),
        },
        _ => scalar(value)
            .map(|v| vec![Some(v)])
            .ok_or_else(|| "must be a string or a number".into()),
    }
}

fn scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(text) => Some(text.clone()),
        toml::Value::Integer(number) => Some(number.to_string()),
        toml::Value::Float(number) => Some(number.to_string()),
        toml::Value::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    /// The arguments `text` adds to `tspot serve ARGS` (no environment variables involved).
    fn added(text: &str, args: &[&str], mode: u32) -> Result<Vec<String>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tspot.toml");
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut argv = vec!["tspot", "serve"];
        argv.extend(args);
        let matches = Cli::command().try_get_matches_from(argv).unwrap();
        let (_, given) = matches.subcommand().unwrap();
        let command = Cli::command();
        let serve = command.find_subcommand("serve").unwrap();
        file_arguments(&path, serve, given)
            .map(|args| args.into_iter().map(|a| a.into_string().unwrap()).collect())
    }

    #[test]
    fn file_values_become_arguments_unless_a_flag_gave_the_option() {
        let text = r#"
            listen = "0.0.0.0:9000"
            data-dir = "/var/lib/tspot"
            max_connections = 7
            trust_forwarded_for = true
            connection = ["a=sqlite:/a.db", "b=sqlite:/b.db"]
            redirect_host = "example.com"
        "#;
        let args = added(text, &["--listen", "127.0.0.1:1"], 0o644).unwrap();
        assert_eq!(
            args,
            [
                "--connection=a=sqlite:/a.db",
                "--connection=b=sqlite:/b.db",
                "--data-dir=/var/lib/tspot",
                "--max-connections=7",
                "--redirect-host=example.com",
                "--trust-forwarded-for",
            ]
        );
        let args = added("trust_forwarded_for = false\n", &[], 0o644).unwrap();
        assert!(args.is_empty(), "{args:?}");
    }

    #[test]
    fn a_value_conflicting_with_a_flag_is_dropped() {
        let args = added(
            "admin_password_file = \"/run/secrets/admin\"\n",
            &["--admin-password", "x"],
            0o600,
        )
        .unwrap();
        assert!(args.is_empty(), "{args:?}");
        let args = added(
            "admin_password = \"x\"\n",
            &["--admin-password-file", "f"],
            0o600,
        )
        .unwrap();
        assert!(args.is_empty(), "{args:?}");
    }

    #[test]
    fn unknown_keys_wrong_types_and_bad_toml_are_one_line_errors() {
        for (text, expected) in [
            ("colour = \"red\"\n", "unknown key 'colour'"),
            ("config = \"other.toml\"\n", "unknown key 'config'"),
            ("trust_forwarded_for = \"yes\"\n", "must be true or false"),
            ("listen = [\"a\", \"b\"]\n", "must be a string or a number"),
            ("connection = [1, [2]]\n", "must hold strings"),
            ("listen = \n", "line 1"),
        ] {
            let error = added(text, &[], 0o600).unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(!error.contains('\n'), "{error}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_a_secret_must_be_private() {
        let text = "trusted-auth-secret = \"s3cret\"\n";
        for shared in [0o644, 0o640, 0o604, 0o660] {
            let error = added(text, &[], shared).unwrap_err();
            assert!(error.contains("trusted_auth_secret"), "{error}");
            assert!(error.contains("chmod 600"), "{error}");
            assert!(!error.contains("s3cret"), "{error}");
        }
        assert!(added(text, &[], 0o600).is_ok());
        assert!(added(text, &[], 0o400).is_ok());
        // Without a secret, any mode does.
        assert!(added("listen = \"127.0.0.1:1\"\n", &[], 0o644).is_ok());
    }
}
