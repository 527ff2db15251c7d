//! Fields the model does not type are kept verbatim and written back: fields the library knows go
//! to their place in its field order, unknown fields follow in the order they were read.

use tspot_tml::{Object, Value, parse, to_json, to_yaml};

#[test]
fn unknown_and_untyped_fields_are_kept_in_place() {
    let input = r#"guid: g
table:
  future_flag: true
  rls_rules:
    rules:
    - name: own region
      expr: "[t::Region] = ts_groups"
  name: t
  columns:
  - name: c
    new_column_setting: {a: 1, b: [x, null, 2.5, {deep: [[]]}]}
    properties:
      shiny: yes
      column_type: MEASURE
  joins_with:
  - name: j
    destination: {new_ref: 7, name: d}
top_level_extra: [1, 2]
"#;
    let expected = r#"guid: g
table:
  name: t
  columns:
  - name: c
    properties:
      column_type: MEASURE
      shiny: "yes"
    new_column_setting:
      a: 1
      b:
      - x
      - null
      - 2.5
      - deep:
        - []
  rls_rules:
    rules:
    - name: own region
      expr: "[t::Region] = ts_groups"
  joins_with:
  - name: j
    destination:
      name: d
      new_ref: 7
  future_flag: true
top_level_extra:
- 1
- 2
"#;
    let doc = parse(input).unwrap();
    let Object::Table(t) = &doc.object else {
        panic!("not a table")
    };
    assert_eq!(
        t.extra.keys().collect::<Vec<_>>(),
        ["future_flag", "rls_rules"]
    );
    assert_eq!(
        t.columns[0].extra.keys().collect::<Vec<_>>(),
        ["new_column_setting"]
    );
    let props = t.columns[0].properties.as_ref().unwrap();
    assert_eq!(props.extra.get("shiny"), Some(&Value::from("yes")));
    assert_eq!(
        t.joins_with[0]
            .destination
            .as_ref()
            .unwrap()
            .extra
            .get("new_ref"),
        Some(&Value::Number(7.into()))
    );
    assert_eq!(doc.extra.keys().collect::<Vec<_>>(), ["top_level_extra"]);

    assert_eq!(to_yaml(&doc), expected);
    assert_eq!(to_yaml(&parse(expected).unwrap()), expected);
    assert_eq!(parse(&to_json(&doc)).unwrap(), doc);
}

#[test]
fn extras_inside_liveboard_visualizations_and_tiles() {
    let input = r##"guid: g
liveboard:
  name: L
  visualizations:
  - id: Viz_1
    note_tile:
      html_parsed_string: <p>Note</p>
    answer:
      name: A
      chart:
        type: COLUMN
        custom_chart_config:
        - key: k
        chart_columns:
        - column_id: Sales
          conditional_formatting:
            rule:
            - color: "#ff0000"
      cohorts: []
      parameter_values: {p: "1"}
  layout:
    tiles:
    - visualization_id: Viz_1
      z_order: 2
      x: 0
  style:
    style_properties:
    - name: lb_brand_color
      value: TS_DEFAULT
"##;
    let expected = r##"guid: g
liveboard:
  name: L
  visualizations:
  - id: Viz_1
    answer:
      name: A
      chart:
        type: COLUMN
        chart_columns:
        - column_id: Sales
          conditional_formatting:
            rule:
            - color: "#ff0000"
        custom_chart_config:
        - key: k
      parameter_values:
        p: "1"
      cohorts: []
    note_tile:
      html_parsed_string: <p>Note</p>
  layout:
    tiles:
    - visualization_id: Viz_1
      x: 0
      z_order: 2
  style:
    style_properties:
    - name: lb_brand_color
      value: TS_DEFAULT
"##;
    let doc = parse(input).unwrap();
    assert_eq!(to_yaml(&doc), expected);
    let Object::Liveboard(l) = &doc.object else {
        panic!("not a liveboard")
    };
    assert!(l.visualizations[0].extra.contains_key("note_tile"));
    assert!(l.extra.contains_key("style"));
    // An empty list kept verbatim in `extra` stays (only typed empty lists are omitted).
    let answer = l.visualizations[0].answer.as_ref().unwrap();
    assert_eq!(answer.extra.get("cohorts"), Some(&Value::List(vec![])));
}

#[test]
fn typed_fields_win_over_extras_with_the_same_key() {
    let mut doc = parse("guid: g\nanswer:\n  name: A\n").unwrap();
    let Object::Answer(a) = &mut doc.object else {
        panic!("not an answer")
    };
    a.extra.insert("name".into(), Value::from("shadow"));
    a.extra.insert("later".into(), Value::Bool(false));
    assert_eq!(
        to_yaml(&doc),
        "guid: g\nanswer:\n  name: A\n  later: false\n"
    );
}
