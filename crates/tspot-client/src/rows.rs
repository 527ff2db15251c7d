//! Result rows with their column names and typed cells, from `searchdata` and `pinboarddata`
//! answers (which carry rows as arrays of JSON values beside a list of column names).
//!
//! ```no_run
//! use tspot_client::prelude::*;
//! use tspot_client::{Cell, Rows};
//! # async fn demo(client: &tspot_client::Client) -> Result<(), tspot_client::ApiError> {
//! let result = tspot_client::call(
//!     client
//!         .search_data()
//!         .query_string("[Sales] [Region]")
//!         .data_source_guid("6a0d3c1e-5b7f-4c2a-9e41-000000000201")
//!         .send(),
//! )
//! .await?;
//! let rows = Rows::from(&result);
//! for row in rows.iter() {
//!     if let (Some(Cell::Text(region)), Some(sales)) = (row.get("Region"), row.get("Total Sales")) {
//!         println!("{region}: {}", sales.as_f64().unwrap_or_default());
//!     }
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

use serde_json::Value;

use crate::generated::types;

/// One value of a result row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// A whole number (counts, ids; dates and date buckets come as epoch seconds).
    Integer(i64),
    /// Any other number.
    Number(f64),
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// Anything else the server sent (a list or an object), as it came.
    Other(Value),
}

impl Cell {
    /// The cell read from a JSON value.
    pub fn from_value(value: &Value) -> Cell {
        match value {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Cell::Integer(i),
                None => n
                    .as_f64()
                    .map_or_else(|| Cell::Other(value.clone()), Cell::Number),
            },
            Value::String(text) => Cell::Text(text.clone()),
            other => Cell::Other(other.clone()),
        }
    }

    /// The number in the cell, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Integer(i) => Some(*i as f64),
            Cell::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The text in the cell, if it is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text),
            _ => None,
        }
    }

    /// `true` for [`Cell::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }
}

/// Rows under column names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    /// The column names, in the order of each row's cells.
    pub columns: Vec<String>,
    /// The rows of this page.
    pub rows: Vec<Vec<Cell>>,
    /// Rows available in all (more than `rows.len()` when the result was paged).
    pub total_row_count: i64,
}

impl Rows {
    /// Builds rows from column names and JSON rows.
    pub fn new(columns: Vec<String>, data: &[Vec<Value>], total_row_count: i64) -> Rows {
        Rows {
            columns,
            rows: data
                .iter()
                .map(|row| row.iter().map(Cell::from_value).collect())
                .collect(),
            total_row_count,
        }
    }

    /// The position of the column called `name` (exactly, or else ignoring case).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name).or_else(|| {
            self.columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name))
        })
    }

    /// The rows, each able to look its cells up by column name.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|cells| Row { rows: self, cells })
    }

    /// The number of rows on this page.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// `true` when this page has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One row of [`Rows`].
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    rows: &'a Rows,
    cells: &'a [Cell],
}

impl<'a> Row<'a> {
    /// The cell of the column called `name` (see [`Rows::column`]).
    pub fn get(&self, name: &str) -> Option<&'a Cell> {
        self.rows
            .column(name)
            .and_then(|index| self.cells.get(index))
    }

    /// The cells, in column order.
    pub fn cells(&self) -> &'a [Cell] {
        self.cells
    }
}

impl From<&types::SearchDataResult> for Rows {
    fn from(result: &types::SearchDataResult) -> Rows {
        Rows::new(
            result.column_names.clone(),
            &result.data,
            result.total_row_count,
        )
    }
}

impl From<&types::VizData> for Rows {
    fn from(viz: &types::VizData) -> Rows {
        Rows::new(viz.column_names.clone(), &viz.data, viz.total_row_count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_typed_and_found_by_column_name() {
        let rows = Rows::new(
            vec!["Region".into(), "Total Sales".into(), "Orders".into()],
            &[
                vec![json!("west"), json!(12.5), json!(3)],
                vec![json!(null), json!(1), json!(true)],
            ],
            2,
        );
        let first = rows.iter().next().unwrap();
        assert_eq!(first.get("region"), Some(&Cell::Text("west".into())));
        assert_eq!(first.get("Total Sales").and_then(Cell::as_f64), Some(12.5));
        assert_eq!(first.get("Orders"), Some(&Cell::Integer(3)));
        assert_eq!(first.get("Nope"), None);
        let second = rows.iter().nth(1).unwrap();
        assert!(second.get("Region").unwrap().is_null());
        assert_eq!(second.cells()[2], Cell::Bool(true));
        assert_eq!(rows.len(), 2);
    }
}
