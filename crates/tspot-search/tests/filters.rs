//! Filters of every kind, checked against hand-written SQL over the same data.

mod common;

use common::*;
use tspot_search::*;

/// `[orders]` under a filter equals a hand-written count under a WHERE clause.
fn count_where(db: &Db, filter: &str, where_sql: &str) {
    let a = db.run(&format!("[orders] {filter}"));
    assert_eq!(a.names, ["Number of Orders"], "{filter}");
    let want = db.scalar(&format!("SELECT COUNT(*) FROM {STAR} WHERE {where_sql}"));
    assert_eq!(a.rows, vec![vec![want]], "{filter}  vs  {where_sql}");
}

#[test]
fn comparison_operators_on_numbers() {
    let db = db();
    count_where(&db, "[quantity] = 5", "s.quantity = 5");
    count_where(&db, "[quantity] != 5", "s.quantity <> 5");
    count_where(&db, "[quantity] < 5", "s.quantity < 5");
    count_where(&db, "[quantity] <= 5", "s.quantity <= 5");
    count_where(&db, "[quantity] > 5", "s.quantity > 5");
    count_where(&db, "[quantity] >= 5", "s.quantity >= 5");
    count_where(&db, "[sales] > 20.5", "s.amount > 20.5");
    count_where(&db, "[sales] <= -1", "s.amount <= -1");
    count_where(&db, "[unit price] = '7.5'", "p.unit_price = 7.5");
    count_where(&db, "[quantity] > 2.5", "s.quantity > 2.5");
}

#[test]
fn comparison_operators_on_text_ignore_case() {
    let db = db();
    count_where(&db, "[region] = 'EAST'", "st.region = 'east'");
    count_where(&db, "[region] = 'north'", "st.region = 'North'");
    count_where(&db, "[region] != 'East'", "st.region <> 'east'");
    count_where(&db, "[region] > 'm'", "lower(st.region) > 'm'");
    count_where(&db, "[region] <= 'NORTH'", "lower(st.region) <= 'north'");
    count_where(&db, "[region] < 'f'", "lower(st.region) < 'f'");
    count_where(&db, "[region] >= 'West'", "lower(st.region) >= 'west'");
}

#[test]
fn value_lists() {
    let db = db();
    count_where(
        &db,
        "[region] = 'east', 'West'",
        "st.region IN ('east', 'west')",
    );
    count_where(
        &db,
        "[region] 'east' 'west'",
        "st.region IN ('east', 'west')",
    );
    count_where(&db, "[region] 'north'", "st.region = 'North'");
    count_where(
        &db,
        "[region] != 'east', 'west'",
        "st.region NOT IN ('east', 'west')",
    );
    count_where(&db, "[quantity] = 1, 2, 3", "s.quantity IN (1, 2, 3)");
    count_where(&db, "[quantity] 1 2", "s.quantity IN (1, 2)");
    count_where(
        &db,
        "[product] = 'gizmo' , 'SAW_BLADE'",
        "p.name IN ('Gizmo', 'Saw_Blade')",
    );
}

#[test]
fn between_is_inclusive() {
    let db = db();
    count_where(
        &db,
        "[quantity] between 3 and 6",
        "s.quantity BETWEEN 3 AND 6",
    );
    count_where(
        &db,
        "[quantity] not between 3 and 6",
        "s.quantity NOT BETWEEN 3 AND 6",
    );
    count_where(
        &db,
        "[region] between 'EAST' and 'north'",
        "lower(st.region) BETWEEN 'east' AND 'north'",
    );
    count_where(
        &db,
        "[order date] between '01/30/2024' and '02/02/2024'",
        "s.order_date BETWEEN '2024-01-30' AND '2024-02-02'",
    );
}

#[test]
fn text_matching() {
    let db = db();
    count_where(&db, "[product] contains 'WIDGET'", "p.name LIKE '%widget%'");
    count_where(
        &db,
        "[product] not contains 'widget'",
        "p.name NOT LIKE '%widget%'",
    );
    count_where(&db, "[product] begins with 'g'", "p.name LIKE 'g%'");
    count_where(&db, "[product] not begins with 'G'", "p.name NOT LIKE 'g%'");
    count_where(&db, "[product] ends with 'PRO'", "p.name LIKE '%pro'");
    count_where(
        &db,
        "[product] not ends with 'pro'",
        "p.name NOT LIKE '%pro'",
    );
    count_where(
        &db,
        "[product] contains 'gizmo', 'blade'",
        "p.name LIKE '%gizmo%' OR p.name LIKE '%blade%'",
    );
    // LIKE wildcards in values are literal characters.
    count_where(&db, "[product] contains '%'", "p.name = '100% Hammer'");
    count_where(&db, "[product] contains 'w_b'", "p.name = 'Saw_Blade'");
    count_where(&db, "[product] contains '_'", "p.name = 'Saw_Blade'");
    // NULLs never match.
    count_where(&db, "[note] contains 'o'", "s.note LIKE '%o%'");
    count_where(&db, "[note] not contains 'o'", "s.note NOT LIKE '%o%'");
}

#[test]
fn a_column_used_only_in_a_filter_is_not_shown() {
    let db = db();
    let a = db.run("[sales] [region] = 'east'");
    assert_eq!(a.names, ["Total Sales"]);
    // Named twice, it groups and filters.
    let a = db.run("[sales] [region] [region] = 'east', 'north'");
    assert_eq!(a.names, ["Total Sales", "Region"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.region FROM {STAR} WHERE st.region IN ('east', 'North')
         GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn measure_filters_without_keyword_filter_rows() {
    let db = db();
    let a = db.run("[sales] [region] [sales] > 40");
    assert_eq!(a.names, ["Total Sales", "Region"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.region FROM {STAR} WHERE s.amount > 40 GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn aggregate_filters_filter_groups() {
    let db = db();
    let a = db.run("[sales] [store] sum [sales] > 1110");
    assert_eq!(a.names, ["Total Sales", "Store"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.store_name FROM {STAR} GROUP BY st.store_name
         HAVING SUM(s.amount) > 1110 ORDER BY st.store_name"
    ));
    assert_eq!(a.rows, expected);
    assert!(!a.rows.is_empty() && a.rows.len() < 5, "{:?}", a.rows);
    let a = db.run("[store] count [sales] >= 38 average [quantity] between 4 and 6");
    let expected = db.sql(&format!(
        "SELECT st.store_name FROM {STAR} GROUP BY st.store_name
         HAVING COUNT(s.amount) >= 38 AND AVG(s.quantity) BETWEEN 4 AND 6 ORDER BY st.store_name"
    ));
    assert_eq!(a.rows, expected);
    assert_eq!(a.rows.len(), 3);
}

#[test]
fn date_literals() {
    let db = db();
    count_where(
        &db,
        "[order date] = '04/15/2024'",
        "s.order_date = '2024-04-15'",
    );
    count_where(
        &db,
        "[order date] = '4/5/2024', '04/06/2024'",
        "s.order_date IN ('2024-04-05', '2024-04-06')",
    );
    count_where(
        &db,
        "[order date] != '04/15/2024'",
        "s.order_date <> '2024-04-15'",
    );
    count_where(
        &db,
        "[order date] < '03/01/2023'",
        "s.order_date < '2023-03-01'",
    );
    count_where(
        &db,
        "[order date] <= '03/01/2023'",
        "s.order_date <= '2023-03-01'",
    );
    count_where(
        &db,
        "[order date] > '06/01/2024'",
        "s.order_date > '2024-06-01'",
    );
    count_where(
        &db,
        "[order date] >= '06/01/2024'",
        "s.order_date >= '2024-06-01'",
    );
    count_where(
        &db,
        "[order date] = '2024-04-15'",
        "s.order_date = '2024-04-15'",
    );
    // A bare en-US date works too.
    count_where(
        &db,
        "[order date] > 06/01/2024",
        "s.order_date > '2024-06-01'",
    );
    // A timestamp column: a day is the whole day.
    count_where(
        &db,
        "[ship time] = '04/15/2024'",
        "s.ship_ts >= '2024-04-15' AND s.ship_ts < '2024-04-16'",
    );
    count_where(
        &db,
        "[ship time] > '04/15/2024'",
        "s.ship_ts >= '2024-04-16'",
    );
    count_where(
        &db,
        "[ship time] <= '04/15/2024'",
        "s.ship_ts < '2024-04-16'",
    );
}

#[test]
fn years() {
    let db = db();
    count_where(&db, "[order date] = 2023", "s.order_date LIKE '2023-%'");
    count_where(&db, "[order date] 2024", "s.order_date LIKE '2024-%'");
    count_where(&db, "[order date] '2023'", "s.order_date LIKE '2023-%'");
    count_where(&db, "[order date] > 2023", "s.order_date >= '2024-01-01'");
    count_where(&db, "[order date] != 2024", "s.order_date < '2024-01-01'");
    count_where(
        &db,
        "[order date].yearly = 2024",
        "s.order_date LIKE '2024-%'",
    );
}

#[test]
fn before_and_after() {
    let db = db();
    count_where(
        &db,
        "[order date] before '02/01/2023'",
        "s.order_date < '2023-02-01'",
    );
    count_where(
        &db,
        "[order date] after '06/01/2024'",
        "s.order_date > '2024-06-01'",
    );
    count_where(
        &db,
        "before '02/01/2023' [order date]",
        "s.order_date < '2023-02-01'",
    );
    // One date column in the source besides the timestamp: name it.
    count_where(
        &db,
        "[ship time] after '06/01/2024'",
        "s.ship_ts >= '2024-06-02'",
    );
}

#[test]
fn bucket_filters() {
    let db = db();
    count_where(
        &db,
        "[order date].monthly = '03/15/2024'",
        "s.order_date LIKE '2024-03-%'",
    );
    count_where(
        &db,
        "[order date].quarterly = '05/20/2023'",
        "s.order_date BETWEEN '2023-04-01' AND '2023-06-30'",
    );
    count_where(
        &db,
        "[order date].'day of week' = 'monday'",
        "strftime('%w', s.order_date) = '1'",
    );
    count_where(
        &db,
        "[order date].'day of week' = 'Sat', 'sunday'",
        "strftime('%w', s.order_date) IN ('6', '0')",
    );
    count_where(
        &db,
        "[order date].'day of week' = 5",
        "strftime('%w', s.order_date) = '5'",
    );
}

#[test]
fn runtime_filters_of_every_operator() {
    let db = db();
    let check = |column: &str, op: FilterOperator, values: &[&str], where_sql: &str| {
        let mut o = opts();
        o.runtime_filters.push(RuntimeFilter {
            column: column.into(),
            operator: op,
            values: values.iter().map(|v| v.to_string()).collect(),
        });
        let a = db.run_opts("[orders]", &o);
        let want = db.scalar(&format!("SELECT COUNT(*) FROM {STAR} WHERE {where_sql}"));
        assert_eq!(a.rows, vec![vec![want]], "{column} {op:?} {values:?}");
    };
    use FilterOperator as F;
    check("Region", F::Eq, &["EAST"], "st.region = 'east'");
    check("region", F::Ne, &["east"], "st.region <> 'east'");
    check("Quantity", F::Lt, &["4"], "s.quantity < 4");
    check("Quantity", F::Le, &["4"], "s.quantity <= 4");
    check("Quantity", F::Gt, &["4"], "s.quantity > 4");
    check("Quantity", F::Ge, &["4"], "s.quantity >= 4");
    check(
        "Product",
        F::Contains,
        &["widget"],
        "p.name LIKE '%widget%'",
    );
    check("Product", F::BeginsWith, &["RED"], "p.name LIKE 'red%'");
    check("Product", F::EndsWith, &["blade"], "p.name LIKE '%blade'");
    check(
        "Quantity",
        F::BwIncMax,
        &["3", "6"],
        "s.quantity > 3 AND s.quantity <= 6",
    );
    check(
        "Quantity",
        F::BwIncMin,
        &["3", "6"],
        "s.quantity >= 3 AND s.quantity < 6",
    );
    check(
        "Quantity",
        F::BwInc,
        &["3", "6"],
        "s.quantity >= 3 AND s.quantity <= 6",
    );
    check(
        "Quantity",
        F::Bw,
        &["3", "6"],
        "s.quantity > 3 AND s.quantity < 6",
    );
    check(
        "Region",
        F::In,
        &["east", "North"],
        "st.region IN ('east', 'North')",
    );
    check("Sales", F::Gt, &["30.25"], "s.amount > 30.25");
    // Dates: en-US, ISO, epoch seconds and milliseconds.
    check(
        "Order Date",
        F::Ge,
        &["05/01/2024"],
        "s.order_date >= '2024-05-01'",
    );
    check(
        "Order Date",
        F::Lt,
        &["2023-02-01"],
        "s.order_date < '2023-02-01'",
    );
    check(
        "Order Date",
        F::Eq,
        &["1713139200"],
        "s.order_date = '2024-04-15'",
    );
    check(
        "Order Date",
        F::Eq,
        &["1713139200000"],
        "s.order_date = '2024-04-15'",
    );
    check(
        "Order Date",
        F::BwInc,
        &["04/10/2024", "04/20/2024"],
        "s.order_date BETWEEN '2024-04-10' AND '2024-04-20'",
    );
    check(
        "Order Date",
        F::Bw,
        &["04/10/2024", "04/20/2024"],
        "s.order_date > '2024-04-10' AND s.order_date < '2024-04-20'",
    );
    check(
        "Order Date",
        F::BwIncMax,
        &["04/10/2024", "04/20/2024"],
        "s.order_date > '2024-04-10' AND s.order_date <= '2024-04-20'",
    );
    check(
        "Order Date",
        F::BwIncMin,
        &["04/10/2024", "04/20/2024"],
        "s.order_date >= '2024-04-10' AND s.order_date < '2024-04-20'",
    );
}

#[test]
fn runtime_filters_combine_with_the_query() {
    let db = db();
    let mut o = opts();
    o.runtime_filters = vec![
        RuntimeFilter {
            column: "Region".into(),
            operator: FilterOperator::Eq,
            values: vec!["west".into()],
        },
        RuntimeFilter {
            column: "Quantity".into(),
            operator: FilterOperator::Ge,
            values: vec!["3".into()],
        },
    ];
    let a = db.run_opts("[sales] [category] [product] != 'gizmo'", &o);
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), p.category FROM {STAR}
         WHERE st.region = 'west' AND s.quantity >= 3 AND p.name <> 'Gizmo'
         GROUP BY p.category ORDER BY p.category"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn runtime_filter_errors() {
    let db = db();
    let run = |column: &str, op: FilterOperator, values: &[&str]| {
        let mut o = opts();
        o.runtime_filters.push(RuntimeFilter {
            column: column.into(),
            operator: op,
            values: values.iter().map(|v| v.to_string()).collect(),
        });
        search("[orders]", &db.source, &o).unwrap_err()
    };
    let e = run("Nope", FilterOperator::Eq, &["x"]);
    assert_eq!(e.to_string(), "Unknown column [Nope] in a runtime filter");
    assert_eq!(e.position, None);
    let e = run("Quantity", FilterOperator::Bw, &["1"]);
    assert_eq!(
        e.to_string(),
        "Runtime filter BW on [Quantity] needs two values, got 1"
    );
    let e = run("Quantity", FilterOperator::Eq, &["lots"]);
    assert_eq!(
        e.to_string(),
        "'lots' is not a number, and [Quantity] is numeric"
    );
    let e = run("Quantity", FilterOperator::Contains, &["1"]);
    assert!(e.message.contains("needs a text column"), "{e}");
    assert_eq!(
        FilterOperator::from_wire("bw_inc_max"),
        Some(FilterOperator::BwIncMax)
    );
    assert_eq!(FilterOperator::from_wire("LIKE"), None);
}
