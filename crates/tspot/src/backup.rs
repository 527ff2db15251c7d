//! `tspot backup` and `tspot restore`: a consistent copy of the store, taken beside a running
//! server through SQLite's online backup API, and putting one back while no server runs.
//!
//! The copy holds the store (`tspot.sqlite3`: users, groups, privileges, objects, connections,
//! sessions) but not the databases that connections read (the demo's `demo.sqlite3`,
//! `--connection` files): those are data the store points at by path; copy them yourself.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tspot_reference::STORE_FILE;
use tspot_reference::store::SqliteStore;

use crate::serve::lock::DataDirLock;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The data directory of the store to copy (a server may be running on it).
    #[arg(
        long,
        env = "TSPOT_DATA_DIR",
        default_value = "./tspot-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,

    /// The file to write: a new SQLite database (mode 0600; an existing file is never
    /// overwritten).
    #[arg(value_name = "DEST")]
    dest: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The data directory whose store is replaced (created when missing). No server may be
    /// running on it.
    #[arg(
        long,
        env = "TSPOT_DATA_DIR",
        default_value = "./tspot-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,

    /// A file written by `tspot backup`.
    #[arg(value_name = "SRC")]
    src: PathBuf,
}

pub fn backup(args: BackupArgs) -> ExitCode {
    let store = args.data_dir.join(STORE_FILE);
    match SqliteStore::backup(&store, &args.dest) {
        Ok(report) => {
            println!(
                "backed up {} to {} ({} bytes: {} users and groups, {} objects)",
                args.data_dir.display(),
                args.dest.display(),
                report.bytes,
                report.principals,
                report.objects
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&format!("backup failed: {error}")),
    }
}

pub fn restore(args: RestoreArgs) -> ExitCode {
    #[cfg(unix)]
    crate::serve::restrict_umask();
    match run_restore(&args.data_dir, &args.src) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn run_restore(data_dir: &Path, src: &Path) -> Result<Vec<String>, String> {
    tspot_reference::prepare_data_dir(data_dir).map_err(|e| e.to_string())?;
    let _lock = DataDirLock::acquire(data_dir, "restore")?;
    let store = data_dir.join(STORE_FILE);
    if let (Ok(a), Ok(b)) = (std::fs::canonicalize(src), std::fs::canonicalize(&store))
        && a == b
    {
        return Err(format!("{} is the store itself", src.display()));
    }
    let report = SqliteStore::restore(src, &store).map_err(|e| format!("restore failed: {e}"))?;
    let mut lines = vec![format!(
        "restored {} into {}; ended {} sessions and {} trusted-authentication tokens (everyone \
         signs in again)",
        src.display(),
        data_dir.display(),
        report.sessions_ended,
        report.tokens_ended
    )];
    for (name, location) in report.missing_connections {
        lines.push(format!(
            "warning: connection {name} reads {location}, which does not exist here: copy that \
             database there (backups hold the store, not the databases connections read)"
        ));
    }
    Ok(lines)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("tspot: error: {message}");
    ExitCode::FAILURE
}
