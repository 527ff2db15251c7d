//! Installing the demo on a new store: the database, its connection, and its TML (tables, the
//! "Retail Sales" worksheet, answers and the "Sales Overview" Liveboard), shared with `All`.

use std::path::Path;

use tspot_server::ApiError;

use crate::catalog::import::Outcome;
use crate::data::engine::Engine;
use crate::store::{ConnectionRecord, Kind, Store, StoreError};
use crate::{ADMIN_USER, ALL_GROUP, clock};

/// The connection the demo tables read.
pub const DEMO_CONNECTION: &str = "tspot_demo";

/// The demo's TML, in dependency order.
pub const DEMO_TML: [&str; 8] = [
    include_str!("../../demo/fact_sales.table.tml"),
    include_str!("../../demo/dim_store.table.tml"),
    include_str!("../../demo/dim_product.table.tml"),
    include_str!("../../demo/retail_sales.worksheet.tml"),
    include_str!("../../demo/sales_by_region.answer.tml"),
    include_str!("../../demo/monthly_sales.answer.tml"),
    include_str!("../../demo/top_products.answer.tml"),
    include_str!("../../demo/sales_overview.liveboard.tml"),
];

fn admin_id(store: &dyn Store) -> Result<String, StoreError> {
    store
        .credentials(ADMIN_USER)?
        .map(|c| c.id)
        .ok_or_else(|| StoreError::Inconsistent(format!("the {ADMIN_USER} user is missing")))
}

/// Points connection `name` at an SQLite file, or at a PostgreSQL database when `path` is a
/// `postgres://` (or `postgresql://`) URL: engine `postgres`, and the URL without its password
/// as the location (the password stays in memory: [`super::engines::Engines::new`]).
pub fn register_connection(store: &dyn Store, name: &str, path: &Path) -> Result<(), StoreError> {
    let now = clock::now_ms();
    let admin = admin_id(store)?;
    let (engine, location, description) =
        match path.to_str().filter(|l| super::postgres::is_postgres(l)) {
            Some(url) => {
                let location = super::postgres::checked_location(url)
                    .map_err(|e| StoreError::Refused(format!("connection {name}: {e}")))?;
                let description = format!("PostgreSQL database {location}");
                ("postgres", location, description)
            }
            None => {
                let location = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
                let description = format!("SQLite database {}", location.display());
                ("sqlite", location.display().to_string(), description)
            }
        };
    store.put_connection(&ConnectionRecord {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.to_string(),
        description: Some(description),
        engine: engine.into(),
        location,
        author_id: admin.clone(),
        owner_id: admin,
        created: now,
        modified: now,
    })
}

/// Whether the demo still has to be installed: a store with no objects and no demo connection.
pub fn needed(store: &dyn Store) -> Result<bool, StoreError> {
    Ok(store.objects()?.is_empty()
        && !store
            .connections()?
            .iter()
            .any(|c| c.name == DEMO_CONNECTION))
}

/// Why the demo could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error(transparent)]
    Demo(#[from] super::demo::DemoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the All group is missing")]
    NoAllGroup,
    #[error("the demo TML does not import: {0}")]
    Import(String),
}

/// Generates the demo database in `data_dir` and registers it (unless `data_dir` is `None`:
/// the demo connection was given, for example a PostgreSQL database `tspot demo load` filled),
/// then imports the demo TML.
pub fn install(
    store: &dyn Store,
    engine: &dyn Engine,
    data_dir: Option<&Path>,
    rows: u64,
) -> Result<(), InstallError> {
    if let Some(data_dir) = data_dir {
        let path = data_dir.join("demo.sqlite3");
        if !path.exists() {
            super::demo::generate(&path, rows, crate::analytics::run::today())?;
        }
        register_connection(store, DEMO_CONNECTION, &path)?;
    }
    let admin = admin_id(store)?;
    let all = store
        .principal(Kind::Group, ALL_GROUP)?
        .ok_or(InstallError::NoAllGroup)?
        .id;
    let documents: Vec<String> = DEMO_TML.iter().map(|t| t.to_string()).collect();
    let outcomes = crate::api::import_as_admin(store, engine, &documents, &admin, vec![all])
        .map_err(|e: ApiError| InstallError::Import(e.message().to_string()))?;
    for outcome in outcomes {
        if let Outcome::Failed { message, .. } = outcome {
            return Err(InstallError::Import(message));
        }
    }
    Ok(())
}
