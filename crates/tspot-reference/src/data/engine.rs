//! The query engine behind connections. SQLite files now; the trait keeps the search code and the
//! API independent of the engine, so PostgreSQL-compatible engines can be added beside it.

use std::path::Path;

use rusqlite::{OpenFlags, types::ValueRef};

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Null,
    Int(i64),
    Double(f64),
    Text(String),
    Bool(bool),
}

/// A result cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Double(f64),
    Text(String),
}

impl Cell {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Int(i) => (*i).into(),
            Cell::Double(d) => serde_json::Number::from_f64(*d)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Cell::Text(t) => t.clone().into(),
        }
    }
}

pub trait Engine: Send + Sync {
    /// Runs one read-only query with bound parameters.
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, String>;
    /// The columns (name, declared type) of a table, or `None` when the table does not exist.
    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> Result<Option<Vec<(String, String)>>, String>;
}

/// SQLite files, opened read-only per query: the data is never written through the API.
pub struct SqliteEngine;

fn open(location: &str) -> Result<rusqlite::Connection, String> {
    if !Path::new(location).exists() {
        return Err(format!("the database file {location} does not exist"));
    }
    let connection = rusqlite::Connection::open_with_flags(
        location,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {location}: {e}"))?;
    // The bundled SQLite has no math functions; `standard deviation` needs sqrt.
    connection
        .create_scalar_function(
            "sqrt",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8
                | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<f64>>(0)?.map(f64::sqrt)),
        )
        .map_err(|e| e.to_string())?;
    Ok(connection)
}

impl Engine for SqliteEngine {
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> Result<Vec<Vec<Cell>>, String> {
        let connection = open(location)?;
        let mut statement = connection.prepare(sql).map_err(|e| e.to_string())?;
        let values: Vec<rusqlite::types::Value> = params
            .iter()
            .map(|p| match p {
                Param::Null => rusqlite::types::Value::Null,
                Param::Int(i) => rusqlite::types::Value::Integer(*i),
                Param::Double(d) => rusqlite::types::Value::Real(*d),
                Param::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Param::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
            })
            .collect();
        let width = statement.column_count();
        let mut rows = statement
            .query(rusqlite::params_from_iter(values))
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| e.to_string())? {
            let mut cells = Vec::with_capacity(width);
            for i in 0..width {
                cells.push(match row.get_ref(i).map_err(|e| e.to_string())? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(i) => Cell::Int(i),
                    ValueRef::Real(r) => Cell::Double(r),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => Cell::Text("<binary>".into()),
                });
            }
            out.push(cells);
        }
        Ok(out)
    }

    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> Result<Option<Vec<(String, String)>>, String> {
        let connection = open(location)?;
        let mut statement = connection
            .prepare("SELECT name, type FROM pragma_table_info(?1)")
            .map_err(|e| e.to_string())?;
        let columns: Vec<(String, String)> = statement
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| e.to_string())?
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok((!columns.is_empty()).then_some(columns))
    }
}
