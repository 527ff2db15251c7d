//! The visualizations of a Liveboard (or of an answer, which is one visualization): what each
//! shows, which query it runs, and the Liveboard's own filters.

use serde_json::Value;

use tspot_server::ApiError;

use crate::catalog::access::Access;
use crate::catalog::tml::{self, list, text};
use crate::catalog::{Catalog, Entry};
use crate::store::{Store, VizRecord};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VizKind {
    Headline,
    Table,
    /// A chart and its TML chart type (COLUMN, BAR, LINE, PIE, ...).
    Chart(String),
    /// A Liveboard filter, shown as a visualization listing the filter column's values.
    Filter,
}

impl VizKind {
    pub fn header_type(&self) -> &'static str {
        match self {
            VizKind::Headline => "HEADLINE",
            VizKind::Table => "TABLE",
            VizKind::Chart(_) => "CHART",
            VizKind::Filter => "FILTER",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Viz {
    pub id: String,
    pub name: String,
    pub kind: VizKind,
    pub size: Option<String>,
    /// The data source (table or worksheet) object the query reads.
    pub source_id: Option<String>,
    pub query: String,
}

/// The short size names of visualization headers, from a layout tile's size.
fn tile_size(size: &str) -> String {
    match size.to_uppercase().as_str() {
        "EXTRA_SMALL" | "XS" => "xs",
        "SMALL" | "S" => "s",
        "MEDIUM_SMALL" | "MS" => "ms",
        "LARGE_SMALL" | "LS" => "ls",
        "LARGE" | "L" => "l",
        _ => "m",
    }
    .to_string()
}

fn kind_of(answer: &Value) -> VizKind {
    let chart_type = answer
        .get("chart")
        .and_then(|c| text(c, "type"))
        .map(str::to_uppercase);
    match (text(answer, "display_mode"), chart_type.as_deref()) {
        (_, Some("KPI")) | (_, Some("HEADLINE")) => VizKind::Headline,
        (Some("TABLE_MODE"), _) | (None, None) => VizKind::Table,
        (_, Some(chart)) => VizKind::Chart(chart.to_string()),
        (_, None) => VizKind::Table,
    }
}

fn source_of(catalog: &Catalog, answer: &Value) -> Option<String> {
    let reference = list(answer, "tables").first()?;
    let name = text(reference, "name").unwrap_or_default();
    let fqn = text(reference, "fqn");
    catalog.find_source(fqn, name).map(|e| e.record.id.clone())
}

/// The visualizations of a Liveboard or answer, with their stable ids from `records`.
pub fn visualizations(catalog: &Catalog, entry: &Entry, records: &[VizRecord]) -> Vec<Viz> {
    let body = entry.body();
    let guid = |tml_id: &str| {
        records
            .iter()
            .find(|r| r.tml_id == tml_id)
            .map(|r| r.id.clone())
            .unwrap_or_else(|| format!("{}-{tml_id}", entry.record.id))
    };
    if entry.record.tml_type == "answer" {
        return vec![Viz {
            id: guid("answer"),
            name: entry.record.name.clone(),
            kind: kind_of(body),
            size: None,
            source_id: source_of(catalog, body),
            query: tml::unqualify_columns(text(body, "search_query").unwrap_or_default()),
        }];
    }
    let sizes: Vec<(String, String)> = body
        .get("layout")
        .map(|l| list(l, "tiles"))
        .unwrap_or(&[])
        .iter()
        .filter_map(|t| {
            Some((
                text(t, "visualization_id")?.to_string(),
                tile_size(text(t, "size")?),
            ))
        })
        .collect();
    let mut vizzes: Vec<Viz> = list(body, "visualizations")
        .iter()
        .enumerate()
        .filter_map(|(position, viz)| {
            let tml_id = text(viz, "id")
                .map(String::from)
                .unwrap_or_else(|| format!("Viz_{}", position + 1));
            let answer = viz.get("answer")?;
            Some(Viz {
                id: guid(&tml_id),
                name: text(answer, "name").unwrap_or(&tml_id).to_string(),
                kind: kind_of(answer),
                size: sizes
                    .iter()
                    .find(|(v, _)| *v == tml_id)
                    .map(|(_, s)| s.clone()),
                source_id: source_of(catalog, answer),
                query: tml::unqualify_columns(text(answer, "search_query").unwrap_or_default()),
            })
        })
        .collect();
    // A Liveboard filter shows the values of its column, read from the first visualization's source.
    let first_source = vizzes.first().and_then(|v| v.source_id.clone());
    for filter in list(body, "filters") {
        let column = list(filter, "column")
            .first()
            .and_then(Value::as_str)
            .unwrap_or_default();
        vizzes.push(Viz {
            id: guid(&format!("filter:{column}")),
            name: column.to_string(),
            kind: VizKind::Filter,
            size: None,
            source_id: first_source.clone(),
            query: format!("[{column}]"),
        });
    }
    vizzes
}

/// Refuses (400) a Liveboard with more visualizations, its filters aside, than `max`.
pub fn within_limit(entry: &Entry, vizzes: &[Viz], max: usize) -> Result<(), ApiError> {
    let count = vizzes.iter().filter(|v| v.kind != VizKind::Filter).count();
    if count > max {
        return Err(ApiError::bad_request(format!(
            "Liveboard '{}' has {count} visualizations; at most {max} are allowed",
            entry.record.name
        )));
    }
    Ok(())
}

/// Whether the caller may read what a visualization of `entry` reads (its source, and what that
/// source reads). A visualization without a source reads nothing.
pub fn may_read(catalog: &Catalog, access: &Access, entry: &Entry, viz: &Viz) -> bool {
    viz.source_id
        .as_deref()
        .is_none_or(|source| access.can_read_all_through(catalog, &entry.record.id, source))
}

/// The visualizations of `entry` asked for (`wanted` empty: all of them), each of whose sources
/// the caller must be able to read: 400 for an id not on the Liveboard, 403 for a visualization
/// whose data the caller may not read (the whole call is refused, never a partial answer).
pub fn select<'v>(
    catalog: &Catalog,
    access: &Access,
    entry: &Entry,
    vizzes: &'v [Viz],
    wanted: &[String],
) -> Result<Vec<&'v Viz>, ApiError> {
    if let Some(unknown) = wanted
        .iter()
        .find(|id| !vizzes.iter().any(|v| &v.id == *id))
    {
        return Err(ApiError::bad_request(format!(
            "Visualization '{unknown}' is not on Liveboard '{}'",
            entry.record.name
        )));
    }
    let selected: Vec<&Viz> = vizzes
        .iter()
        .filter(|v| wanted.is_empty() || wanted.contains(&v.id))
        .collect();
    if let Some(refused) = selected
        .iter()
        .find(|v| !may_read(catalog, access, entry, v))
    {
        return Err(ApiError::forbidden(format!(
            "You do not have access to the data visualization '{}' (id '{}') reads",
            refused.name, refused.id
        )));
    }
    Ok(selected)
}

/// What a call on a Liveboard (its data or its PDF) runs: the visualizations asked for
/// (`wanted` empty: all), within the limit and each readable by the caller, and the filters they
/// run under, the Liveboard's own and then the caller's runtime filters.
pub fn prepare(
    catalog: &Catalog,
    store: &dyn Store,
    access: &Access,
    entry: &Entry,
    wanted: &[String],
    runtime_filters: &[tspot_server::wire::RuntimeFilter],
    max_visualizations: usize,
) -> Result<(Vec<Viz>, Vec<tspot_search::RuntimeFilter>), ApiError> {
    let vizzes = visualizations(catalog, entry, &store.visualizations(&entry.record.id)?);
    within_limit(entry, &vizzes, max_visualizations)?;
    let selected = select(catalog, access, entry, &vizzes, wanted)?
        .into_iter()
        .cloned()
        .collect();
    let mut filters = filters(entry);
    filters.extend(
        runtime_filters
            .iter()
            .map(crate::analytics::run::search_filter),
    );
    Ok((selected, filters))
}

/// The Liveboard's filters as runtime filters (`oper` as in TML: in, not_in, eq, ne, lt, le,
/// gt, ge, between, contains, begins_with, ends_with).
pub fn filters(entry: &Entry) -> Vec<tspot_search::RuntimeFilter> {
    use tspot_search::FilterOperator as O;
    list(entry.body(), "filters")
        .iter()
        .filter_map(|f| {
            let column = list(f, "column").first()?.as_str()?.to_string();
            let values: Vec<String> = list(f, "values")
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect();
            let operator = match text(f, "oper").unwrap_or("in").to_lowercase().as_str() {
                "eq" | "=" => O::Eq,
                "ne" | "!=" => O::Ne,
                "lt" | "<" => O::Lt,
                "le" | "<=" => O::Le,
                "gt" | ">" => O::Gt,
                "ge" | ">=" => O::Ge,
                "between" => O::BwInc,
                "contains" => O::Contains,
                "begins_with" => O::BeginsWith,
                "ends_with" => O::EndsWith,
                _ => O::In,
            };
            Some(tspot_search::RuntimeFilter {
                column,
                operator,
                values,
            })
        })
        .collect()
}
