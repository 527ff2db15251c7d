//! Date buckets and relative dates (today is Wednesday 2024-05-15), checked against answers
//! computed by hand: buckets in Rust from the raw rows, ranges written out as literals.

mod common;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use common::*;
use tspot_search::*;

fn sales_rows(db: &Db) -> Vec<(NaiveDate, f64)> {
    db.sql("SELECT order_date, amount FROM sales")
        .into_iter()
        .map(|r| match (&r[0], &r[1]) {
            (Cell::Text(d), Cell::Num(a)) => (
                NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
                a.parse().unwrap(),
            ),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// Total amount per bucket key, in key order, as (epoch of key, total) rows.
fn by_bucket(db: &Db, key: impl Fn(NaiveDate) -> NaiveDate) -> Vec<Vec<Cell>> {
    let mut totals: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (d, a) in sales_rows(db) {
        *totals.entry(key(d)).or_default() += a;
    }
    totals
        .into_iter()
        .map(|(k, t)| vec![epoch(&k.format("%Y-%m-%d").to_string()), num(t)])
        .collect()
}

fn close(a: &[Vec<Cell>], b: &[Vec<Cell>]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x[0], y[0]);
        let (Cell::Num(p), Cell::Num(q)) = (&x[1], &y[1]) else {
            panic!()
        };
        let (p, q): (f64, f64) = (p.parse().unwrap(), q.parse().unwrap());
        assert!((p - q).abs() < 1e-6, "{p} {q}");
    }
}

/// The first day of a date's bucket, computed in Rust.
type BucketKey = dyn Fn(NaiveDate) -> NaiveDate;

#[test]
fn daily_weekly_monthly_quarterly_yearly() {
    let db = db();
    let cases: [(&str, &str, Box<BucketKey>); 5] = [
        ("daily", "Day(Order Date)", Box::new(|d| d)),
        (
            "weekly",
            "Week(Order Date)",
            // Weeks start on Sunday.
            Box::new(|d: NaiveDate| d - Days::new(u64::from(d.weekday().num_days_from_sunday()))),
        ),
        (
            "monthly",
            "Month(Order Date)",
            Box::new(|d: NaiveDate| d.with_day(1).unwrap()),
        ),
        (
            "quarterly",
            "Quarter(Order Date)",
            Box::new(|d: NaiveDate| {
                NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap()
            }),
        ),
        (
            "yearly",
            "Year(Order Date)",
            Box::new(|d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap()),
        ),
    ];
    for (bucket, name, key) in cases {
        let want = by_bucket(&db, key);
        for q in [
            format!("[order date].{bucket} [sales]"),
            format!("[order date] {bucket} [sales]"),
            format!("[sales] by [order date] {bucket}"),
        ] {
            let a = db.run(&q);
            let first = if q.starts_with("[sales]") { 1 } else { 0 };
            assert_eq!(a.names[first], name, "{q}");
            let rows: Vec<Vec<Cell>> = a
                .rows
                .iter()
                .map(|r| vec![r[first].clone(), r[1 - first].clone()])
                .collect();
            close(&rows, &want);
        }
    }
}

#[test]
fn timestamp_buckets() {
    let db = db();
    let a = db.run("[ship time].monthly [orders]");
    assert_eq!(a.names, ["Month(Ship Time)", "Number of Orders"]);
    let expected: Vec<Vec<Cell>> = db
        .sql("SELECT substr(ship_ts, 1, 7) || '-01', COUNT(*) FROM sales GROUP BY 1 ORDER BY 1")
        .into_iter()
        .map(|r| match &r[0] {
            Cell::Text(d) => vec![epoch(d), r[1].clone()],
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(a.rows, expected);
}

#[test]
fn day_of_week() {
    let db = db();
    let a = db.run("[order date].'day of week' [orders]");
    assert_eq!(a.names, ["Day of Week(Order Date)", "Number of Orders"]);
    let mut counts = [0i64; 7];
    for (d, _) in sales_rows(&db) {
        counts[d.weekday().num_days_from_sunday() as usize] += 1;
    }
    let names = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let want: Vec<Vec<Cell>> = names
        .iter()
        .zip(counts)
        .map(|(n, c)| vec![text(n), num(c as f64)])
        .collect();
    // In week order, not alphabetical.
    assert_eq!(a.rows, want);
    assert_eq!(db.run("[order date] day of week [orders]").rows, want);
}

/// `[orders]` under a date keyword equals a count over an inclusive literal range.
fn range(db: &Db, filter: &str, first: &str, last: &str) {
    for q in [
        format!("[orders] [order date] {filter}"),
        format!("[orders] {filter} [order date]"),
    ] {
        let a = db.run(&q);
        assert_eq!(a.names, ["Number of Orders"], "{q}");
        let want = db.scalar(&format!(
            "SELECT COUNT(*) FROM sales WHERE order_date BETWEEN '{first}' AND '{last}'"
        ));
        assert_eq!(a.rows, vec![vec![want]], "{q}: {first} .. {last}");
    }
}

#[test]
fn relative_dates() {
    let db = db();
    range(&db, "today", "2024-05-15", "2024-05-15");
    range(&db, "yesterday", "2024-05-14", "2024-05-14");
    range(&db, "tomorrow", "2024-05-16", "2024-05-16");
    range(&db, "last day", "2024-05-14", "2024-05-14");
    range(&db, "last week", "2024-05-05", "2024-05-11");
    range(&db, "last month", "2024-04-01", "2024-04-30");
    range(&db, "last quarter", "2024-01-01", "2024-03-31");
    range(&db, "last year", "2023-01-01", "2023-12-31");
    range(&db, "last 7 days", "2024-05-09", "2024-05-15");
    range(&db, "last 30 days", "2024-04-16", "2024-05-15");
    range(&db, "last 2 weeks", "2024-05-02", "2024-05-15");
    range(&db, "last 2 months", "2024-03-16", "2024-05-15");
    range(&db, "last 1 quarter", "2024-02-16", "2024-05-15");
    range(&db, "last 1 years", "2023-05-16", "2024-05-15");
    range(&db, "this week", "2024-05-12", "2024-05-18");
    range(&db, "this month", "2024-05-01", "2024-05-31");
    range(&db, "this quarter", "2024-04-01", "2024-06-30");
    range(&db, "this year", "2024-01-01", "2024-12-31");
    range(&db, "next day", "2024-05-16", "2024-05-16");
    range(&db, "next week", "2024-05-19", "2024-05-25");
    range(&db, "next month", "2024-06-01", "2024-06-30");
    range(&db, "next 10 days", "2024-05-15", "2024-05-24");
    range(&db, "next 2 weeks", "2024-05-15", "2024-05-28");
    range(&db, "3 days ago", "2024-05-12", "2024-05-12");
    range(&db, "2 weeks ago", "2024-04-28", "2024-05-04");
    range(&db, "1 month ago", "2024-04-01", "2024-04-30");
    range(&db, "2 quarters ago", "2023-10-01", "2023-12-31");
    range(&db, "1 year ago", "2023-01-01", "2023-12-31");
    range(&db, "week to date", "2024-05-12", "2024-05-15");
    range(&db, "month to date", "2024-05-01", "2024-05-15");
    range(&db, "quarter to date", "2024-04-01", "2024-05-15");
    range(&db, "year to date", "2024-01-01", "2024-05-15");
}

#[test]
fn relative_dates_follow_the_injected_today() {
    let db = db();
    let mut o = opts();
    o.today = NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
    let a = db.run_opts("[orders] [order date] last month", &o);
    let want = db.scalar(
        "SELECT COUNT(*) FROM sales WHERE order_date BETWEEN '2023-02-01' AND '2023-02-28'",
    );
    assert_eq!(a.rows, vec![vec![want]]);
}

#[test]
fn date_keywords_bind_to_the_date_column() {
    let db = db();
    // With a bucket the column still groups.
    let a = db.run("[sales] [order date].monthly last 2 months");
    assert_eq!(a.names, ["Total Sales", "Month(Order Date)"]);
    let expected: Vec<Vec<Cell>> = db
        .sql(
            "SELECT SUM(amount), substr(order_date, 1, 7) || '-01' FROM sales
             WHERE order_date BETWEEN '2024-03-16' AND '2024-05-15' GROUP BY 2 ORDER BY 2",
        )
        .into_iter()
        .map(|r| match &r[1] {
            Cell::Text(d) => vec![r[0].clone(), epoch(d)],
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(a.rows, expected);
    // The only date column of the query.
    let a = db.run("[sales] by [order date] weekly this month");
    assert_eq!(a.names, ["Total Sales", "Week(Order Date)"]);
    assert_eq!(a.rows.len(), 5);
    // Two date columns in the source and none in the query: say which.
    let e = db.err("[sales] last 7 days");
    assert_eq!(
        e.to_string(),
        "'last 7 days' could apply to several date columns: write the column next to it at position 8"
    );
    // The timestamp column.
    let a = db.run("[orders] [ship time] yesterday");
    let want = db.scalar("SELECT COUNT(*) FROM sales WHERE ship_ts LIKE '2024-05-14 %'");
    assert_eq!(a.rows, vec![vec![want]]);
}

#[test]
fn a_source_with_one_date_column_needs_no_name() {
    let mut db = db();
    db.source.columns.retain(|c| c.name != "Ship Time");
    let a = db.run("[sales] last 7 days");
    let want = db.scalar(
        "SELECT SUM(amount) FROM sales WHERE order_date BETWEEN '2024-05-09' AND '2024-05-15'",
    );
    assert_eq!(a.rows, vec![vec![want]]);
    let c = search("[sales] year to date", &db.source, &opts()).unwrap();
    assert_eq!(
        c.values,
        vec![
            SqlValue::Text("2024-01-01".into()),
            SqlValue::Text("2024-05-16".into())
        ]
    );
}
