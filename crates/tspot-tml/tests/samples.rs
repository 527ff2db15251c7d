//! The sample documents (a retail star schema) read into the model as expected and are canonical:
//! writing them back gives the same bytes, in YAML and in JSON.
//!
//! `TSPOT_TML_BLESS=1 cargo test -p tspot-tml --test samples` rewrites `samples/json/` from the
//! YAML samples.

mod common;

use common::{json_samples, sample, suffix_type, yaml_samples};
use tspot_tml::{
    Aggregation, ChartType, ColumnType, DataType, DisplayMode, Document, FilterOper, IndexType,
    JoinType, Object, TileSize, parse, to_json, to_yaml,
};

/// What writing a sample back gives: the sample itself, except that a legacy `pinboard` key is
/// written as `liveboard`.
fn canonical(name: &str, text: &str) -> String {
    if suffix_type(name) == "pinboard" {
        text.replacen("\npinboard:\n", "\nliveboard:\n", 1)
    } else {
        text.to_owned()
    }
}

fn doc(name: &str) -> Document {
    parse(&sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn yaml_samples_write_back_byte_for_byte() {
    for (name, text) in yaml_samples() {
        let parsed = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            to_yaml(&parsed),
            canonical(&name, &text),
            "{name} is not canonical"
        );
        let expected_type = suffix_type(&name).replace("pinboard", "liveboard");
        assert_eq!(
            parsed.object.type_name(),
            expected_type,
            "{name}: object type"
        );
    }
}

#[test]
fn json_samples_are_the_yaml_samples_as_json() {
    let bless = std::env::var_os("TSPOT_TML_BLESS").is_some();
    let json_dir = common::samples_dir().join("json");
    for (name, text) in yaml_samples() {
        let expected = format!("{}\n", to_json(&parse(&text).unwrap()));
        let path = json_dir.join(&name);
        if bless {
            std::fs::create_dir_all(&json_dir).unwrap();
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (bless with TSPOT_TML_BLESS=1)", path.display()));
        assert_eq!(actual, expected, "{name}: JSON sample is stale");
    }
    assert_eq!(json_samples().len(), yaml_samples().len());
}

#[test]
fn json_samples_read_as_their_yaml_twins() {
    for (name, json) in json_samples() {
        let from_json = parse(&json).unwrap_or_else(|e| panic!("json/{name}: {e}"));
        let from_yaml = parse(&sample(&name)).unwrap();
        assert_eq!(from_json, from_yaml, "{name}");
        assert_eq!(format!("{}\n", to_json(&from_json)), json, "{name}");
        assert_eq!(
            to_yaml(&from_json),
            canonical(&name, &sample(&name)),
            "{name}"
        );
    }
}

#[test]
fn fact_sales_table() {
    let d = doc("fact_sales.table.tml");
    assert_eq!(
        d.guid.as_deref(),
        Some("7c1e5f0a-2b9d-4c3e-8a41-6d2f9b0e1a01")
    );
    assert_eq!(d.file_name(), "fact_sales.table.tml");
    let Object::Table(t) = &d.object else {
        panic!("not a table")
    };
    assert_eq!(d.object.name(), "fact_sales");
    assert_eq!(d.object.type_name(), "table");
    assert_eq!(
        (t.db.as_deref(), t.schema.as_deref(), t.db_table.as_deref()),
        (Some("retail"), Some("main"), Some("fact_sales"))
    );
    assert_eq!(
        t.connection.as_ref().unwrap().name.as_deref(),
        Some("retail")
    );
    let types: Vec<_> = t
        .columns
        .iter()
        .map(|c| {
            c.db_column_properties
                .as_ref()
                .unwrap()
                .data_type
                .clone()
                .unwrap()
        })
        .collect();
    for expected in [
        DataType::Int64,
        DataType::Int32,
        DataType::Double,
        DataType::Float,
        DataType::Bool,
        DataType::Date,
        DataType::DateTime,
    ] {
        assert!(types.contains(&expected), "{expected} missing");
    }
    let revenue = t
        .columns
        .iter()
        .find(|c| c.name.as_deref() == Some("Revenue"))
        .unwrap();
    let props = revenue.properties.as_ref().unwrap();
    assert_eq!(props.column_type, Some(ColumnType::Measure));
    assert_eq!(props.aggregation, Some(Aggregation::Sum));
    assert_eq!(props.index_type, Some(IndexType::DontIndex));
    assert_eq!(props.index_priority, Some(8.0));
    assert_eq!(props.synonyms, ["Sales", "Turnover"]);
    assert_eq!(props.format_pattern.as_deref(), Some("#,##0.00"));
    // Not typed here, kept verbatim.
    assert!(props.extra.contains_key("currency_type"));
    let joins: Vec<_> = t
        .joins_with
        .iter()
        .map(|j| {
            (
                j.destination.as_ref().unwrap().name.clone().unwrap(),
                j.join_type.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        joins,
        [
            ("dim_store".into(), JoinType::Inner),
            ("dim_product".into(), JoinType::LeftOuter)
        ]
    );
    assert_eq!(
        t.joins_with[0].on.as_deref(),
        Some("[fact_sales::Store Id] = [dim_store::Store Id]")
    );
}

#[test]
fn dimension_tables() {
    let store = doc("dim_store.table.tml");
    let Object::Table(t) = &store.object else {
        panic!("not a table")
    };
    assert_eq!(t.columns.len(), 7);
    let region = &t.columns[3];
    assert_eq!(region.name.as_deref(), Some("Region"));
    let props = region.properties.as_ref().unwrap();
    assert_eq!(props.index_type, Some(IndexType::PrefixOnly));
    assert_eq!(props.custom_order, ["North", "East", "South", "West"]);
    assert!(t.extra.contains_key("rls_rules"), "rls_rules kept");
    assert!(t.joins_with.is_empty());

    let product = doc("dim_product.table.tml");
    let Object::Table(t) = &product.object else {
        panic!("not a table")
    };
    let aggregations: Vec<_> = t
        .columns
        .iter()
        .filter_map(|c| c.properties.as_ref()?.aggregation.clone())
        .collect();
    assert_eq!(
        aggregations,
        [
            Aggregation::Average,
            Aggregation::Min,
            Aggregation::CountDistinct
        ]
    );
}

#[test]
fn retail_sales_worksheet() {
    let d = doc("retail_sales.worksheet.tml");
    let Object::Worksheet(w) = &d.object else {
        panic!("not a worksheet")
    };
    assert_eq!(d.object.name(), "Retail Sales");
    assert_eq!(d.file_name(), "Retail Sales.worksheet.tml");
    let tables: Vec<_> = w.tables.iter().map(|t| t.name.clone().unwrap()).collect();
    assert_eq!(tables, ["fact_sales", "dim_store", "dim_product"]);
    assert_eq!(w.joins.len(), 2);
    assert_eq!(
        w.joins[0].on,
        ["[fact_sales::Store Id] = [dim_store::Store Id]"]
    );
    assert_eq!(w.joins[1].join_type, Some(JoinType::LeftOuter));
    assert_eq!(w.joins[1].is_one_to_one, Some(false));
    assert_eq!(w.table_paths.len(), 3);
    assert!(w.table_paths[0].join_path[0].join.is_empty());
    assert_eq!(
        w.table_paths[1].join_path[0].join,
        ["fact_sales_to_dim_store"]
    );
    let formula = &w.formulas[0];
    assert_eq!(formula.name.as_deref(), Some("Net Revenue"));
    assert_eq!(
        formula.expr.as_deref(),
        Some("[fact_sales_1::Revenue] * ( 1 - [fact_sales_1::Discount] )")
    );
    assert_eq!(
        formula.properties.as_ref().unwrap().column_type,
        Some(ColumnType::Measure)
    );
    let net = w
        .worksheet_columns
        .iter()
        .find(|c| c.name.as_deref() == Some("Net Revenue"))
        .unwrap();
    assert_eq!(net.formula_id.as_deref(), Some("formula_Net Revenue"));
    assert_eq!(net.column_id, None);
    assert_eq!(w.filters[0].oper, Some(FilterOper::In));
    assert_eq!(w.filters[0].values, ["false"]);
    let props = w.properties.as_ref().unwrap();
    assert_eq!(
        (props.is_bypass_rls, props.join_progressive),
        (Some(false), Some(true))
    );
}

#[test]
fn revenue_by_region_answer() {
    let d = doc("revenue_by_region.answer.tml");
    let Object::Answer(a) = &d.object else {
        panic!("not an answer")
    };
    assert_eq!(
        a.search_query.as_deref(),
        Some("[Net Revenue] [Region] [Sale Date].'this year' sort by [Net Revenue] descending")
    );
    assert_eq!(
        a.tables[0].fqn.as_deref(),
        Some("7c1e5f0a-2b9d-4c3e-8a41-6d2f9b0e1a10")
    );
    assert_eq!(a.display_mode, Some(DisplayMode::ChartMode));
    let chart = a.chart.as_ref().unwrap();
    assert_eq!(chart.chart_type, Some(ChartType::Column));
    assert_eq!(chart.axis_configs[0].x, ["Region"]);
    assert_eq!(chart.axis_configs[0].y, ["Net Revenue"]);
    assert!(
        chart
            .client_state_v2
            .as_deref()
            .unwrap()
            .starts_with("{\"version\"")
    );
    let table = a.table.as_ref().unwrap();
    assert_eq!(table.ordered_column_ids, ["Region", "Net Revenue"]);
    assert_eq!(table.client_state.as_deref(), Some(""), "empty text kept");
    assert_eq!(
        table.table_columns[1].headline_aggregation,
        Some(Aggregation::Sum)
    );
    assert!(a.answer_columns[0].extra.contains_key("format"));
}

#[test]
fn sales_overview_liveboard() {
    let d = doc("sales_overview.liveboard.tml");
    let Object::Liveboard(l) = &d.object else {
        panic!("not a liveboard")
    };
    assert_eq!(d.object.name(), "Sales Overview");
    assert_eq!(l.visualizations.len(), 6);
    let kinds: Vec<_> = l
        .visualizations
        .iter()
        .map(|v| {
            let a = v.answer.as_ref().unwrap();
            (
                a.display_mode.clone().unwrap(),
                a.chart.as_ref().and_then(|c| c.chart_type.clone()),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (DisplayMode::TableMode, None),
            (DisplayMode::ChartMode, Some(ChartType::Bar)),
            (DisplayMode::ChartMode, Some(ChartType::Line)),
            (DisplayMode::ChartMode, Some(ChartType::Pie)),
            (DisplayMode::TableMode, None),
            (DisplayMode::ChartMode, Some(ChartType::StackedColumn)),
        ]
    );
    assert_eq!(
        l.visualizations[0].display_headline_column.as_deref(),
        Some("Total Net Revenue")
    );
    let line = l.visualizations[2].answer.as_ref().unwrap();
    assert!(line.search_query.as_deref().unwrap().contains(".monthly"));
    let table = l.visualizations[4]
        .answer
        .as_ref()
        .unwrap()
        .table
        .as_ref()
        .unwrap();
    assert_eq!(table.table_columns[0].column_width, Some(240));
    assert_eq!(table.show_grid_summary, Some(true));

    let filter = &l.filters[0];
    assert_eq!(filter.column, ["Region"]);
    assert_eq!(filter.oper, Some(FilterOper::In));
    assert_eq!(filter.values, ["North", "East", "South", "West"]);
    assert_eq!(filter.excluded_visualizations, ["Viz_4"]);
    assert!(l.filters[1].extra.contains_key("date_filter"));

    let tiles = &l.layout.as_ref().unwrap().tiles;
    assert_eq!(tiles.len(), 6);
    let t = &tiles[2];
    assert_eq!(
        (t.visualization_id.as_deref(), t.x, t.y, t.height, t.width),
        (Some("Viz_3"), Some(0), Some(6), Some(6), Some(12))
    );
}

#[test]
fn legacy_pinboard_reads_as_a_liveboard() {
    let text = sample("legacy_sales.pinboard.tml");
    let d = parse(&text).unwrap();
    assert_eq!(d.object.type_name(), "liveboard");
    assert_eq!(d.file_name(), "Legacy Sales.liveboard.tml");
    let Object::Liveboard(l) = &d.object else {
        panic!("not a liveboard")
    };
    assert_eq!(l.visualizations.len(), 2);
    let sizes: Vec<_> = l
        .layout
        .as_ref()
        .unwrap()
        .tiles
        .iter()
        .map(|t| t.size.clone())
        .collect();
    assert_eq!(sizes, [Some(TileSize::MediumSmall), Some(TileSize::Small)]);
    // Written back under `liveboard`, everything else unchanged; reads back the same.
    let modern = to_yaml(&d);
    assert_eq!(modern, text.replace("\npinboard:\n", "\nliveboard:\n"));
    assert_eq!(parse(&modern).unwrap(), d);
    assert!(to_json(&d).contains(r#", "liveboard": {"name": "Legacy Sales""#));
}
