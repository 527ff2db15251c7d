//! A table or worksheet as a data source for the search language: which physical tables, how they
//! join, which columns (with their kind, type and default aggregation), and in which database.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tspot_search::{
    Aggregation, ColumnExpr, ColumnKind, DataType, Join, JoinKind, Source, SourceColumn,
    SourceTable,
};

use super::tml::{join_on, join_pairs, list, map_column_refs, split_ref, text};
use super::{Catalog, Entry};

/// A data source ready to search: the model, the database it reads, and that database's SQL.
pub struct DataSource {
    pub source: Source,
    pub location: String,
    /// The dialect of the connection's engine ([`dialect`]).
    pub dialect: Arc<dyn tspot_search::Dialect>,
}

/// The SQL dialect of a connection's engine: PostgreSQL for `postgres`, else SQLite.
pub fn dialect(engine: &str) -> Arc<dyn tspot_search::Dialect> {
    match engine {
        "postgres" => Arc::new(tspot_search::Postgres),
        _ => Arc::new(tspot_search::Sqlite),
    }
}

/// The schema that qualifies a table object's physical table (`schema` in its TML): on
/// PostgreSQL only, where ThoughtSpot's TML names `db`, `schema` and `db_table` (the database is
/// the connection's). SQLite tables stay unqualified, as before (exported TML says `main`, or a
/// warehouse's schema).
fn table_schema(table: &Value, engine: &str) -> Option<String> {
    (engine == "postgres")
        .then(|| text(table, "schema"))
        .flatten()
        .filter(|s| !s.is_empty())
        .map(String::from)
}

pub fn data_type(tml: Option<&str>) -> DataType {
    match tml.unwrap_or("VARCHAR") {
        "INT64" | "INT32" => DataType::Int,
        "DOUBLE" | "FLOAT" => DataType::Double,
        "BOOL" => DataType::Bool,
        "DATE" => DataType::Date,
        "DATE_TIME" | "TIME" => DataType::DateTime,
        _ => DataType::Text,
    }
}

pub fn aggregation(tml: Option<&str>) -> Aggregation {
    match tml.unwrap_or("SUM") {
        "SUM" => Aggregation::Sum,
        "AVERAGE" => Aggregation::Average,
        "COUNT" => Aggregation::Count,
        "COUNT_DISTINCT" => Aggregation::CountDistinct,
        "MIN" => Aggregation::Min,
        "MAX" => Aggregation::Max,
        "STD_DEVIATION" => Aggregation::StdDev,
        "VARIANCE" => Aggregation::Variance,
        _ => Aggregation::None,
    }
}

fn kind(properties: Option<&Value>) -> ColumnKind {
    match properties.and_then(|p| text(p, "column_type")) {
        Some("MEASURE") => ColumnKind::Measure,
        _ => ColumnKind::Attribute,
    }
}

fn join_kind(tml: Option<&str>) -> JoinKind {
    match tml.unwrap_or("INNER") {
        "LEFT_OUTER" => JoinKind::LeftOuter,
        "RIGHT_OUTER" => JoinKind::RightOuter,
        "OUTER" | "FULL_OUTER" => JoinKind::FullOuter,
        _ => JoinKind::Inner,
    }
}

/// A formula refers to `[PATH::Column]`; the search model refers to worksheet columns by name,
/// so each reference becomes the worksheet column built on that path and column.
fn formula_expression(expr: &str, worksheet: &Value) -> String {
    map_column_refs(expr, |token| {
        let (path, column) = split_ref(token);
        let named = list(worksheet, "worksheet_columns").iter().find_map(|c| {
            let (p, col) = split_ref(text(c, "column_id")?);
            (p == path && col.eq_ignore_ascii_case(column)).then(|| text(c, "name"))?
        });
        named.unwrap_or(column).to_string()
    })
}

/// A table column by its display name: (physical column, TML column).
fn table_column<'a>(table: &'a Value, name: &'a str) -> Option<(&'a str, &'a Value)> {
    list(table, "columns")
        .iter()
        .find(|c| text(c, "name").is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .map(|c| (text(c, "db_column_name").unwrap_or(name), c))
}

/// Whether a physical table or schema name belongs to the engine's own catalog (`sqlite_master`,
/// `sqlite_schema`, ..., `pg_catalog`, `information_schema`), which no table may read. Each
/// dot-separated part counts, quotes and brackets aside, case-insensitively.
pub fn is_engine_catalog(name: &str) -> bool {
    name.split('.').any(|part| {
        let part = part
            .trim()
            .trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''))
            .trim()
            .to_ascii_lowercase();
        part.starts_with("sqlite_") || part == "pg_catalog" || part == "information_schema"
    })
}

/// Why a table or worksheet object cannot serve as a data source: its TML names something the
/// catalog does not have (a 400 naming it, or an import ERROR).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error(
        "Table '{table}' may not read '{db_table}': a table reads the user tables of its \
         connection, never the database engine's catalog"
    )]
    EngineCatalog { table: String, db_table: String },
    #[error("Table '{0}' of the worksheet does not exist")]
    MissingTable(String),
    #[error("Connection '{0}' does not exist")]
    MissingConnection(String),
    #[error("Object '{name}' is a {kind}, not a table or worksheet")]
    NotASource { name: String, kind: String },
    #[error("Table '{0}' names no connection")]
    NoConnection(String),
    #[error("Worksheet '{0}' joins tables of different connections")]
    MixedConnections(String),
    #[error("Worksheet '{0}' has no tables")]
    NoTables(String),
    #[error("Join '{join}' names an unknown table '{table}'")]
    UnknownJoinTable { join: String, table: String },
    #[error("Join '{join}' names an unknown column '{column}'")]
    UnknownJoinColumn { join: String, column: String },
    #[error("Column '{column}' uses an unknown formula '{formula}'")]
    UnknownFormula { column: String, formula: String },
    #[error("Column '{column}' refers to an unknown table path '{path}'")]
    UnknownPath { column: String, path: String },
    #[error("Column '{column}' refers to an unknown column '{column_id}'")]
    UnknownColumn { column: String, column_id: String },
}

impl From<SourceError> for tspot_server::ApiError {
    /// The caller asked for data through an object that cannot serve it: a 400 naming why.
    fn from(error: SourceError) -> Self {
        tspot_server::ApiError::bad_request(error.to_string())
    }
}

/// The physical table a table object reads (`db_table`, else its name), or why it may not.
pub fn physical_table<'a>(table: &'a Value, name: &'a str) -> Result<&'a str, SourceError> {
    let db_table = text(table, "db_table").unwrap_or(name);
    let schema = text(table, "schema").unwrap_or_default();
    if is_engine_catalog(db_table) || is_engine_catalog(schema) {
        return Err(SourceError::EngineCatalog {
            table: name.to_owned(),
            db_table: db_table.to_owned(),
        });
    }
    Ok(db_table)
}

impl Catalog {
    /// The table objects a worksheet reads, by the name the worksheet uses for them.
    fn worksheet_tables<'a>(
        &'a self,
        worksheet: &Value,
    ) -> Result<HashMap<String, &'a Entry>, SourceError> {
        let mut tables = HashMap::new();
        for reference in list(worksheet, "tables") {
            let name = text(reference, "name").unwrap_or_default();
            let fqn = text(reference, "fqn").or_else(|| text(reference, "id"));
            let entry = self
                .find("table", fqn, name)
                .ok_or_else(|| SourceError::MissingTable(name.to_owned()))?;
            tables.insert(name.to_string(), entry);
        }
        Ok(tables)
    }

    /// The location and engine of a connection.
    fn location(&self, connection: &str) -> Result<(String, String), SourceError> {
        self.connection(connection)
            .map(|c| (c.location.clone(), c.engine.clone()))
            .ok_or_else(|| SourceError::MissingConnection(connection.to_owned()))
    }

    /// The search model of a table or worksheet object.
    pub fn data_source(&self, entry: &Entry) -> Result<DataSource, SourceError> {
        match entry.record.tml_type.as_str() {
            "table" => self.table_source(entry),
            "worksheet" => self.worksheet_source(entry),
            other => Err(SourceError::NotASource {
                name: entry.record.name.clone(),
                kind: other.to_owned(),
            }),
        }
    }

    fn table_source(&self, entry: &Entry) -> Result<DataSource, SourceError> {
        let table = entry.body();
        let alias = entry.record.name.clone();
        let connection = table
            .get("connection")
            .and_then(|c| text(c, "name"))
            .ok_or_else(|| SourceError::NoConnection(alias.clone()))?
            .to_string();
        let columns = list(table, "columns")
            .iter()
            .map(|c| {
                let name = text(c, "name").unwrap_or_default();
                let properties = c.get("properties");
                SourceColumn {
                    name: name.to_string(),
                    kind: kind(properties),
                    data_type: data_type(
                        c.get("db_column_properties")
                            .and_then(|p| text(p, "data_type")),
                    ),
                    aggregation: aggregation(properties.and_then(|p| text(p, "aggregation"))),
                    expr: ColumnExpr::Physical {
                        table: alias.clone(),
                        column: text(c, "db_column_name").unwrap_or(name).to_string(),
                    },
                }
            })
            .collect();
        let (location, engine) = self.location(&connection)?;
        Ok(DataSource {
            source: Source {
                tables: vec![SourceTable {
                    alias: alias.clone(),
                    schema: table_schema(table, &engine),
                    table: physical_table(table, &alias)?.to_string(),
                }],
                joins: vec![],
                columns,
            },
            location,
            dialect: dialect(&engine),
        })
    }

    fn worksheet_source(&self, entry: &Entry) -> Result<DataSource, SourceError> {
        let worksheet = entry.body();
        let tables = self.worksheet_tables(worksheet)?;
        let mut connection: Option<String> = None;
        let mut source_tables = Vec::new();
        for reference in list(worksheet, "tables") {
            let name = text(reference, "name").unwrap_or_default();
            let table_entry = tables[name];
            let body = table_entry.body();
            let table_connection = body
                .get("connection")
                .and_then(|c| text(c, "name"))
                .unwrap_or_default();
            match &connection {
                None => connection = Some(table_connection.to_string()),
                Some(c) if c != table_connection => {
                    return Err(SourceError::MixedConnections(entry.record.name.clone()));
                }
                Some(_) => {}
            }
            source_tables.push(SourceTable {
                alias: name.to_string(),
                // Set below, once the connection (so the engine) is known.
                schema: None,
                table: physical_table(body, name)?.to_string(),
            });
        }
        let connection =
            connection.ok_or_else(|| SourceError::NoTables(entry.record.name.clone()))?;
        let (location, engine) = self.location(&connection)?;
        for (table, reference) in source_tables.iter_mut().zip(list(worksheet, "tables")) {
            let name = text(reference, "name").unwrap_or_default();
            table.schema = table_schema(tables[name].body(), &engine);
        }

        // Joins listed on the worksheet, else those the tables declare (`joins_with`).
        // A worksheet join may leave out `on`: the table's `joins_with` of that name has it.
        let table_join_on = |name: &str| -> Option<String> {
            tables.values().find_map(|t| {
                list(t.body(), "joins_with")
                    .iter()
                    .find(|j| text(j, "name") == Some(name))
                    .and_then(join_on)
            })
        };
        let mut declared: Vec<(String, String, Option<String>, String)> = list(worksheet, "joins")
            .iter()
            .map(|j| {
                let name = text(j, "name").unwrap_or_default();
                (
                    text(j, "source").unwrap_or_default().to_string(),
                    text(j, "destination").unwrap_or_default().to_string(),
                    text(j, "type").map(String::from),
                    join_on(j)
                        .or_else(|| table_join_on(name))
                        .unwrap_or_default(),
                )
            })
            .collect();
        if declared.is_empty() {
            for (name, table_entry) in &tables {
                for j in list(table_entry.body(), "joins_with") {
                    let destination = j
                        .get("destination")
                        .and_then(|d| text(d, "name"))
                        .unwrap_or_default();
                    if tables.contains_key(destination) {
                        declared.push((
                            name.clone(),
                            destination.to_string(),
                            text(j, "type").map(String::from),
                            join_on(j).unwrap_or_default(),
                        ));
                    }
                }
            }
            declared.sort();
        }
        let mut joins = Vec::new();
        for (left, right, join_type, on) in declared {
            let mut pairs = Vec::new();
            for ((lt, lc), (rt, rc)) in join_pairs(&on) {
                let physical = |table: &str, column: &str| -> Result<String, SourceError> {
                    let entry = tables
                        .get(table)
                        .ok_or_else(|| SourceError::UnknownJoinTable {
                            join: on.clone(),
                            table: table.to_owned(),
                        })?;
                    table_column(entry.body(), column)
                        .map(|(physical, _)| physical.to_string())
                        .ok_or_else(|| SourceError::UnknownJoinColumn {
                            join: on.clone(),
                            column: format!("{table}::{column}"),
                        })
                };
                let (l, r) = (physical(&lt, &lc)?, physical(&rt, &rc)?);
                // Conditions may be written in either direction.
                if lt == left {
                    pairs.push((l, r))
                } else {
                    pairs.push((r, l))
                }
            }
            joins.push(Join {
                left,
                right,
                kind: join_kind(join_type.as_deref()),
                on: pairs,
            });
        }

        let paths: HashMap<&str, &str> = list(worksheet, "table_paths")
            .iter()
            .filter_map(|p| Some((text(p, "id")?, text(p, "table")?)))
            .collect();
        let formulas: HashMap<&str, &Value> = list(worksheet, "formulas")
            .iter()
            .filter_map(|f| Some((text(f, "id").or_else(|| text(f, "name"))?, f)))
            .collect();
        let mut columns = Vec::new();
        for c in list(worksheet, "worksheet_columns") {
            let name = text(c, "name").unwrap_or_default().to_string();
            let properties = c.get("properties");
            if let Some(formula_id) = text(c, "formula_id") {
                let formula =
                    formulas
                        .get(formula_id)
                        .ok_or_else(|| SourceError::UnknownFormula {
                            column: name.clone(),
                            formula: formula_id.to_owned(),
                        })?;
                columns.push(SourceColumn {
                    name,
                    // A formula is a measure unless its properties say attribute.
                    kind: match properties.and_then(|p| text(p, "column_type")) {
                        Some("ATTRIBUTE") => ColumnKind::Attribute,
                        _ => ColumnKind::Measure,
                    },
                    data_type: DataType::Double,
                    aggregation: aggregation(properties.and_then(|p| text(p, "aggregation"))),
                    expr: ColumnExpr::Formula(formula_expression(
                        text(formula, "expr").unwrap_or_default(),
                        worksheet,
                    )),
                });
                continue;
            }
            let column_id = text(c, "column_id").unwrap_or_default();
            let (path, column) = split_ref(column_id);
            let table_name = paths.get(path).copied().unwrap_or(path);
            let table_entry = tables
                .get(table_name)
                .ok_or_else(|| SourceError::UnknownPath {
                    column: name.clone(),
                    path: path.to_owned(),
                })?;
            let (physical, table_col) =
                table_column(table_entry.body(), column).ok_or_else(|| {
                    SourceError::UnknownColumn {
                        column: name.clone(),
                        column_id: column_id.to_owned(),
                    }
                })?;
            let table_properties = table_col.get("properties");
            let column_type = properties
                .and_then(|p| text(p, "column_type"))
                .or_else(|| table_properties.and_then(|p| text(p, "column_type")));
            let agg = properties
                .and_then(|p| text(p, "aggregation"))
                .or_else(|| table_properties.and_then(|p| text(p, "aggregation")));
            columns.push(SourceColumn {
                name,
                kind: if column_type == Some("MEASURE") {
                    ColumnKind::Measure
                } else {
                    ColumnKind::Attribute
                },
                data_type: data_type(
                    table_col
                        .get("db_column_properties")
                        .and_then(|p| text(p, "data_type")),
                ),
                aggregation: aggregation(agg),
                expr: ColumnExpr::Physical {
                    table: table_name.to_string(),
                    column: physical.to_string(),
                },
            });
        }
        Ok(DataSource {
            source: Source {
                tables: source_tables,
                joins,
                columns,
            },
            location,
            dialect: dialect(&engine),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_catalog_is_never_a_table() {
        for name in [
            "sqlite_master",
            "SQLITE_SCHEMA",
            "main.sqlite_temp_master",
            "\"sqlite_sequence\"",
            "[sqlite_stat1]",
            "pg_catalog",
            "PG_CATALOG.pg_user",
            "information_schema.tables",
            "Information_Schema",
        ] {
            assert!(is_engine_catalog(name), "{name}");
        }
        for name in [
            "dim_store",
            "main.fact_sales",
            "my_sqlite_table",
            "pg_users",
        ] {
            assert!(!is_engine_catalog(name), "{name}");
        }
        let table = serde_json::json!({ "db_table": "dim_store", "schema": "pg_catalog" });
        assert!(physical_table(&table, "t").is_err());
        let table = serde_json::json!({ "schema": "main" });
        assert_eq!(physical_table(&table, "dim_store"), Ok("dim_store"));
    }
}
