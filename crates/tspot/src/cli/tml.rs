//! `tspot tml ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{ImportPolicy, TmlFormat};

#[derive(Subcommand)]
pub enum TmlCommand {
    /// Write objects as TML files, `<name>.<type>.tml`, one per object.
    Export(ExportArgs),

    /// Create or update objects from TML files, and print each one's status.
    ///
    /// Exits with status 1 when any object was not imported.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ExportArgs {
    /// The objects to export: worksheets, tables, views, answers or Liveboards, by name or GUID.
    #[arg(
        required = true,
        value_name = "NAME_OR_GUID",
        add = clap_complete::ArgValueCompleter::new(super::complete::exportable)
    )]
    pub ids: Vec<String>,

    /// Also export what the objects use: worksheets, tables, views.
    #[arg(long)]
    pub associated: bool,

    /// The text format of the files.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        default_value = "yaml",
        value_name = "FORMAT"
    )]
    pub format: TmlFormat,

    /// The directory to write to; created when missing.
    #[arg(short = 'o', long = "out", default_value = ".", value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Args)]
pub struct ImportArgs {
    /// TML files, or directories to search for `*.tml` files (recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// What to do when some objects fail.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        default_value = "partial",
        value_name = "POLICY"
    )]
    pub policy: ImportPolicy,

    /// Create new objects, even when an object with a file's GUID exists.
    #[arg(long)]
    pub force_create: bool,
}
