//! One search over one data source: compile, run with bound parameters, page, count.

use tspot_server::wire::{FilterOperator as WireOperator, RuntimeFilter as WireFilter};

use crate::catalog::source::DataSource;
use crate::data::engine::{Cell, Engine, Param};

/// ThoughtSpot answers at most this many rows per call.
pub const MAX_PAGE: u64 = 100_000;

/// A page of a result.
#[derive(Debug, Clone)]
pub struct Page {
    pub column_names: Vec<String>,
    pub column_types: Vec<tspot_search::DataType>,
    pub rows: Vec<Vec<Cell>>,
    pub total_rows: u64,
    pub offset: u64,
    pub page_size: i64,
}

/// The rows asked for: `batchsize` (-1 all), `offset` (-1 start), `pagenumber` (> 0 overrides).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub batchsize: i64,
    pub offset: i64,
    pub pagenumber: i64,
}

impl Paging {
    fn resolve(self) -> (Option<u64>, u64) {
        let limit = (self.batchsize > 0).then_some(self.batchsize as u64);
        let offset = match (self.pagenumber, limit) {
            (page, Some(size)) if page > 0 => (page as u64 - 1) * size,
            _ => self.offset.max(0) as u64,
        };
        (Some(limit.unwrap_or(MAX_PAGE).min(MAX_PAGE)), offset)
    }
}

/// Why a search failed: the caller's query (400) or the server's data (500).
#[derive(Debug)]
pub enum RunError {
    Query(String),
    Engine(String),
}

impl From<RunError> for tspot_server::ApiError {
    fn from(error: RunError) -> Self {
        match error {
            RunError::Query(message) => tspot_server::ApiError::bad_request(message),
            RunError::Engine(detail) => tspot_server::ApiError::internal(detail),
        }
    }
}

pub fn search_filter(filter: &WireFilter) -> tspot_search::RuntimeFilter {
    use tspot_search::FilterOperator as S;
    let operator = match filter.operator {
        WireOperator::Eq => S::Eq,
        WireOperator::Ne => S::Ne,
        WireOperator::Lt => S::Lt,
        WireOperator::Le => S::Le,
        WireOperator::Gt => S::Gt,
        WireOperator::Ge => S::Ge,
        WireOperator::Contains => S::Contains,
        WireOperator::BeginsWith => S::BeginsWith,
        WireOperator::EndsWith => S::EndsWith,
        WireOperator::BwIncMax => S::BwIncMax,
        WireOperator::BwIncMin => S::BwIncMin,
        WireOperator::BwInc => S::BwInc,
        WireOperator::Bw => S::Bw,
        WireOperator::In => S::In,
    };
    tspot_search::RuntimeFilter {
        column: filter.column.clone(),
        operator,
        values: filter.values.clone(),
    }
}

fn params(values: &[tspot_search::SqlValue]) -> Vec<Param> {
    values
        .iter()
        .map(|v| match v {
            tspot_search::SqlValue::Null => Param::Null,
            tspot_search::SqlValue::Int(i) => Param::Int(*i),
            tspot_search::SqlValue::Double(d) => Param::Double(*d),
            tspot_search::SqlValue::Text(t) => Param::Text(t.clone()),
            tspot_search::SqlValue::Bool(b) => Param::Bool(*b),
        })
        .collect()
}

pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Runs `query` on `source`; runtime filters on columns the source lacks are ignored (a Liveboard
/// filter applies to the visualizations that have the column).
pub fn run(
    engine: &dyn Engine,
    source: &DataSource,
    query: &str,
    filters: &[tspot_search::RuntimeFilter],
    paging: Paging,
) -> Result<Page, RunError> {
    let runtime_filters = filters
        .iter()
        .filter(|f| {
            source
                .source
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&f.column))
        })
        .cloned()
        .collect();
    let options = tspot_search::SearchOptions {
        today: today(),
        runtime_filters,
    };
    let compiled = tspot_search::search(query, &source.source, &options)
        .map_err(|e| RunError::Query(e.to_string()))?;
    let (limit, offset) = paging.resolve();
    let (sql, values) = tspot_search::paged(&compiled, limit, offset);
    let mut rows = engine
        .query(&source.location, &sql, &params(&values))
        .map_err(RunError::Engine)?;
    // SQLite sums integral reals to integers; a Double column always answers a number with a
    // fraction part, as ThoughtSpot does.
    for row in &mut rows {
        for (cell, column) in row.iter_mut().zip(&compiled.columns) {
            if let (Cell::Int(i), tspot_search::DataType::Double) = (&*cell, column.data_type) {
                *cell = Cell::Double(*i as f64);
            }
        }
    }
    let total = engine
        .query(
            &source.location,
            &compiled.count_sql,
            &params(&compiled.count_values),
        )
        .map_err(RunError::Engine)?;
    let total_rows = match total.first().and_then(|r| r.first()) {
        Some(Cell::Int(n)) => *n as u64,
        _ => rows.len() as u64,
    };
    Ok(Page {
        column_names: compiled.columns.iter().map(|c| c.name.clone()).collect(),
        column_types: compiled.columns.iter().map(|c| c.data_type).collect(),
        rows,
        total_rows,
        offset,
        // The rows a page holds at most: the batch size, capped at ThoughtSpot's limit.
        page_size: limit.unwrap_or(MAX_PAGE) as i64,
    })
}
