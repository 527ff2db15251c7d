//! Every error `parse` reports, with its kind, message and position.

use tspot_tml::{TmlError, TmlErrorKind, UNSUPPORTED_TYPES, parse};

fn err(text: &str) -> TmlError {
    match parse(text) {
        Ok(doc) => panic!("expected an error, parsed {doc:?}"),
        Err(e) => e,
    }
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let e = err("guid: g\ntable:\n  name: [unclosed\n  db: x\n");
    assert_eq!(e.kind, TmlErrorKind::Syntax);
    assert!(e.message.starts_with("invalid YAML: "), "{e}");
    assert_eq!(e.line, Some(4));
    assert!(e.column.is_some());
    assert!(
        !e.message.contains(" at line "),
        "position only in the fields: {e}"
    );

    let e = err("guid: g\ntable:\n  name: t\n    db: x\n");
    assert_eq!(
        (e.kind.clone(), e.line, e.column),
        (TmlErrorKind::Syntax, Some(4), Some(7)),
        "{e}"
    );
    assert_eq!(e.to_string(), format!("{} (line 4, column 7)", e.message));
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let e = err(r#"{"guid": "g", "table": {"name": "t"}"#);
    assert_eq!(e.kind, TmlErrorKind::Syntax);
    assert!(
        e.message
            .starts_with("invalid JSON: EOF while parsing an object"),
        "{e}"
    );
    assert_eq!((e.line, e.column), (Some(1), Some(36)));

    let e = err("{\n  \"guid\": \"g\"\n  \"table\": {\"name\": \"t\"}\n}");
    assert_eq!(e.kind, TmlErrorKind::Syntax);
    assert!(
        e.message.starts_with("invalid JSON: expected `,` or `}`"),
        "{e}"
    );
    assert_eq!((e.line, e.column), (Some(3), Some(3)), "{e}");
}

#[test]
fn text_starting_with_a_brace_may_be_yaml_flow_style() {
    // ThoughtSpot reads every document as YAML; JSON is the common case, YAML flow style works too.
    let doc = parse("{guid: g, table: {name: t, db: 'x'}}").unwrap();
    assert_eq!(doc.object.name(), "t");
    let doc = parse(r#"{"guid": "g", "table": {"name": "t",}}"#).unwrap();
    assert_eq!(doc.object.name(), "t");
}

#[test]
fn duplicate_keys_are_syntax_errors() {
    let e = err("guid: g\ntable:\n  name: a\n  name: b\n");
    assert_eq!(e.kind, TmlErrorKind::Syntax);
    assert!(e.message.contains("duplicate key `name`"), "{e}");
    let e = err(r#"{"guid": "g", "guid": "h", "table": {}}"#);
    assert!(e.message.contains("duplicate key `guid`"), "{e}");
    assert_eq!(e.line, Some(1));
}

#[test]
fn several_yaml_documents_are_rejected() {
    let e = err("guid: a\ntable: {name: a}\n---\nguid: b\ntable: {name: b}\n");
    assert_eq!(e.kind, TmlErrorKind::Syntax);
    assert!(e.message.contains("more than one document"), "{e}");
}

#[test]
fn no_object_key() {
    for text in [
        "",
        "# only a comment\n",
        "guid: g\nobj_id: o\n",
        "guid: g\nsomething: {}\n",
    ] {
        let e = err(text);
        assert_eq!(e.kind, TmlErrorKind::NoObject, "{text:?}: {e}");
        assert!(
            e.message.contains("no TML object key") || e.message.contains("the document is empty"),
            "{e}"
        );
    }
    let e = err("- table: {}\n");
    assert_eq!(e.kind, TmlErrorKind::NoObject);
    assert!(e.message.contains("found a list"), "{e}");
    let e = err("just text");
    assert!(e.message.contains("found a text"), "{e}");
}

#[test]
fn several_object_keys() {
    let e = err("guid: g\ntable:\n  name: t\nanswer:\n  name: a\n");
    assert_eq!(
        e.kind,
        TmlErrorKind::SeveralObjects(vec!["table".into(), "answer".into()])
    );
    assert!(e.message.contains("`table`, `answer`"), "{e}");
    assert_eq!((e.line, e.column), (Some(4), Some(1)));

    let e = err(r#"{"guid": "g", "liveboard": {}, "view": {}}"#);
    assert!(matches!(e.kind, TmlErrorKind::SeveralObjects(_)));
    assert_eq!((e.line, e.column), (Some(1), Some(32)));

    let e = err("liveboard: {}\npinboard: {}\n");
    assert!(matches!(e.kind, TmlErrorKind::SeveralObjects(_)), "{e}");
}

#[test]
fn unsupported_types_are_named() {
    for &kind in UNSUPPORTED_TYPES {
        let e = err(&format!("guid: g\n{kind}:\n  name: x\n"));
        assert_eq!(e.kind, TmlErrorKind::UnsupportedType(kind.to_owned()));
        assert!(
            e.message
                .contains(&format!("unsupported TML type `{kind}`")),
            "{e}"
        );
        assert_eq!((e.line, e.column), (Some(2), Some(1)), "{kind}");

        let e = err(&format!(
            "{{\"guid\": \"g\",\n \"{kind}\": {{\"name\": \"x\"}}}}"
        ));
        assert_eq!(e.kind, TmlErrorKind::UnsupportedType(kind.to_owned()));
        assert_eq!((e.line, e.column), (Some(2), Some(2)), "{kind} in JSON");
    }
}

#[test]
fn wrong_shapes_name_the_path() {
    let cases = [
        (
            "guid: g\nliveboard:\n  layout:\n    tiles:\n    - x: 1\n    - x: left\n",
            "`liveboard.layout.tiles[1].x`: expected a whole number (32 bits), found a text (\"left\")",
        ),
        (
            "guid: g\ntable:\n  name: [a, b]\n",
            "`table.name`: expected a text, found a list",
        ),
        (
            "guid: g\ntable:\n  columns:\n  - just a name\n",
            "`table.columns[0]`: expected a mapping, found a text (\"just a name\")",
        ),
        (
            "guid: g\nworksheet:\n  properties:\n    is_bypass_rls: maybe\n",
            "`worksheet.properties.is_bypass_rls`: expected true or false, found a text (\"maybe\")",
        ),
        (
            "guid: g\nanswer:\n  chart:\n    type: {name: PIE}\n",
            "`answer.chart.type`: expected a text, found a mapping",
        ),
        (
            "guid: [g]\nanswer: {}\n",
            "`guid`: expected a text, found a list",
        ),
        (
            "guid: g\nanswer: [1]\n",
            "`answer`: expected a mapping, found a list",
        ),
        (
            "guid: g\nliveboard:\n  layout:\n    tiles:\n    - width: 3000000000\n",
            "`liveboard.layout.tiles[0].width`: expected a whole number (32 bits), found a number (\"3000000000\")",
        ),
    ];
    for (text, message) in cases {
        let e = err(text);
        assert_eq!(e.kind, TmlErrorKind::Invalid, "{text}");
        assert_eq!(e.message, message, "{text}");
        assert_eq!((e.line, e.column), (None, None));
        assert_eq!(e.to_string(), message);
    }
}
