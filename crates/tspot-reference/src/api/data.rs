//! The `data` operations: searchdata, Liveboard data (pinboarddata) and the Liveboard PDF.
//!
//! Every one checks the caller's read access to the object asked for AND to every object it
//! reads (spec/authorization.md).

use tspot_server::*;

use super::readable;
use crate::Reference;
use crate::analytics::liveboard::{self, Viz};
use crate::analytics::run::{self, Page, Paging};
use crate::catalog::Catalog;
use crate::catalog::Entry;
use crate::catalog::access::Access;
use crate::data::engine::Engine;

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
    let source = catalog.data_source(entry)?;
    run::run(engine, &source, &viz.query, filters, paging).map_err(ApiError::from)
}

impl DataApi for Reference {
    async fn search_data(
        &self,
        ctx: RequestContext,
        input: SearchDataInput,
    ) -> Result<types::SearchDataResult, ApiError> {
        let caller = self.full_caller(&ctx).await?;
        let page = self
            .read(move |work| {
                let store = work.store;
                let engine = work.engine;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let id = input.data_source_guid.as_str();
                let entry = catalog.get(id).ok_or_else(|| {
                    ApiError::bad_request(format!("Data source '{id}' does not exist"))
                })?;
                access.check_all(&catalog, id)?;
                let source = catalog.data_source(entry)?;
                let paging = Paging {
                    batchsize: input.batchsize,
                    offset: input.offset,
                    pagenumber: input.pagenumber,
                };
                run::run(engine, &source, &input.query_string, &[], paging).map_err(ApiError::from)
            })
            .await?;
        Ok(types::SearchDataResult {
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
        })
    }

    async fn pinboard_data(
        &self,
        ctx: RequestContext,
        input: PinboardDataInput,
    ) -> Result<types::PinboardData, ApiError> {
        let caller = self.caller(&ctx).await?;
        let max_visualizations = self.config.max_liveboard_visualizations;
        let data = self
            .read(move |work| {
                let store = work.store;
                let engine = work.engine;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let entry = readable_liveboard(&catalog, &access, &input.id)?;
                let (selected, filters) = liveboard::prepare(
                    &catalog,
                    store,
                    &access,
                    entry,
                    input.vizid.as_deref().unwrap_or_default(),
                    &input.runtime_filters,
                    max_visualizations,
                )?;
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
        Ok(types::PinboardData(data))
    }

    async fn export_pinboard_pdf(
        &self,
        ctx: RequestContext,
        input: ExportPinboardPdfInput,
    ) -> Result<bytes::Bytes, ApiError> {
        let caller = self.caller(&ctx).await?;
        let max_visualizations = self.config.max_liveboard_visualizations;
        let bytes = self
            .read(move |work| {
                let store = work.store;
                let engine = work.engine;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let entry = readable_liveboard(&catalog, &access, &input.id)?;
                let reader = crate::analytics::pdf::Reader {
                    access: &access,
                    author: &caller.user_name,
                    max_visualizations,
                };
                crate::analytics::pdf::render(&catalog, engine, store, entry, &input, &reader)
            })
            .await?;
        Ok(bytes.into())
    }
}

/// The Liveboard `id` when the caller may read it (pinboarddata and its PDF read only those).
fn readable_liveboard<'a>(
    catalog: &'a Catalog,
    access: &Access,
    id: &str,
) -> Result<&'a Entry, ApiError> {
    let entry = readable(catalog, access, id)?;
    if entry.record.tml_type != "liveboard" {
        return Err(ApiError::bad_request(format!(
            "'{}' is not a Liveboard",
            entry.record.name
        )));
    }
    Ok(entry)
}
