//! `tspot demo load postgres://...`: the demo's retail star schema and rows in a PostgreSQL
//! database, so that `tspot serve --connection tspot_demo=postgres://...` runs the demo
//! Liveboard there (on a new store, the demo's objects then read that connection).

use std::path::PathBuf;
use std::process::ExitCode;

use tspot_reference::data::demo::postgres::{SCHEMA, load};
use tspot_reference::data::postgres::{PASSWORD_FILE_VAR, PASSWORD_VAR};

#[derive(clap::Subcommand)]
pub enum DemoCommand {
    /// Create the demo's tables (dim_store, dim_product, fact_sales), rows and indexes in a
    /// PostgreSQL database, replacing earlier ones, in one transaction; then ANALYZE them.
    ///
    /// Then serve the demo from there: `tspot serve --connection
    /// tspot_demo=postgres://USER@HOST:PORT/DB` on a new store creates the demo's objects over
    /// that connection. The password comes from TSPOT_PG_PASSWORD or the file named by
    /// TSPOT_PG_PASSWORD_FILE, as for `--connection`.
    Load(LoadArgs),
}

#[derive(clap::Args)]
pub struct LoadArgs {
    /// The database: `postgres://USER@HOST:PORT/DATABASE`.
    #[arg(value_name = "postgres://USER@HOST:PORT/DB")]
    url: String,

    /// Rows of the sales fact.
    #[arg(long, default_value_t = 100_000, value_name = "ROWS")]
    rows: u64,

    /// The schema the tables go in (the demo's table TML names `main`).
    #[arg(long, default_value = SCHEMA, value_name = "SCHEMA")]
    schema: String,
}

pub fn run(command: DemoCommand) -> ExitCode {
    let DemoCommand::Load(args) = command;
    match load_demo(&args) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("tspot: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_demo(args: &LoadArgs) -> Result<String, String> {
    if !tspot_reference::data::postgres::is_postgres(&args.url) {
        return Err("expected postgres://USER@HOST:PORT/DATABASE".into());
    }
    if args.schema.is_empty() || args.schema.contains('"') {
        return Err(format!("--schema {:?} is not a schema name", args.schema));
    }
    let loaded = load(
        &args.url,
        password()?.as_deref(),
        &args.schema,
        args.rows,
        tspot_reference::data::demo::today(),
    )?;
    Ok(format!(
        "loaded the demo into {} (schema {}): {} stores, {} products, {} sales\n\
         serve it with: tspot serve --connection tspot_demo={}",
        loaded.location,
        loaded.schema,
        loaded.stores,
        loaded.products,
        loaded.sales,
        loaded.location
    ))
}

/// The password from TSPOT_PG_PASSWORD, else the first line of the file TSPOT_PG_PASSWORD_FILE
/// names.
fn password() -> Result<Option<String>, String> {
    if let Some(password) = std::env::var(PASSWORD_VAR).ok().filter(|p| !p.is_empty()) {
        return Ok(Some(password));
    }
    let Some(path) = std::env::var_os(PASSWORD_FILE_VAR).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let path = PathBuf::from(path);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read the PostgreSQL password file {} ({PASSWORD_FILE_VAR}): {e}",
            path.display()
        )
    })?;
    Ok(text
        .lines()
        .next()
        .filter(|l| !l.is_empty())
        .map(str::to_owned))
}
