//! `answer`: a saved search with its table and chart settings; also the body of every liveboard
//! visualization.

use super::common::{Formula, Identity, Join, TablePath};
use crate::enums::{Aggregation, ChartType, DisplayMode};

tml_struct! {
    /// A column of the answer's result.
    pub struct AnswerColumn / "AnswerEDocProtoAnswerColumn" {
        "id" => id: Option<String>,
        "name" => name: Option<String>,
        "custom_name" => custom_name: Option<String>,
        "dynamic_title" => dynamic_title: Option<String>,
    }
    order: ["id", "name", "custom_name", "format", "dynamic_title", "sort_info"]
}

tml_struct! {
    /// Table-mode settings of one column.
    pub struct TableVizColumn / "TableVisualizationTableColumn" {
        "column_id" => column_id: Option<String>,
        "wrap_column_text" => wrap_column_text: Option<bool>,
        "column_width" => column_width: Option<i32>,
        "show_headline" => show_headline: Option<bool>,
        "headline_aggregation" => headline_aggregation: Option<Aggregation>,
    }
    order: [
        "column_id", "conditional_formatting", "wrap_column_text", "column_width", "show_headline",
        "headline_aggregation", "headline_client_state", "headline_viz_style",
    ]
}

tml_struct! {
    /// Table-mode settings of an answer (`answer.table`).
    pub struct TableViz / "TableVisualization" {
        "table_columns" => table_columns: Vec<TableVizColumn>,
        "ordered_column_ids" => ordered_column_ids: Vec<String>,
        "show_grid_summary" => show_grid_summary: Option<bool>,
        "show_table_footer" => show_table_footer: Option<bool>,
        "wrap_table_header" => wrap_table_header: Option<bool>,
        "client_state" => client_state: Option<String>,
        "client_state_v2" => client_state_v2: Option<String>,
    }
    order: [
        "table_columns", "ordered_column_ids", "show_grid_summary", "show_table_footer",
        "wrap_table_header", "client_state", "client_state_v2", "viz_style",
    ]
}

tml_struct! {
    /// A column shown in the chart.
    pub struct ChartColumn / "ChartVisualizationChartColumn" {
        "column_id" => column_id: Option<String>,
        "show_data_labels" => show_data_labels: Option<bool>,
    }
    order: ["column_id", "conditional_formatting", "show_data_labels", "type"]
}

tml_struct! {
    /// Which columns go on which axis (by column id).
    pub struct AxisConfig / "ChartVisualizationAxisConfig" {
        "x" => x: Vec<String>,
        "y" => y: Vec<String>,
        "color" => color: Vec<String>,
        "size" => size: Option<String>,
        "hidden" => hidden: Vec<String>,
        "category" => category: Vec<String>,
        "sort" => sort: Vec<String>,
        "measure_values" => measure_values: Vec<String>,
    }
    order: ["x", "y", "color", "size", "hidden", "category", "sort", "measure_values"]
}

tml_struct! {
    /// Chart-mode settings of an answer (`answer.chart`).
    pub struct ChartViz / "ChartVisualization" {
        "type" => chart_type: Option<ChartType>,
        "chart_columns" => chart_columns: Vec<ChartColumn>,
        "axis_configs" => axis_configs: Vec<AxisConfig>,
        "locked" => locked: Option<bool>,
        "client_state" => client_state: Option<String>,
        "client_state_v2" => client_state_v2: Option<String>,
        "custom_chart_name" => custom_chart_name: Option<String>,
    }
    order: [
        "type", "chart_columns", "axis_configs", "locked", "client_state", "client_state_v2",
        "custom_chart_config", "custom_chart_name", "custom_visual_props", "viz_style",
    ]
}

tml_struct! {
    /// The `answer` object (and the `answer` of a liveboard visualization).
    pub struct Answer / "AnswerEDocProto" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "tables" => tables: Vec<Identity>,
        "joins" => joins: Vec<Join>,
        "table_paths" => table_paths: Vec<TablePath>,
        "formulas" => formulas: Vec<Formula>,
        "search_query" => search_query: Option<String>,
        "answer_columns" => answer_columns: Vec<AnswerColumn>,
        "table" => table: Option<TableViz>,
        "chart" => chart: Option<ChartViz>,
        "display_mode" => display_mode: Option<DisplayMode>,
    }
    order: [
        "name", "description", "tables", "joins", "table_paths", "formulas", "search_query",
        "answer_columns", "table", "chart", "display_mode", "client_state", "parameters",
        "parameter_values", "action_object_associations", "dynamic_name", "dynamic_description",
        "cohorts", "dynamic_parameter_values",
    ]
}
