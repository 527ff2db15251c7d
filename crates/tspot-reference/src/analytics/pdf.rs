//! export/pinboard/pdf: run each visualization and hand the results to the PDF renderer.

use tspot_server::{ApiError, ExportPinboardPdfInput, types};

use super::liveboard::{self, VizKind};
use super::run::{self, Paging};
use crate::catalog::access::Access;
use crate::catalog::{Catalog, Entry};
use crate::data::engine::{Cell, Engine};
use crate::store::Store;

/// Rows a table visualization contributes to a PDF.
const TABLE_ROWS: i64 = 1_000;
/// Rows a chart draws.
const CHART_ROWS: i64 = 100;

fn pdf_kind(kind: &VizKind) -> tspot_pdf::VisualKind {
    match kind {
        VizKind::Headline => tspot_pdf::VisualKind::Headline,
        VizKind::Table => tspot_pdf::VisualKind::Table,
        VizKind::Filter => tspot_pdf::VisualKind::Filter,
        VizKind::Chart(chart) => match chart.as_str() {
            "BAR" | "STACKED_BAR" => tspot_pdf::VisualKind::Bar,
            "LINE" | "LINE_COLUMN" => tspot_pdf::VisualKind::Line,
            "AREA" | "STACKED_AREA" => tspot_pdf::VisualKind::Area,
            "PIE" | "DONUT" => tspot_pdf::VisualKind::Pie,
            "COLUMN" | "STACKED_COLUMN" => tspot_pdf::VisualKind::Column,
            _ => tspot_pdf::VisualKind::Table,
        },
    }
}

fn cell(cell: &Cell) -> tspot_pdf::Cell {
    match cell {
        Cell::Null => tspot_pdf::Cell::Null,
        Cell::Int(i) => tspot_pdf::Cell::Number(*i as f64),
        Cell::Double(d) => tspot_pdf::Cell::Number(*d),
        Cell::Text(t) => tspot_pdf::Cell::Text(t.clone()),
    }
}

fn describe(filter: &tspot_search::RuntimeFilter) -> tspot_pdf::FilterLine {
    use tspot_search::FilterOperator as O;
    let values = filter.values.join(", ");
    let description = match filter.operator {
        O::Eq => format!("is {values}"),
        O::Ne => format!("is not {values}"),
        O::Lt => format!("is less than {values}"),
        O::Le => format!("is at most {values}"),
        O::Gt => format!("is greater than {values}"),
        O::Ge => format!("is at least {values}"),
        O::Contains => format!("contains {values}"),
        O::BeginsWith => format!("begins with {values}"),
        O::EndsWith => format!("ends with {values}"),
        O::In => format!("is one of {values}"),
        O::BwIncMax | O::BwIncMin | O::BwInc | O::Bw => {
            format!(
                "is between {} ({})",
                filter.values.join(" and "),
                filter.operator.wire_name()
            )
        }
    };
    tspot_pdf::FilterLine {
        column: filter.column.clone(),
        description,
    }
}

fn is_date(data_type: &tspot_search::DataType) -> bool {
    matches!(
        data_type,
        tspot_search::DataType::Date | tspot_search::DataType::DateTime
    )
}

/// Dates (and date buckets) leave the search as epoch seconds; a page shows them as text, the
/// same text the command line prints (`tspot-format`): a date bucket as ThoughtSpot names it,
/// from the column's name (`Month(Order Date)`: `Nov 2026`), a date as `2026-11-01`, a date-time
/// as `2026-11-01T09:30:00Z`.
fn dates_as_text(page: &mut run::Page) {
    for (i, data_type) in page.column_types.iter().enumerate() {
        if !is_date(data_type) {
            continue;
        }
        let name = page.column_names.get(i).map_or("", String::as_str);
        let bucket = tspot_format::Bucket::from_column_name(name);
        let text = |seconds: i64| match (bucket, data_type) {
            (Some(bucket), _) => bucket.format(seconds),
            (None, tspot_search::DataType::DateTime) => tspot_format::datetime(seconds),
            (None, _) => tspot_format::date(seconds),
        };
        for row in &mut page.rows {
            if let Some(Cell::Int(seconds)) = row.get(i) {
                row[i] = Cell::Text(text(*seconds));
            }
        }
    }
}

/// Charts take their first column as the category: put the first attribute or date column
/// first (search output follows the query's token order, so `[Sales] [Region]` starts with the
/// measure).
fn category_first(page: &mut run::Page) {
    use tspot_search::DataType as D;
    let category = page
        .column_types
        .iter()
        .position(|t| matches!(t, D::Text | D::Bool) || is_date(t));
    if let Some(category) = category.filter(|&c| c > 0) {
        page.column_names[..=category].rotate_right(1);
        page.column_types[..=category].rotate_right(1);
        for row in &mut page.rows {
            row[..=category].rotate_right(1);
        }
    }
}

/// Who asks for a PDF: what they may read, their name (the report's author), and how many
/// visualizations a Liveboard may hold.
pub struct Reader<'a> {
    pub access: &'a Access,
    pub author: &'a str,
    pub max_visualizations: usize,
}

pub fn render(
    catalog: &Catalog,
    engine: &dyn Engine,
    store: &dyn Store,
    entry: &Entry,
    input: &ExportPinboardPdfInput,
    reader: &Reader<'_>,
) -> Result<Vec<u8>, ApiError> {
    let layout = match input.layout_type {
        types::PdfLayoutType::Pinboard => tspot_pdf::Layout::Pinboard,
        types::PdfLayoutType::Visualization => tspot_pdf::Layout::Visualization,
    };
    let wanted = input.visualization_ids.clone().unwrap_or_default();
    if !wanted.is_empty() && layout == tspot_pdf::Layout::Pinboard {
        return Err(ApiError::bad_request(
            "visualization_ids needs layout_type=VISUALIZATION",
        ));
    }
    let started = std::time::Instant::now();
    let (selected, filters) = liveboard::prepare(
        catalog,
        store,
        reader.access,
        entry,
        &wanted,
        &input.runtime_filters,
        reader.max_visualizations,
    )?;
    let pages = run::in_parallel(&selected, |viz| -> Result<Option<run::Page>, ApiError> {
        let rows = if matches!(viz.kind, VizKind::Table) {
            TABLE_ROWS
        } else {
            CHART_ROWS
        };
        let source_id = viz.source_id.as_deref().unwrap_or_default();
        let Some(source_entry) = catalog.get(source_id) else {
            return Ok(None);
        };
        let source = catalog.data_source(source_entry)?;
        let paging = Paging {
            batchsize: rows,
            offset: 0,
            pagenumber: -1,
        };
        Ok(Some(run::run(
            engine, &source, &viz.query, &filters, paging,
        )?))
    });
    let mut visuals = Vec::new();
    for (viz, page) in selected.iter().zip(pages) {
        let Some(mut page) = page? else {
            continue;
        };
        dates_as_text(&mut page);
        if !matches!(viz.kind, VizKind::Table | VizKind::Headline) {
            category_first(&mut page);
        }
        visuals.push(tspot_pdf::Visual {
            id: viz.id.clone(),
            title: viz.name.clone(),
            kind: pdf_kind(&viz.kind),
            column_names: page.column_names,
            rows: page
                .rows
                .iter()
                .map(|r| r.iter().map(cell).collect())
                .collect(),
            total_rows: page.total_rows,
        });
    }
    let report = tspot_pdf::Report {
        title: entry.record.name.clone(),
        description: entry.record.description.clone(),
        author: Some(reader.author.to_string()),
        generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        filters: filters.iter().map(describe).collect(),
        visualizations: visuals,
    };
    let options = tspot_pdf::Options {
        layout,
        orientation: match input.orientation {
            types::PdfOrientation::Landscape => tspot_pdf::Orientation::Landscape,
            types::PdfOrientation::Portrait => tspot_pdf::Orientation::Portrait,
        },
        truncate_tables: input.truncate_tables,
        include_logo: input.include_logo,
        footer_text: input.footer_text.clone().filter(|t| !t.is_empty()),
        include_page_number: input.include_page_number,
        include_cover_page: input.include_cover_page,
        include_filter_page: input.include_filter_page,
    };
    let queried = started.elapsed();
    let pdf =
        tspot_pdf::render(&report, &options).map_err(|e| ApiError::internal(format!("{e:?}")))?;
    // The two halves of an export's time, apart: the bench reads this line.
    tracing::info!(
        liveboard = %entry.record.id,
        queries_ms = queried.as_secs_f64() * 1000.0,
        render_ms = (started.elapsed() - queried).as_secs_f64() * 1000.0,
        bytes = pdf.len(),
        "pdf exported"
    );
    Ok(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tspot_search::DataType;

    #[test]
    fn dates_and_buckets_become_text_as_the_cli_prints_them() {
        let nov_2026 = 1_793_491_200; // 2026-11-01
        let mut page = run::Page {
            column_names: vec![
                "Month(Order Date)".into(),
                "Quarter(Order Date)".into(),
                "Order Date".into(),
                "Shipped At".into(),
                "Total Sales".into(),
            ],
            column_types: vec![
                DataType::Date,
                DataType::Date,
                DataType::Date,
                DataType::DateTime,
                DataType::Int,
            ],
            rows: vec![vec![
                Cell::Int(nov_2026),
                Cell::Int(nov_2026),
                Cell::Int(nov_2026),
                Cell::Int(nov_2026 + 34_200),
                Cell::Int(nov_2026),
            ]],
            total_rows: 1,
            offset: 0,
            page_size: 1,
        };
        dates_as_text(&mut page);
        let text: Vec<String> = page.rows[0]
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            text,
            [
                "Nov 2026",
                "Q4 2026",
                "2026-11-01",
                "2026-11-01T09:30:00Z",
                "Int(1793491200)"
            ]
        );
    }
}
