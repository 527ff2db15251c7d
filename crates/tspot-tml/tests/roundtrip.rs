//! Round trips: export -> import -> export gives the same text, YAML <-> JSON loses nothing,
//! hand-written input is normalised once and then stable.

mod common;

use common::{TRICKY_STRINGS, tricky_document, yaml_samples};
use tspot_tml::{
    Aggregation, ChartType, DataType, Document, Identity, Object, Table, TableColumn, Value, parse,
    to_json, to_yaml,
};

#[test]
fn export_import_export_gives_the_same_text() {
    for (name, text) in yaml_samples() {
        let doc = parse(&text).unwrap();
        let yaml = to_yaml(&doc);
        let json = to_json(&doc);
        assert_eq!(to_yaml(&parse(&yaml).unwrap()), yaml, "{name}: YAML");
        assert_eq!(to_json(&parse(&json).unwrap()), json, "{name}: JSON");
        // Across formats: nothing is lost either way.
        assert_eq!(
            to_yaml(&parse(&json).unwrap()),
            yaml,
            "{name}: JSON -> YAML"
        );
        assert_eq!(
            to_json(&parse(&yaml).unwrap()),
            json,
            "{name}: YAML -> JSON"
        );
        assert_eq!(parse(&json).unwrap(), doc, "{name}: model from JSON");
    }
}

#[test]
fn tricky_texts_survive_both_formats() {
    let doc = tricky_document();
    let yaml = to_yaml(&doc);
    let json = to_json(&doc);
    assert_eq!(parse(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}")), doc);
    assert_eq!(parse(&json).unwrap(), doc);
    assert_eq!(to_yaml(&parse(&yaml).unwrap()), yaml);
    // Keys go through the same quoting.
    let mut keyed = Document::new(Object::Table(Table::default()));
    for (i, key) in TRICKY_STRINGS.iter().enumerate() {
        keyed
            .extra
            .insert(key.to_string(), Value::from(format!("v{i}")));
    }
    let yaml = to_yaml(&keyed);
    assert_eq!(
        parse(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}")),
        keyed
    );
    assert_eq!(parse(&to_json(&keyed)).unwrap(), keyed);
}

#[test]
fn hand_written_input_is_normalised_once() {
    let input = r#"
# A worksheet typed by hand: comments, flow style, deeper indentation, keys out of order.
worksheet:
    properties: {join_progressive: true}
    name: 'Hand Written'
    joins:
        -   name: a_to_b
            on: "[a::id] = [b::id]"   # one expression, not a list
            type: INNER
            source: a
            destination: b
    tables: [{name: a}, {name: b, fqn: 0d4c}]
    worksheet_columns:
      - {name: Amount, column_id: "a_1::amount", properties: {column_type: MEASURE, index_priority: 3}}
guid: "0a1b2c3d"
"#;
    let expected = r#"guid: 0a1b2c3d
worksheet:
  name: Hand Written
  tables:
  - name: a
  - name: b
    fqn: 0d4c
  joins:
  - name: a_to_b
    source: a
    destination: b
    "on":
    - "[a::id] = [b::id]"
    type: INNER
  worksheet_columns:
  - name: Amount
    column_id: a_1::amount
    properties:
      column_type: MEASURE
      index_priority: 3.0
  properties:
    join_progressive: true
"#;
    let doc = parse(input).unwrap();
    assert_eq!(to_yaml(&doc), expected);
    assert_eq!(to_yaml(&parse(expected).unwrap()), expected);
}

#[test]
fn lenient_scalars_are_normalised() {
    let doc = parse(
        "guid: 123\nliveboard:\n  name: 2024\n  filters:\n  - column: Region\n    values: [1, true]\n  layout:\n    tiles:\n    - x: \"3\"\n      y: 4.0\n      width: 6\n",
    )
    .unwrap();
    assert_eq!(doc.guid.as_deref(), Some("123"));
    assert_eq!(
        to_yaml(&doc),
        "guid: \"123\"\nliveboard:\n  name: \"2024\"\n  filters:\n  - column:\n    - Region\n    values:\n    - \"1\"\n    - \"true\"\n  layout:\n    tiles:\n    - x: 3\n      \"y\": 4\n      width: 6\n"
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let text = "guid: g\nanswer:\n  name: A\n  answer_columns:\n  - name: Sales\n  chart:\n    type: SUNBURST\n  display_mode: STORY_MODE\n";
    let doc = parse(text).unwrap();
    let Object::Answer(a) = &doc.object else {
        panic!("not an answer")
    };
    let chart = a.chart.as_ref().unwrap();
    assert_eq!(chart.chart_type, Some(ChartType::Other("SUNBURST".into())));
    assert_eq!(chart.chart_type.as_ref().unwrap().as_str(), "SUNBURST");
    assert_eq!(a.display_mode.as_ref().unwrap().to_string(), "STORY_MODE");
    assert_eq!(to_yaml(&doc), text);

    let table = "guid: g\ntable:\n  name: T\n  columns:\n  - name: C\n    properties:\n      aggregation: PERCENTILE\n    db_column_properties:\n      data_type: INT128\n";
    let doc = parse(table).unwrap();
    let Object::Table(t) = &doc.object else {
        panic!("not a table")
    };
    let c = &t.columns[0];
    assert_eq!(
        c.properties.as_ref().unwrap().aggregation,
        Some(Aggregation::from("PERCENTILE"))
    );
    assert_eq!(
        c.db_column_properties.as_ref().unwrap().data_type,
        Some(DataType::Other("INT128".into()))
    );
    assert_eq!(to_yaml(&doc), table);
    // Known values read as their variant, whichever way they are built.
    assert_eq!(ChartType::from("PIE"), ChartType::Pie);
    assert_eq!(ChartType::from(String::from("PIE")), ChartType::Pie);
    assert!(ChartType::KNOWN.contains(&"LINE_STACKED_COLUMN"));
}

#[test]
fn empty_texts_stay_and_empty_lists_go() {
    let doc =
        parse("guid: g\nanswer:\n  name: \"\"\n  tables: []\n  chart:\n    client_state: \"\"\n")
            .unwrap();
    assert_eq!(
        to_yaml(&doc),
        "guid: g\nanswer:\n  name: \"\"\n  chart:\n    client_state: \"\"\n"
    );
    assert_eq!(doc.object.name(), "");
}

#[test]
fn documents_built_in_code() {
    let table = Table {
        name: Some("dim_store".into()),
        db: Some("retail".into()),
        schema: Some("main".into()),
        db_table: Some("dim_store".into()),
        connection: Some(Identity {
            name: Some("retail".into()),
            ..Default::default()
        }),
        columns: vec![TableColumn {
            name: Some("Store Id".into()),
            db_column_name: Some("store_id".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let mut doc = Document::new(Object::Table(table));
    doc.obj_id = Some("dim-store".into());
    assert_eq!(
        to_yaml(&doc),
        "obj_id: dim-store\ntable:\n  name: dim_store\n  db: retail\n  schema: main\n  db_table: dim_store\n  connection:\n    name: retail\n  columns:\n  - name: Store Id\n    db_column_name: store_id\n"
    );
    assert_eq!(
        to_json(&doc),
        r#"{"obj_id": "dim-store", "table": {"name": "dim_store", "db": "retail", "schema": "main", "db_table": "dim_store", "connection": {"name": "retail"}, "columns": [{"name": "Store Id", "db_column_name": "store_id"}]}}"#
    );
    doc.guid = Some("g".into());
    assert!(to_yaml(&doc).starts_with("guid: g\nobj_id: dim-store\ntable:\n"));
}

#[test]
fn serde_goes_through_the_same_model() {
    for (name, text) in yaml_samples() {
        let doc = parse(&text).unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        let back: Document = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc, "{name}");
        let yaml = serde_yaml_ng::to_string(&doc).unwrap();
        assert_eq!(
            serde_yaml_ng::from_str::<Document>(&yaml).unwrap(),
            doc,
            "{name}"
        );
    }
    let bad = serde_json::from_str::<Document>(r#"{"guid": "g", "view": {}}"#).unwrap_err();
    assert!(
        bad.to_string().contains("unsupported TML type `view`"),
        "{bad}"
    );
}
