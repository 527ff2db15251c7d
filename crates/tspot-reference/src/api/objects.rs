//! The operations on metadata objects: TML import and export, searchdata, Liveboard data,
//! visualization headers and the PDF export.
//!
//! Every one checks the caller's read access to the object asked for AND to every object it
//! reads (spec/authorization.md): a 403 names only the id the caller sent.

use tspot_server::*;

use crate::analytics::liveboard::{self, Viz, VizKind};
use crate::analytics::run::{self, Page, Paging};
use crate::catalog::access::{self, Access, DATA_MANAGEMENT};
use crate::catalog::export::{self, Exported, Format};
use crate::catalog::import::{self, Outcome, Policy};
use crate::catalog::{Catalog, Entry};
use crate::data::engine::Engine;
use crate::store::Store;
use crate::{Reference, clock};

fn no_such_object(id: &str) -> ApiError {
    ApiError::not_found(format!("No object with id '{id}' exists"))
}

/// A readable Liveboard or answer, or the error ThoughtSpot gives. What its visualizations read
/// is checked per visualization ([`liveboard::select`]).
fn readable<'a>(catalog: &'a Catalog, access: &Access, id: &str) -> Result<&'a Entry, ApiError> {
    let entry = catalog.get(id).ok_or_else(|| no_such_object(id))?;
    if !access.can_read(id) {
        return Err(access::forbidden(id));
    }
    Ok(entry)
}

fn viz_data(page: Page, name: &str) -> types::VizData {
    types::VizData {
        name: name.to_string(),
        column_names: page.column_names,
        row_count: page.rows.len() as i64,
        data: page
            .rows
            .iter()
            .map(|row| row.iter().map(|c| c.to_json()).collect())
            .collect(),
        sampling_ratio: 1.0,
        total_row_count: page.total_rows as i64,
        page_size: page.page_size,
        offset: page.offset as i64,
    }
}

/// Runs one visualization's query with the Liveboard's and the request's filters.
fn run_viz(
    catalog: &Catalog,
    engine: &dyn Engine,
    viz: &Viz,
    filters: &[tspot_search::RuntimeFilter],
    paging: Paging,
) -> Result<Page, ApiError> {
    let source_id = viz.source_id.as_deref().ok_or_else(|| {
        ApiError::bad_request(format!("Visualization '{}' has no data source", viz.name))
    })?;
    let entry = catalog.get(source_id).ok_or_else(|| {
        ApiError::bad_request(format!("The data source of '{}' is gone", viz.name))
    })?;
    let source = catalog.data_source(entry).map_err(ApiError::bad_request)?;
    run::run(engine, &source, &viz.query, filters, paging).map_err(ApiError::from)
}

impl Reference {
    pub(crate) async fn tml_import(
        &self,
        ctx: RequestContext,
        input: MetadataTmlImportInput,
    ) -> Result<MetadataTmlImportResponse, ApiError> {
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
                    &Import {
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
        Ok(MetadataTmlImportResponse::Ok(types::TmlImportResult {
            object,
        }))
    }

    pub(crate) async fn tml_export(
        &self,
        ctx: RequestContext,
        input: MetadataTmlExportInput,
    ) -> Result<MetadataTmlExportResponse, ApiError> {
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
        Ok(MetadataTmlExportResponse::Ok(types::TmlExportResult {
            object,
        }))
    }

    pub(crate) async fn search(
        &self,
        ctx: RequestContext,
        input: SearchDataInput,
    ) -> Result<SearchDataResponse, ApiError> {
        let caller = self.full_caller(&ctx).await?;
        let page = self
            .read(move |work| {
                let store = work.store;
                let engine = work.engine;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let id = input
                    .data_source_guid
                    .trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']');
                let entry = catalog.get(id).ok_or_else(|| {
                    ApiError::bad_request(format!("Data source '{id}' does not exist"))
                })?;
                access.check_all(&catalog, id)?;
                let source = catalog.data_source(entry).map_err(ApiError::bad_request)?;
                let paging = Paging {
                    batchsize: input.batchsize,
                    offset: input.offset,
                    pagenumber: input.pagenumber,
                };
                run::run(engine, &source, &input.query_string, &[], paging).map_err(ApiError::from)
            })
            .await?;
        Ok(SearchDataResponse::Ok(types::SearchDataResult {
            column_names: page.column_names,
            row_count: page.rows.len() as i64,
            data: page
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_json()).collect())
                .collect(),
            sampling_ratio: 1.0,
            total_row_count: page.total_rows as i64,
            page_size: page.page_size,
            offset: page.offset as i64,
        }))
    }

    pub(crate) async fn pinboard_data(
        &self,
        ctx: RequestContext,
        input: PinboardDataInput,
    ) -> Result<PinboardDataResponse, ApiError> {
        let caller = self.caller(&ctx).await?;
        let max_visualizations = self.config.max_liveboard_visualizations;
        let data = self
            .read(move |work| {
                let store = work.store;
                let engine = work.engine;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let entry = readable(&catalog, &access, &input.id)?;
                if entry.record.tml_type != "liveboard" {
                    return Err(ApiError::bad_request(format!(
                        "'{}' is not a Liveboard",
                        entry.record.name
                    )));
                }
                let vizzes =
                    liveboard::visualizations(&catalog, entry, &store.visualizations(&input.id)?);
                liveboard::within_limit(entry, &vizzes, max_visualizations)?;
                let wanted = input.vizid.clone().unwrap_or_default();
                let selected = liveboard::select(&catalog, &access, entry, &vizzes, &wanted)?;
                let mut filters = liveboard::filters(entry);
                filters.extend(input.runtime_filters.iter().map(run::search_filter));
                let paging = Paging {
                    batchsize: input.batchsize,
                    offset: input.offset,
                    pagenumber: input.pagenumber,
                };
                let pages = run::in_parallel(&selected, |viz| {
                    run_viz(&catalog, engine, viz, &filters, paging)
                });
                let mut result = std::collections::HashMap::new();
                for (viz, page) in selected.iter().zip(pages) {
                    result.insert(viz.id.clone(), viz_data(page?, &viz.name));
                }
                Ok(result)
            })
            .await?;
        Ok(PinboardDataResponse::Ok(types::PinboardData(data)))
    }

    pub(crate) async fn list_viz_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListVizHeadersInput,
    ) -> Result<MetadataListVizHeadersResponse, ApiError> {
        let caller = self.caller(&ctx).await?;
        let headers = self
            .read(move |work| {
                let store = work.store;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let entry = readable(&catalog, &access, &input.id)?;
                if !matches!(entry.record.tml_type.as_str(), "liveboard" | "answer") {
                    return Err(ApiError::bad_request(format!(
                        "'{}' is not a Liveboard or an answer",
                        entry.record.name
                    )));
                }
                let vizzes =
                    liveboard::visualizations(&catalog, entry, &store.visualizations(&input.id)?);
                // Visualizations whose data the caller may not read are left out.
                Ok(vizzes
                    .into_iter()
                    .filter(|viz| liveboard::may_read(&catalog, &access, entry, viz))
                    .map(|viz| viz_header(entry, viz))
                    .collect())
            })
            .await?;
        Ok(MetadataListVizHeadersResponse::Ok(headers))
    }

    pub(crate) async fn pdf(
        &self,
        ctx: RequestContext,
        input: ExportPinboardPdfInput,
    ) -> Result<ExportPinboardPdfResponse, ApiError> {
        let caller = self.caller(&ctx).await?;
        let max_visualizations = self.config.max_liveboard_visualizations;
        let bytes = self
            .read(move |work| {
                let store = work.store;
                let engine = work.engine;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let entry = readable(&catalog, &access, &input.id)?;
                if entry.record.tml_type != "liveboard" {
                    return Err(ApiError::bad_request(format!(
                        "'{}' is not a Liveboard",
                        entry.record.name
                    )));
                }
                let reader = crate::analytics::pdf::Reader {
                    access: &access,
                    author: &caller.user_name,
                    max_visualizations,
                };
                crate::analytics::pdf::render(&catalog, engine, store, entry, &input, &reader)
            })
            .await?;
        Ok(ExportPinboardPdfResponse::Ok(bytes.into()))
    }
}

fn ok_status() -> types::TmlStatus {
    types::TmlStatus {
        status_code: types::TmlStatusCode::Ok,
        error_code: None,
        error_message: None,
    }
}

fn viz_header(entry: &Entry, viz: Viz) -> types::VizHeader {
    let filter = viz.kind == VizKind::Filter;
    types::VizHeader {
        id: viz.id,
        name: viz.name.clone(),
        author: entry.record.author_id.clone(),
        created: entry.record.created,
        modified: entry.record.modified,
        modified_by: entry.record.modified_by.clone(),
        owner: entry.record.id.clone(),
        viz_type: viz.kind.header_type().parse().ok(),
        size: if filter {
            None
        } else {
            Some(viz.size.unwrap_or_else(|| "m".into()))
        },
        title: (!filter).then_some(types::VizTitle {
            value: types::VizTitleValue { text: viz.name },
        }),
    }
}

/// One TML import: the documents, how to import them, and who imports them.
pub(crate) struct Import<'a> {
    pub documents: &'a [String],
    pub policy: Policy,
    pub force_create: bool,
    pub skip_table_validation: bool,
    /// The importing user: author and owner of new objects.
    pub actor: &'a str,
    /// ADMINISTRATION: reads and may change every object.
    pub admin: bool,
    /// ADMINISTRATION or DATAMANAGEMENT: may create and change tables over a connection.
    pub data_manager: bool,
    /// Principals new objects are shared with (the demo shares with `All`).
    pub share_with: Vec<String>,
    pub max_visualizations: usize,
}

/// Held from an import's plan to its write: the plan's checks (whether a GUID exists, whose
/// object it is) still hold when it writes. Without it two imports of one new GUID could both
/// plan "new", and the second would silently update the first importer's object. (One process
/// serves a store; in tests several stores share it, which only orders their imports.)
static IMPORTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Imports TML documents, writing the valid ones in one transaction.
pub(crate) fn import(
    store: &dyn Store,
    engine: &dyn Engine,
    job: &Import<'_>,
) -> Result<Vec<Outcome>, ApiError> {
    let _planning = IMPORTS.lock().unwrap_or_else(|p| p.into_inner());
    let mut catalog = Catalog::load(store)?;
    let access = Access::of_user(store, job.actor, job.admin)?;
    let can_read = |id: &str| access.can_read(id);
    let request = import::Request {
        documents: job.documents,
        policy: job.policy,
        force_create: job.force_create,
        skip_table_validation: job.skip_table_validation,
        actor: job.actor,
        admin: job.admin,
        data_manager: job.data_manager,
        can_read: &can_read,
        max_visualizations: job.max_visualizations,
        share_with: job.share_with.clone(),
        now: clock::now_ms(),
        today: run::today(),
    };
    let check = |location: &str, table: &str| {
        engine
            .table_columns(location, table)
            .map(|c| c.map(|cols| cols.into_iter().map(|(name, _)| name).collect()))
    };
    let (outcomes, writes) =
        import::plan(&request, &mut catalog, &check).map_err(ApiError::bad_request)?;
    if !writes.is_empty() {
        store.put_objects(&writes, job.actor, request.now)?;
    }
    Ok(outcomes)
}

/// Imports TML documents as `actor` (the demo's installer: an administrator, so no limits).
#[allow(clippy::too_many_arguments)]
pub(crate) fn import_documents(
    store: &dyn Store,
    engine: &dyn Engine,
    documents: &[String],
    policy: Policy,
    force_create: bool,
    skip_table_validation: bool,
    actor: &str,
    admin: bool,
    share_with: Vec<String>,
) -> Result<Vec<Outcome>, ApiError> {
    let data_manager = admin || store.privileges(actor)?.contains(DATA_MANAGEMENT);
    import(
        store,
        engine,
        &Import {
            documents,
            policy,
            force_create,
            skip_table_validation,
            actor,
            admin,
            data_manager,
            share_with,
            max_visualizations: usize::MAX,
        },
    )
}
