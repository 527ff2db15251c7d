//! `worksheet`: tables joined into one searchable source, with formulas and curated columns.

use super::common::{ColumnProperties, Filter, Formula, Identity, Join, TablePath};

tml_struct! {
    /// A column a worksheet offers to search: a table column (`column_id`) or a formula (`formula_id`).
    pub struct WorksheetColumn / "WorksheetEDocProtoWorksheetColumn" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "column_id" => column_id: Option<String>,
        "formula_id" => formula_id: Option<String>,
        "properties" => properties: Option<ColumnProperties>,
    }
    order: ["name", "description", "column_id", "formula_id", "properties", "data_panel_column_groups"]
}

tml_struct! {
    /// Query-generation properties of a worksheet.
    pub struct WorksheetProperties / "WorksheetEDocProtoQueryProperties" {
        "is_bypass_rls" => is_bypass_rls: Option<bool>,
        "join_progressive" => join_progressive: Option<bool>,
    }
    order: ["is_bypass_rls", "join_progressive", "sage_config", "spotter_config"]
}

tml_struct! {
    /// The `worksheet` object.
    pub struct Worksheet / "WorksheetEDocProto" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "tables" => tables: Vec<Identity>,
        "joins" => joins: Vec<Join>,
        "table_paths" => table_paths: Vec<TablePath>,
        "formulas" => formulas: Vec<Formula>,
        "filters" => filters: Vec<Filter>,
        "worksheet_columns" => worksheet_columns: Vec<WorksheetColumn>,
        "properties" => properties: Option<WorksheetProperties>,
    }
    order: [
        "name", "description", "tables", "joins", "schema", "model_tables", "table_paths",
        "formulas", "filters", "worksheet_columns", "columns", "properties", "joins_with",
        "generation_type", "lesson_plans", "parameters", "action_object_associations", "use_cases",
        "column_groups", "constraints", "aggregated_models", "cache_config",
    ]
}
