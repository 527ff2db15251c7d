//! Messages shared by several object types: identities, column properties, formulas, joins,
//! table paths and filters.

use crate::enums::{Aggregation, ColumnType, DataType, FilterOper, IndexType, JoinType};

tml_struct! {
    /// A reference to another object (a table, worksheet, connection) by id, name or GUID.
    pub struct Identity / "Identity" {
        "id" => id: Option<String>,
        "name" => name: Option<String>,
        "fqn" => fqn: Option<String>,
        "obj_id" => obj_id: Option<String>,
    }
    order: ["id", "name", "fqn", "obj_id"]
}

tml_struct! {
    /// Search and display properties of a table or worksheet column.
    pub struct ColumnProperties / "ColumnProperties" {
        "column_type" => column_type: Option<ColumnType>,
        "aggregation" => aggregation: Option<Aggregation>,
        "index_type" => index_type: Option<IndexType>,
        "index_priority" => index_priority: Option<f64>,
        "synonyms" => synonyms: Vec<String>,
        "is_attribution_dimension" => is_attribution_dimension: Option<bool>,
        "is_additive" => is_additive: Option<bool>,
        "calendar" => calendar: Option<String>,
        "format_pattern" => format_pattern: Option<String>,
        "is_hidden" => is_hidden: Option<bool>,
        "spotiq_preference" => spotiq_preference: Option<String>,
        "search_iq_preferred" => search_iq_preferred: Option<bool>,
        "custom_order" => custom_order: Vec<String>,
        "is_mandatory" => is_mandatory: Option<bool>,
        "data_type" => data_type: Option<DataType>,
    }
    order: [
        "column_type", "aggregation", "index_type", "index_priority", "synonyms",
        "is_attribution_dimension", "is_additive", "calendar", "format_pattern", "currency_type",
        "is_hidden", "geo_config", "spotiq_preference", "search_iq_preferred",
        "hierarchical_column_name", "synonym_type", "value_casing", "custom_order", "use_cases",
        "is_mandatory", "is_strict_date_column", "default_date_bucket", "is_time_bucket_restricted",
        "is_mandatory_token_filter", "data_type", "sql_data_type", "ai_context", "sync_with_source",
    ]
}

tml_struct! {
    /// The output properties of a formula.
    pub struct FormulaProperties / "FormulaProperties" {
        "column_type" => column_type: Option<ColumnType>,
        "aggregation" => aggregation: Option<Aggregation>,
    }
    order: ["column_type", "aggregation"]
}

tml_struct! {
    /// A formula of a worksheet or answer.
    pub struct Formula / "Formula" {
        "id" => id: Option<String>,
        "name" => name: Option<String>,
        "expr" => expr: Option<String>,
        "properties" => properties: Option<FormulaProperties>,
        "was_auto_generated" => was_auto_generated: Option<bool>,
    }
    order: ["id", "name", "expr", "properties", "was_auto_generated"]
}

tml_struct! {
    /// A filter of a worksheet or liveboard.
    pub struct Filter / "Filter" {
        "column" => column: Vec<String>,
        "oper" => oper: Option<FilterOper>,
        "values" => values: Vec<String>,
        "excluded_visualizations" => excluded_visualizations: Vec<String>,
        "is_mandatory" => is_mandatory: Option<bool>,
        "is_single_value" => is_single_value: Option<bool>,
        "display_name" => display_name: Option<String>,
        "apply_on_tables" => apply_on_tables: Vec<String>,
    }
    order: [
        "column", "oper", "values", "excluded_visualizations", "is_mandatory", "date_filter",
        "is_single_value", "display_name", "apply_on_tables", "applicability",
    ]
}

tml_struct! {
    /// A join inside a worksheet or answer (between tables it lists).
    pub struct Join / "Join" {
        "id" => id: Option<String>,
        "name" => name: Option<String>,
        "source" => source: Option<String>,
        "destination" => destination: Option<String>,
        /// The join condition(s); the library and ThoughtSpot's EDoc type this as a list (a single
        /// expression reads as a one-item list).
        "on" => on: Vec<String>,
        "type" => join_type: Option<JoinType>,
        "is_one_to_one" => is_one_to_one: Option<bool>,
    }
    order: ["id", "name", "source", "destination", "on", "type", "is_one_to_one"]
}

tml_struct! {
    /// A join a table makes to another table (`joins_with`).
    pub struct Relation / "RelationEDocProto" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "source" => source: Option<Identity>,
        "destination" => destination: Option<Identity>,
        "on" => on: Option<String>,
        "type" => join_type: Option<JoinType>,
        "is_one_to_one" => is_one_to_one: Option<bool>,
        "relation_id" => relation_id: Option<String>,
    }
    order: [
        "name", "description", "source", "destination", "on", "type", "is_one_to_one",
        "relation_id", "with", "cardinality",
    ]
}

tml_struct! {
    /// One step of a table path: the joins followed, in order.
    pub struct JoinPath / "TablePathJoinPath" {
        "join" => join: Vec<String>,
    }
    order: ["join"]
}

tml_struct! {
    /// How a table instance is reached from the worksheet's or answer's root.
    pub struct TablePath / "TablePath" {
        "id" => id: Option<String>,
        "table" => table: Option<String>,
        "join_path" => join_path: Vec<JoinPath>,
        "column" => column: Vec<String>,
    }
    order: ["id", "table", "join_path", "column"]
}
