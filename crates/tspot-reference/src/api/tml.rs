//! The `tml` operations: TML import and export, and the import the demo data installs with.

use tspot_server::*;

use super::no_such_object;
use crate::analytics::run;
use crate::catalog::Catalog;
use crate::catalog::access::{Access, DATA_MANAGEMENT};
use crate::catalog::export::{self, Exported, Format};
use crate::catalog::import::{self, Job, Outcome, Policy};
use crate::data::engine::Engine;
use crate::store::Store;
use crate::{Reference, clock};

impl TmlApi for Reference {
    async fn metadata_tml_import(
        &self,
        ctx: RequestContext,
        input: MetadataTmlImportInput,
    ) -> Result<types::TmlImportResult, ApiError> {
        let caller = self.full_caller(&ctx).await?;
        if input.import_objects.is_empty() {
            return Err(ApiError::bad_request(
                "Parameter 'import_objects' holds no TML document",
            ));
        }
        let max_objects = self.config.max_import_objects;
        if input.import_objects.len() > max_objects {
            return Err(ApiError::bad_request(format!(
                "Parameter 'import_objects' holds {} TML documents; at most {max_objects} are \
                 allowed in one import",
                input.import_objects.len()
            )));
        }
        let admin = caller.is_admin();
        let data_manager = admin || caller.privileges.contains(DATA_MANAGEMENT);
        let max_visualizations = self.config.max_liveboard_visualizations;
        let policy = match input.import_policy {
            types::TmlImportPolicy::Partial => Policy::Partial,
            types::TmlImportPolicy::AllOrNone => Policy::AllOrNone,
            types::TmlImportPolicy::ValidateOnly => Policy::ValidateOnly,
        };
        let actor = caller.user_id.clone();
        let (outcomes, principals) = self
            .blocking(move |work| {
                let outcomes = import(
                    work.store,
                    work.engine,
                    &Job {
                        documents: &input.import_objects,
                        policy,
                        force_create: input.force_create,
                        skip_table_validation: input.skip_cdw_validation_for_tables,
                        actor: &actor,
                        admin,
                        data_manager,
                        share_with: vec![],
                        max_visualizations,
                    },
                )?;
                Ok((outcomes, work.store.principals()?))
            })
            .await?;
        let object = outcomes
            .into_iter()
            .map(|outcome| types::TmlImportObjectResult {
                response: match outcome {
                    Outcome::Imported { record, owner } => {
                        let record = *record;
                        let author = principals.iter().find(|p| p.id == record.author_id);
                        let status = match owner {
                            None => ok_status(),
                            Some(owner) => {
                                let owner = principals
                                    .iter()
                                    .find(|p| p.id == owner)
                                    .map_or(owner, |p| p.name.clone());
                                types::TmlStatus {
                                    status_code: types::TmlStatusCode::Warning,
                                    error_code: None,
                                    error_message: Some(format!(
                                        "Updated '{}', which belongs to user '{owner}': it stays \
                                         theirs, and they may change it again",
                                        record.name
                                    )),
                                }
                            }
                        };
                        types::TmlImportResponse {
                            status,
                            header: Some(types::TmlImportHeader {
                                id_guid: record.id.clone(),
                                name: record.name.clone(),
                                description: record.description.clone(),
                                author_guid: record.author_id.clone(),
                                author_name: author.map(|a| a.name.clone()),
                                author_display_name: author.map(|a| a.display_name.clone()),
                                created: Some(record.created),
                                modified: Some(record.modified),
                                owner_guid: record.id.clone(),
                                metadata_type: record.type_.clone(),
                            }),
                        }
                    }
                    Outcome::Failed { code, message } => types::TmlImportResponse {
                        status: types::TmlStatus {
                            status_code: types::TmlStatusCode::Error,
                            error_code: Some(code as i32),
                            error_message: Some(message),
                        },
                        header: None,
                    },
                },
            })
            .collect();
        Ok(types::TmlImportResult { object })
    }

    async fn metadata_tml_export(
        &self,
        ctx: RequestContext,
        input: MetadataTmlExportInput,
    ) -> Result<types::TmlExportResult, ApiError> {
        let caller = self.full_caller(&ctx).await?;
        if input.export_ids.is_empty() {
            return Err(ApiError::bad_request(
                "Parameter 'export_ids' names no object",
            ));
        }
        let format = match input.formattype {
            types::TmlFormat::Json => Format::Json,
            types::TmlFormat::Yaml => Format::Yaml,
        };
        let exported = self
            .read(move |work| {
                let store = work.store;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                if input.export_ids.iter().all(|id| catalog.get(id).is_none()) {
                    return Err(no_such_object(&input.export_ids[0]));
                }
                // An object the caller may not read is an ERROR entry inside the 200, as in
                // ThoughtSpot (the Python library raises on it), even when it is the only one.
                let readable = |id: &str| access.can_read_all(&catalog, id);
                let mut all = Vec::new();
                for id in &input.export_ids {
                    all.extend(export::export(
                        &catalog,
                        id,
                        input.export_associated,
                        format,
                        input.export_fqn,
                        &readable,
                    ));
                }
                Ok(all)
            })
            .await?;
        let object = exported
            .into_iter()
            .map(|e| match e {
                Exported::Document {
                    id,
                    name,
                    tml_type,
                    edoc,
                    dependencies,
                } => types::TmlExportObject {
                    info: types::TmlExportInfo {
                        filename: Some(export::filename(&name, &tml_type)),
                        name: Some(name),
                        status: ok_status(),
                        type_: Some(tml_type),
                        id,
                        dependency: dependencies
                            .into_iter()
                            .map(|(name, filename)| types::TmlDependency { name, filename })
                            .collect(),
                    },
                    edoc: Some(edoc),
                },
                Exported::Failed { id, message } => types::TmlExportObject {
                    info: types::TmlExportInfo {
                        filename: None,
                        name: None,
                        status: types::TmlStatus {
                            status_code: types::TmlStatusCode::Error,
                            error_code: Some(14504),
                            error_message: Some(message),
                        },
                        type_: None,
                        id,
                        dependency: vec![],
                    },
                    edoc: None,
                },
            })
            .collect();
        Ok(types::TmlExportResult { object })
    }
}

fn ok_status() -> types::TmlStatus {
    types::TmlStatus {
        status_code: types::TmlStatusCode::Ok,
        error_code: None,
        error_message: None,
    }
}

/// Imports TML documents, writing the valid ones in one transaction. The plan and its write
/// run as the store's exclusive "import" work (every replica of a shared store): the plan's
/// checks (whether a GUID exists, whose object it is) still hold when it writes. Without it two
/// imports of one new GUID could both plan "new", and the second would silently update the
/// first importer's object.
pub(crate) fn import(
    store: &dyn Store,
    engine: &dyn Engine,
    job: &Job<'_>,
) -> Result<Vec<Outcome>, ApiError> {
    let mut outcome = None;
    store.exclusive("import", &mut || {
        outcome = Some(plan_and_write(store, engine, job));
    })?;
    outcome.unwrap_or_else(|| Err(ApiError::internal("the import did not run")))
}

fn plan_and_write(
    store: &dyn Store,
    engine: &dyn Engine,
    job: &Job<'_>,
) -> Result<Vec<Outcome>, ApiError> {
    let mut catalog = Catalog::load(store)?;
    let access = Access::of_user(store, job.actor, job.admin)?;
    let can_read = |id: &str| access.can_read(id);
    let request = import::Request {
        job,
        can_read: &can_read,
        now: clock::now_ms(),
        today: run::today(),
    };
    let check = |location: &str, table: &str| {
        engine
            .table_columns(location, table)
            .map(|c| c.map(|cols| cols.into_iter().map(|(name, _)| name).collect()))
            .map_err(|e| e.to_string())
    };
    let (outcomes, writes) =
        import::plan(&request, &mut catalog, &check).map_err(ApiError::bad_request)?;
    if !writes.is_empty() {
        store.put_objects(&writes, job.actor, request.now)?;
    }
    Ok(outcomes)
}

/// Imports TML documents all or none as the administrator `admin_id` (the demo's installer: no
/// limits), sharing new objects with `share_with`.
pub(crate) fn import_as_admin(
    store: &dyn Store,
    engine: &dyn Engine,
    documents: &[String],
    admin_id: &str,
    share_with: Vec<String>,
) -> Result<Vec<Outcome>, ApiError> {
    import(
        store,
        engine,
        &Job {
            documents,
            policy: Policy::AllOrNone,
            force_create: false,
            skip_table_validation: false,
            actor: admin_id,
            admin: true,
            data_manager: true,
            share_with,
            max_visualizations: usize::MAX,
        },
    )
}
