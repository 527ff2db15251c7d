//! `table`: a table of a connection, its columns and the joins it starts.

use super::common::{ColumnProperties, Identity, Relation};
use crate::enums::DataType;

tml_struct! {
    /// The database side of a column.
    pub struct DbColumnProperties / "LogicalTableEDocProtoDbColumnProperties" {
        "data_type" => data_type: Option<DataType>,
    }
    order: ["data_type"]
}

tml_struct! {
    /// A column of a table.
    pub struct TableColumn / "LogicalTableEDocProtoLogicalColumnEDocProto" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "db_column_name" => db_column_name: Option<String>,
        "properties" => properties: Option<ColumnProperties>,
        "db_column_properties" => db_column_properties: Option<DbColumnProperties>,
        "guid" => guid: Option<String>,
    }
    order: ["name", "description", "db_column_name", "properties", "db_column_properties", "guid"]
}

tml_struct! {
    /// The `table` object: where the data lives (`connection`, `db`, `schema`, `db_table`) and
    /// how its columns appear in search.
    pub struct Table / "LogicalTableEDocProto" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "db" => db: Option<String>,
        "schema" => schema: Option<String>,
        "db_table" => db_table: Option<String>,
        "connection" => connection: Option<Identity>,
        "columns" => columns: Vec<TableColumn>,
        "joins_with" => joins_with: Vec<Relation>,
    }
    order: [
        "name", "description", "db", "schema", "db_table", "connection", "columns", "rls_rules",
        "joins_with", "parameters", "dataset_id", "properties", "templated_fields",
    ]
}
