//! Errors name the offending token and its character position.

mod common;

use common::*;
use tspot_search::*;

fn check(db: &Db, q: &str, display: &str, token: Option<&str>) {
    let e = db.err(q);
    assert_eq!(e.to_string(), display, "{q}");
    assert_eq!(e.token.as_deref(), token, "{q}");
    // Every error with a position names what it found there.
    if let Some(t) = token {
        assert!(display.contains(t), "{q}: {display:?} does not name {t:?}");
    }
    if let (Some(t), Some(p)) = (token, e.position) {
        let at: String = q.chars().skip(p).collect();
        assert!(at.starts_with(t), "{q}: token {t:?} not at {p}");
    }
}

#[test]
fn unknown_column() {
    let db = db();
    check(
        &db,
        "[salez]",
        "Unknown column [salez] at position 0",
        Some("[salez]"),
    );
    check(
        &db,
        "[sales] by [regoin]",
        "Unknown column [regoin] at position 11",
        Some("[regoin]"),
    );
    check(
        &db,
        "sum [x] > 3",
        "Unknown column [x] at position 4",
        Some("[x]"),
    );
    check(
        &db,
        "[sales] sort by [nope]",
        "Unknown column [nope] at position 16",
        Some("[nope]"),
    );
}

#[test]
fn positions_count_characters_not_bytes() {
    let db = db();
    // "é" is two bytes in UTF-8.
    check(
        &db,
        "[région] [sales]",
        "Unknown column [région] at position 0",
        Some("[région]"),
    );
    check(
        &db,
        "[orders] [note] = 'café' [zut]",
        "Unknown column [zut] at position 25",
        Some("[zut]"),
    );
    check(
        &db,
        "[orders] [note] = 'café' frob",
        "Unknown keyword 'frob' at position 25",
        Some("frob"),
    );
}

#[test]
fn unknown_and_misplaced_keywords() {
    let db = db();
    check(
        &db,
        "[sales] frobnicate [region]",
        "Unknown keyword 'frobnicate' at position 8",
        Some("frobnicate"),
    );
    check(
        &db,
        "[sales] BY [region] Frob",
        "Unknown keyword 'Frob' at position 20",
        Some("Frob"),
    );
    check(
        &db,
        "[sales] and [region]",
        "Unexpected keyword 'and' at position 8",
        Some("and"),
    );
    check(
        &db,
        "growth of [sales] by [order date]",
        "Unsupported keyword 'growth' at position 0",
        Some("growth"),
    );
    check(
        &db,
        "[sales] [product] similar to 'x'",
        "Unsupported keyword 'similar' at position 18",
        Some("similar"),
    );
    check(
        &db,
        "[sales] vs [region]",
        "Unsupported keyword 'vs' at position 8",
        Some("vs"),
    );
}

#[test]
fn unterminated_quote_or_bracket() {
    let db = db();
    check(
        &db,
        "[region] = 'east",
        "Unterminated quoted value 'east at position 11",
        Some("'east"),
    );
    check(
        &db,
        "[sales] [region",
        "Unterminated column name [region at position 8",
        Some("[region"),
    );
    check(
        &db,
        "[sales [region]",
        "Unterminated column name [sales [region] at position 0",
        Some("[sales [region]"),
    );
    check(
        &db,
        "[sales] []",
        "Empty column name [] at position 8",
        Some("[]"),
    );
    check(
        &db,
        "[sales] ; [region]",
        "Unexpected character ';' at position 8",
        Some(";"),
    );
}

#[test]
fn incomplete_phrases() {
    let db = db();
    check(
        &db,
        "[quantity] >",
        "Expected a value after '>' but the query ended at position 12",
        None,
    );
    check(
        &db,
        "[quantity] > [sales]",
        "Expected a value after '>', found [sales] at position 13",
        Some("[sales]"),
    );
    check(
        &db,
        "[quantity] between 1 2",
        "Expected 'and' after the first value of 'between', found 2 at position 21",
        Some("2"),
    );
    check(
        &db,
        "[product] begins 'x'",
        "Expected 'with' after 'begins', found 'x' at position 17",
        Some("'x'"),
    );
    check(
        &db,
        "sort [sales]",
        "Expected 'by' after 'sort', found [sales] at position 5",
        Some("[sales]"),
    );
    check(
        &db,
        "sum 'x'",
        "Expected a column after the aggregate keyword, found 'x' at position 4",
        Some("'x'"),
    );
    check(
        &db,
        "[sales] by",
        "Expected a column after 'by' but the query ended at position 10",
        None,
    );
    check(
        &db,
        "[orders] last fortnight",
        "Expected a unit (day, week, month, quarter, year) or a number and units, found fortnight at position 14",
        Some("fortnight"),
    );
    check(
        &db,
        "[region] = 'a',",
        "Expected a value after ',' but the query ended at position 15",
        None,
    );
    check(
        &db,
        "'east' [sales]",
        "Unexpected value 'east': a value must follow a column at position 0",
        Some("'east'"),
    );
    check(
        &db,
        "= 3",
        "Unexpected operator '=': an operator must follow a column at position 0",
        Some("="),
    );
    check(
        &db,
        "[order date].hourly",
        "Expected a date bucket after '.', found hourly at position 13",
        Some("hourly"),
    );
}

#[test]
fn bad_values_for_the_column_type() {
    let db = db();
    check(
        &db,
        "[orders] [quantity] > 'lots'",
        "'lots' is not a number, and [quantity] is numeric at position 22",
        Some("'lots'"),
    );
    check(
        &db,
        "[orders] [sales] = 1, 'x'",
        "'x' is not a number, and [sales] is numeric at position 22",
        Some("'x'"),
    );
    check(
        &db,
        "[orders] [quantity] = 'NaN'",
        "'NaN' is not a number, and [quantity] is numeric at position 22",
        Some("'NaN'"),
    );
    check(
        &db,
        "[orders] [order date] = 'yesterday'",
        "'yesterday' is not a date (MM/DD/YYYY or a year) for [order date] at position 24",
        Some("'yesterday'"),
    );
    check(
        &db,
        "[orders] [order date] = '02/30/2024'",
        "'02/30/2024' is not a date (MM/DD/YYYY or a year) for [order date] at position 24",
        Some("'02/30/2024'"),
    );
    check(
        &db,
        "[orders] [promo] = 'maybe'",
        "'maybe' is not true or false for [promo] at position 19",
        Some("'maybe'"),
    );
    check(
        &db,
        "[orders] [quantity] < 1, 2",
        "'<' takes one value, found 2 at position 25",
        Some("2"),
    );
    check(
        &db,
        "[orders] before 'soon' [order date]",
        "'soon' is not a date (MM/DD/YYYY or a year) at position 16",
        Some("'soon'"),
    );
    check(
        &db,
        "[orders] [order date].'day of week' = 'funday'",
        "'funday' is not a day of the week (a weekday name, or 1 = Monday ... 7 = Sunday) for [order date] at position 38",
        Some("'funday'"),
    );
}

#[test]
fn meaningless_combinations() {
    let db = db();
    check(
        &db,
        "sum [region]",
        "Column [region] is not numeric, so it cannot be aggregated that way at position 4",
        Some("[region]"),
    );
    check(
        &db,
        "[region].monthly",
        "Column [region] is not a date, so it has no date buckets at position 0",
        Some("[region]"),
    );
    check(
        &db,
        "top 3 [region]",
        "'top' needs a measure to rank by at position 0",
        Some("top"),
    );
    let e = db.err("[orders] [quantity] contains '1'");
    assert_eq!(
        e.message,
        "'contains' needs a text column, and [quantity] is not text"
    );
    let e = db.err("[region] = 'east'");
    assert!(
        e.message.starts_with("The search names no column to show"),
        "{e}"
    );
    assert_eq!(e.position, None);
    let e = db.err("");
    assert!(
        e.message.starts_with("The search names no column to show"),
        "{e}"
    );
}

#[test]
fn model_errors_have_no_position() {
    let mut db = db();
    db.source.columns.push(SourceColumn {
        name: "Broken".into(),
        kind: ColumnKind::Measure,
        data_type: DataType::Double,
        aggregation: Aggregation::Sum,
        expr: ColumnExpr::Formula("[Quantity] * ".into()),
    });
    db.source.columns.push(SourceColumn {
        name: "Loop".into(),
        kind: ColumnKind::Measure,
        data_type: DataType::Double,
        aggregation: Aggregation::Sum,
        expr: ColumnExpr::Formula("[Loop] + 1".into()),
    });
    db.source.columns.push(SourceColumn {
        name: "Dangling".into(),
        kind: ColumnKind::Measure,
        data_type: DataType::Double,
        aggregation: Aggregation::Sum,
        expr: ColumnExpr::Formula("[Nowhere] + 1".into()),
    });
    let e = db.err("[broken]");
    assert!(
        e.message.starts_with("Invalid formula of column [Broken]:"),
        "{e}"
    );
    assert_eq!(e.position, None);
    assert_eq!(
        db.err("[loop]").message,
        "Formula of column [Loop] refers to itself"
    );
    assert_eq!(
        db.err("[dangling]").message,
        "Formula of column [Dangling] refers to unknown column [Nowhere]"
    );

    let mut db2 = common::db();
    db2.source.joins.pop();
    assert_eq!(
        db2.err("[product] [sales]").message,
        "Table 'p' is not joined to 'f' in the data source"
    );
    db2.source.columns.push(db2.source.columns[0].clone());
    assert_eq!(
        db2.err("[sales]").message,
        "The data source has two columns named [Region]"
    );
}

#[test]
fn parse_alone_checks_syntax() {
    assert!(
        tspot_search::parse("[a] [b] = 'c' top 3 sort by sum [d] descending last 2 weeks").is_ok()
    );
    let e = tspot_search::parse("[a] zorp").unwrap_err();
    assert_eq!(e.to_string(), "Unknown keyword 'zorp' at position 4");
}
