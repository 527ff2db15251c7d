//! TML parsed through `tspot-tml` (feature `tml`): the documents of a `metadata/tml/export`
//! answer as typed [`tspot_tml::Document`]s, and the data types of a data source's columns read
//! from its TML (the data APIs answer column names but no types).
//!
//! ```no_run
//! use tspot_client::prelude::*;
//! use tspot_client::params::TmlExportLists;
//! use tspot_client::tml::ExportedTml;
//! use tspot_client::types;
//! # async fn demo(client: &tspot_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let form = types::TmlExportForm::builder()
//!     .export_id_list(&["6a0d3c1e-5b7f-4c2a-9e41-000000000201"])
//!     .formattype(types::TmlFormat::Yaml);
//! let exported = tspot_client::call(client.metadata_tml_export().body(form).send()).await?;
//! for object in &exported.object {
//!     if let Some(document) = object.document() {
//!         let document = document?;
//!         println!("{} {}", document.object.type_name(), document.object.name());
//!     }
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

use std::collections::HashMap;

use tspot_tml::{DataType, Document, Object, TmlError};

use crate::generated::{Client, ClientTmlExt, types};
use crate::params::TmlExportLists;
use crate::{ApiError, call};

/// Exported TML objects that can be parsed.
pub trait ExportedTml {
    /// The object's document, parsed (YAML or JSON); `None` when the export carries no text
    /// (the object failed to export).
    fn document(&self) -> Option<Result<Document, TmlError>>;
}

impl ExportedTml for types::TmlExportObject {
    fn document(&self) -> Option<Result<Document, TmlError>> {
        self.edoc.as_deref().map(tspot_tml::parse)
    }
}

/// The data types of a data source's columns, by column name (matched ignoring case).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnTypes {
    /// Lower-case name to (name as written, type).
    types: HashMap<String, (String, DataType)>,
}

impl ColumnTypes {
    /// The type of the column called `name`.
    pub fn get(&self, name: &str) -> Option<DataType> {
        self.types
            .get(&name.to_lowercase())
            .map(|(_, data_type)| data_type.clone())
    }

    /// The column names, for "did you mean" and completions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.types.values().map(|(name, _)| name.as_str())
    }

    /// Reads the columns of the tables and worksheets among `documents`: a table's columns with
    /// their database types, a worksheet's columns with the types of the table columns they
    /// show (formulas have no declared type and are left out).
    pub fn from_documents<'a>(documents: impl IntoIterator<Item = &'a Document>) -> ColumnTypes {
        let documents: Vec<&Document> = documents.into_iter().collect();
        let mut tables: HashMap<String, HashMap<String, (String, DataType)>> = HashMap::new();
        for document in &documents {
            if let Object::Table(table) = &document.object {
                let columns = table
                    .columns
                    .iter()
                    .filter_map(|column| {
                        let data_type = column.db_column_properties.as_ref()?.data_type.clone()?;
                        let name = column.name.clone()?;
                        Some((name.to_lowercase(), (name, data_type)))
                    })
                    .collect();
                tables.insert(
                    table.name.clone().unwrap_or_default().to_lowercase(),
                    columns,
                );
            }
        }
        let mut types = HashMap::new();
        for columns in tables.values() {
            types.extend(
                columns
                    .iter()
                    .map(|(key, column)| (key.clone(), column.clone())),
            );
        }
        for document in &documents {
            let Object::Worksheet(worksheet) = &document.object else {
                continue;
            };
            let paths: HashMap<&str, &str> = worksheet
                .table_paths
                .iter()
                .filter_map(|path| Some((path.id.as_deref()?, path.table.as_deref()?)))
                .collect();
            for column in &worksheet.worksheet_columns {
                let (Some(name), Some(id)) = (&column.name, &column.column_id) else {
                    continue;
                };
                let Some((path, table_column)) = id.split_once("::") else {
                    continue;
                };
                let table = paths.get(path).copied().unwrap_or(path).to_lowercase();
                if let Some((_, data_type)) = tables
                    .get(&table)
                    .and_then(|columns| columns.get(&table_column.to_lowercase()))
                {
                    types.insert(name.to_lowercase(), (name.clone(), data_type.clone()));
                }
            }
        }
        ColumnTypes { types }
    }
}

impl Client {
    /// The column types of a data source (worksheet, view, table) or of the sources a Liveboard
    /// or answer uses, read from their TML (`metadata/tml/export` with `export_associated`).
    pub async fn column_types(&self, id: &str) -> Result<ColumnTypes, ApiError> {
        let form = types::TmlExportForm::builder()
            .export_id_list(&[id])
            .export_associated(true)
            .formattype(types::TmlFormat::Yaml);
        let exported = call(self.metadata_tml_export().body(form).send()).await?;
        let documents: Vec<Document> = exported
            .object
            .iter()
            .filter_map(|object| object.document()?.ok())
            .collect();
        Ok(ColumnTypes::from_documents(&documents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worksheet_columns_take_their_table_column_types() {
        let table = tspot_tml::parse(
            "table:\n  name: fact_sales\n  columns:\n  - name: Order Date\n    db_column_properties:\n      data_type: DATE\n  - name: Amount\n    db_column_properties:\n      data_type: DOUBLE\n",
        )
        .unwrap();
        let worksheet = tspot_tml::parse(
            "worksheet:\n  name: Retail Sales\n  table_paths:\n  - id: fact_sales_1\n    table: fact_sales\n  worksheet_columns:\n  - name: Sales\n    column_id: fact_sales_1::Amount\n  - name: Day\n    column_id: fact_sales_1::Order Date\n",
        )
        .unwrap();
        let types = ColumnTypes::from_documents([&table, &worksheet]);
        assert_eq!(types.get("day"), Some(DataType::Date));
        assert_eq!(types.get("Sales"), Some(DataType::Double));
        assert_eq!(types.get("Order Date"), Some(DataType::Date));
        assert_eq!(types.get("Nothing"), None);
        let mut names: Vec<&str> = types.names().collect();
        names.sort();
        assert_eq!(names, ["Amount", "Day", "Order Date", "Sales"]);
    }
}
