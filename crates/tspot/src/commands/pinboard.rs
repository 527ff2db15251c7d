//! `tspot pinboard data|pdf`.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};
use tspot_client::params::{PinboardDataLists, PinboardPdfLists};
use tspot_client::prelude::*;
use tspot_client::{RuntimeFilter, RuntimeFilters, did_you_mean, types};

use crate::cli::PdfLayout;
use crate::cli::data::{PinboardCommand, PinboardDataArgs, PinboardPdfArgs};
use crate::columns;
use crate::connection::Session;
use crate::errors::{Class, CliError, Result, call, read_all};
use crate::output::{Report, Section, Table};
use crate::progress::Spinner;
use crate::resolve;
use tspot_client::ObjectKind;

pub async fn run(session: &Session, command: PinboardCommand) -> Result<Report> {
    match command {
        PinboardCommand::Data(args) => data(session, args).await,
        PinboardCommand::Pdf(args) => pdf(session, args).await,
    }
}

async fn viz_headers(session: &Session, liveboard: &str) -> Result<Vec<types::VizHeader>> {
    call(
        session
            .client
            .metadata_list_viz_headers()
            .id(liveboard.to_string())
            .send(),
    )
    .await
}

async fn data(session: &Session, args: PinboardDataArgs) -> Result<Report> {
    let spinner = Spinner::start(format!("Finding {}", args.pinboard));
    let liveboard = resolve::object(&session.client, ObjectKind::Liveboard, &args.pinboard).await?;
    let headers = viz_headers(session, &liveboard.id).await?;
    let chosen = resolve::visualizations(&headers, &args.vizzes)?;
    spinner.set_message(format!("Reading the data of {}", liveboard.label));
    let mut request = session.client.pinboard_data().id(liveboard.id.clone());
    if !chosen.is_empty() {
        request = request.viz_ids(&chosen);
    }
    request = request
        .runtime_filters(&args.filters)
        .map_err(CliError::from)?;
    if let Some(limit) = args.limit {
        request = request.batchsize(i64::from(limit));
    }
    if let Some(offset) = args.offset {
        request = request.offset(i64::from(offset));
    }
    let data = call(request.send()).await?.0;
    spinner.set_message(format!("Reading the column types of {}", liveboard.label));
    let types = columns::types_of(&session.client, &liveboard.id).await;
    drop(spinner);
    warn_about_filter_columns(&args.filters, &data, &types);

    // The Liveboard's order; anything the headers do not list after, by id.
    let mut ids: Vec<&String> = headers
        .iter()
        .map(|h| &h.id)
        .filter(|id| data.contains_key(*id))
        .collect();
    let mut others: Vec<&String> = data.keys().filter(|id| !ids.contains(id)).collect();
    others.sort();
    ids.extend(others);

    let mut sections = Vec::new();
    let mut json = Vec::new();
    for id in ids {
        let viz = &data[id];
        sections.push(Section {
            title: format!(
                "{} ({} of {} rows)",
                viz.name, viz.row_count, viz.total_row_count
            ),
            table: Table {
                headers: viz.column_names.clone(),
                rows: viz.data.clone(),
                kinds: columns::kinds(&types, &viz.column_names),
            },
        });
        let mut value = serde_json::to_value(viz).expect("visualization data serializes");
        value["id"] = Value::from(id.clone());
        json.push(value);
    }
    Ok(Report::Sections {
        sections,
        json: Value::Array(json),
    })
}

async fn pdf(session: &Session, args: PinboardPdfArgs) -> Result<Report> {
    let spinner = Spinner::start(format!("Finding {}", args.pinboard));
    let liveboard = resolve::object(&session.client, ObjectKind::Liveboard, &args.pinboard).await?;
    let mut layout = args.layout;
    let mut chosen = Vec::new();
    if !args.vizzes.is_empty() {
        if layout == Some(PdfLayout::Pinboard) {
            return Err(CliError::usage(
                "--viz needs the visualization layout: leave out --layout pinboard",
            ));
        }
        layout = Some(PdfLayout::Visualization);
        let headers = viz_headers(session, &liveboard.id).await?;
        chosen = resolve::visualizations(&headers, &args.vizzes)?;
    }

    let mut request = session
        .client
        .export_pinboard_pdf()
        .id(liveboard.id.clone());
    if let Some(layout) = layout {
        request = request.layout_type(types::PdfLayoutType::from(layout));
    }
    if let Some(orientation) = args.orientation {
        request = request.orientation(types::PdfOrientation::from(orientation));
    }
    if !chosen.is_empty() {
        request = request.visualization_id_list(&chosen);
    }
    request = request
        .runtime_filters(&args.filters)
        .map_err(CliError::from)?;
    if args.no_cover {
        request = request.include_cover_page(false);
    }
    if args.no_filter_page {
        request = request.include_filter_page(false);
    }
    if args.no_logo {
        request = request.include_logo(false);
    }
    if args.no_page_numbers {
        request = request.include_page_number(false);
    }
    if args.truncate_tables {
        request = request.truncate_tables(true);
    }
    if let Some(footer) = args.footer {
        request = request.footer_text(footer);
    }
    spinner.set_message(format!("Exporting {} as PDF", liveboard.label));
    let body = call(request.send()).await?;
    let pdf = read_all(body).await?;
    drop(spinner);
    if !pdf.starts_with(b"%PDF") {
        return Err(CliError::new(
            Class::Server,
            "the server's answer is not a PDF document",
        ));
    }

    if args.out.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&pdf)
            .and_then(|()| stdout.flush())
            .map_err(|e| CliError::failed(format!("cannot write the PDF: {e}")))?;
        return Ok(Report::Nothing);
    }
    write_replacing(&args.out, &pdf)?;
    let file = args.out.display().to_string();
    Ok(Report::Message {
        text: format!("Wrote {file} ({} bytes).", pdf.len()),
        json: json!({"file": file, "bytes": pdf.len(), "pinboard": liveboard.id}),
    })
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a failure never leaves
/// half a file.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail =
        |e: std::io::Error| CliError::failed(format!("cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| CliError::usage(format!("{} is not a file name", path.display())))?;
    let temporary = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(fail(e));
    }
    Ok(())
}

/// ThoughtSpot ignores a runtime filter on a column it does not know; a filter column spelled
/// like one the visualizations show or the data source has, but not the same, is probably a
/// typo: say so.
fn warn_about_filter_columns(
    filters: &[RuntimeFilter],
    data: &std::collections::HashMap<String, types::VizData>,
    source: &tspot_client::tml::ColumnTypes,
) {
    let shown: Vec<&str> = data
        .values()
        .flat_map(|viz| viz.column_names.iter().map(String::as_str))
        .chain(source.names())
        .collect();
    for filter in filters {
        if shown
            .iter()
            .any(|name| name.eq_ignore_ascii_case(&filter.column))
        {
            continue;
        }
        let close = did_you_mean(&filter.column, shown.iter().copied());
        if !close.is_empty() {
            eprintln!(
                "tspot: warning: the Liveboard has no column '{}' (did you mean '{}'?); \
                 the filter may not apply",
                filter.column,
                close.join("' or '")
            );
        }
    }
}
