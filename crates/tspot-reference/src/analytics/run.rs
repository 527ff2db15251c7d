//! One search over one data source: compile, run with bound parameters, page, count.

use tspot_server::wire::{FilterOperator as WireOperator, RuntimeFilter as WireFilter};

use crate::catalog::source::DataSource;
use crate::data::engine::{Cell, Engine, Param};
use crate::data::error::EngineError;

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
    /// The rows to read (at most [`MAX_PAGE`]) and the first row. The first row must fit the
    /// engine's signed 64-bit `OFFSET`: `(pagenumber - 1) * batchsize` beyond it is the caller's
    /// mistake (400), never a wrapped, negative offset.
    pub fn resolve(self) -> Result<(Option<u64>, u64), String> {
        let limit = (self.batchsize > 0).then_some(self.batchsize as u64);
        let offset = match (self.pagenumber, limit) {
            (page, Some(_)) if page > 0 => (page - 1).checked_mul(self.batchsize).ok_or_else(|| {
                format!(
                    "pagenumber {page} with batchsize {} starts beyond the last row a search can \
                     reach ({}); ask for an earlier page",
                    self.batchsize,
                    i64::MAX
                )
            })?,
            _ => self.offset.max(0),
        };
        Ok((Some(limit.unwrap_or(MAX_PAGE).min(MAX_PAGE)), offset as u64))
    }
}

/// Sorts an engine failure into the caller's mistake (a search too big for the engine, a table
/// object that names a database table or column its connection lacks), an outage and a fault.
fn engine_error(error: EngineError) -> RunError {
    if error.is_callers() {
        RunError::Query(error.to_string())
    } else if let EngineError::Unavailable(detail) = error {
        RunError::Unavailable(detail)
    } else {
        RunError::Engine(error)
    }
}

/// Why a search failed: the caller's query (400) or the server's data (500).
#[derive(Debug)]
pub enum RunError {
    Query(String),
    /// The connection's database is out of reach (a 503 the client may retry).
    Unavailable(String),
    Engine(EngineError),
}

impl From<RunError> for tspot_server::ApiError {
    fn from(error: RunError) -> Self {
        match error {
            RunError::Query(message) => tspot_server::ApiError::bad_request(message),
            RunError::Unavailable(detail) => {
                tracing::warn!(%detail, "a connection's database is unavailable");
                tspot_server::ApiError::new(
                    http::StatusCode::SERVICE_UNAVAILABLE,
                    10000,
                    "The data source's database is unavailable; retry in a few seconds",
                )
                .with_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("5"),
                )
            }
            RunError::Engine(error) => tspot_server::ApiError::internal(error),
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
/// Queries of one request that run at once at most (a Liveboard's visualizations): the cores,
/// up to the engine's connections per file.
const PARALLEL_QUERIES: usize = 4;

/// `work` applied to every item, on up to [`PARALLEL_QUERIES`] threads at once (never more than
/// the cores), results in the items' order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(PARALLEL_QUERIES)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(&work).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(results) => results,
                // A panic in `work` is a bug: let it surface as the caller's panic.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The result's row count when the page tells it: a page that is not full ended with the
/// result, unless it is empty past the first row (the offset may be beyond the end). Only then
/// does a search need its count query (most never do: a page holds up to 100,000 rows).
fn known_total(limit: Option<u64>, offset: u64, rows: usize) -> Option<u64> {
    let rows = rows as u64;
    let full = limit.is_some_and(|limit| rows >= limit);
    (!full && (rows > 0 || offset == 0)).then_some(offset + rows)
}

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
    let compiled =
        tspot_search::search_with_dialect(query, &source.source, &options, source.dialect.clone())
            .map_err(|e| RunError::Query(e.to_string()))?;
    let (limit, offset) = paging.resolve().map_err(RunError::Query)?;
    // A page the caller sized usually leaves rows out, and then its total needs counting: the
    // page carries the count in one more column (one statement, the grouping done once).
    let counted = paging.batchsize > 0;
    let (sql, values) = if counted {
        tspot_search::paged_with_total(&compiled, limit, offset)
    } else {
        tspot_search::paged(&compiled, limit, offset)
    };
    let started = std::time::Instant::now();
    let mut rows = engine
        .query(&source.location, &sql, &params(&values))
        .map_err(engine_error)?;
    // The statement's text holds placeholders only: the values the caller sent stay out of logs.
    tracing::debug!(target: "tspot::sql", %sql, ms = started.elapsed().as_secs_f64() * 1000.0, rows = rows.len(), "search ran");
    let mut window_total = None;
    if counted {
        for row in &mut rows {
            if let Some(Cell::Int(n)) = row.pop() {
                window_total = Some(compiled.total_from_window(n.max(0) as u64));
            }
        }
    }
    // SQLite sums integral reals to integers; a Double column always answers a number with a
    // fraction part, as ThoughtSpot does.
    for row in &mut rows {
        for (cell, column) in row.iter_mut().zip(&compiled.columns) {
            if let (Cell::Int(i), tspot_search::DataType::Double) = (&*cell, column.data_type) {
                *cell = Cell::Double(*i as f64);
            }
        }
    }
    let total_rows = match known_total(limit, offset, rows.len()).or(window_total) {
        Some(total) => total,
        None => {
            let total = engine
                .query(
                    &source.location,
                    &compiled.count_sql,
                    &params(&compiled.count_values),
                )
                .map_err(engine_error)?;
            match total.first().and_then(|r| r.first()) {
                Some(Cell::Int(n)) => *n as u64,
                _ => offset + rows.len() as u64,
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(batchsize: i64, offset: i64, pagenumber: i64) -> Paging {
        Paging {
            batchsize,
            offset,
            pagenumber,
        }
    }

    #[test]
    fn pages_resolve_to_limit_and_offset() {
        assert_eq!(paging(-1, -1, -1).resolve(), Ok((Some(MAX_PAGE), 0)));
        assert_eq!(paging(10, -1, 3).resolve(), Ok((Some(10), 20)));
        assert_eq!(paging(10, 7, -1).resolve(), Ok((Some(10), 7)));
        assert_eq!(
            paging(-1, i64::MAX, -1).resolve(),
            Ok((Some(MAX_PAGE), i64::MAX as u64))
        );
    }

    #[test]
    fn a_page_beyond_the_engines_offsets_is_refused() {
        assert!(paging(1_000, -1, i64::MAX).resolve().is_err());
        assert!(paging(i64::MAX, -1, 3).resolve().is_err());
        assert_eq!(
            paging(i64::MAX, -1, 2).resolve(),
            Ok((Some(MAX_PAGE), i64::MAX as u64))
        );
    }

    #[test]
    fn parallel_work_keeps_the_items_order() {
        let items: Vec<u64> = (0..50).collect();
        let squares = in_parallel(&items, |i| {
            std::thread::sleep(std::time::Duration::from_micros(50 - i));
            i * i
        });
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(in_parallel(&Vec::<u8>::new(), |_| 1).is_empty());
    }

    #[test]
    fn a_page_that_is_not_full_tells_the_total() {
        assert_eq!(known_total(Some(100), 0, 7), Some(7));
        assert_eq!(known_total(Some(100), 0, 0), Some(0));
        assert_eq!(known_total(Some(10), 20, 3), Some(23));
        // A full page, or an empty one past the start, needs the count query.
        assert_eq!(known_total(Some(10), 0, 10), None);
        assert_eq!(known_total(Some(10), 50, 0), None);
    }

    #[test]
    fn engine_limits_and_missing_tables_are_the_callers_mistakes() {
        let query = |error: EngineError| match engine_error(error) {
            RunError::Query(message) => message,
            other => panic!("not the caller's mistake: {other:?}"),
        };
        let limit = || rusqlite::Error::InvalidQuery;
        assert!(
            query(EngineError::TooBig {
                what: "the search has more values than the engine binds in one statement",
                source: Box::new(limit()),
            })
            .contains("values")
        );
        assert!(query(EngineError::MissingTable("main.nope".into())).contains("'main.nope'"));
        assert!(query(EngineError::MissingColumn("x".into())).contains("column 'x'"));
        assert!(
            query(EngineError::OverBudget {
                budget: std::time::Duration::from_secs(30)
            })
            .contains("30 s")
        );
        assert!(matches!(
            engine_error(EngineError::Unavailable("down".into())),
            RunError::Unavailable(_)
        ));
        assert!(matches!(
            engine_error(EngineError::Other("disk I/O error".into())),
            RunError::Engine(_)
        ));
    }
}
