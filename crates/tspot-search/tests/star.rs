//! Star-schema rewrites (semi-joins for dimensions that only filter, the fact table aggregated
//! before its joins): each shape is asserted on the SQL, and its answer checked against
//! hand-written SQL that joins first and aggregates once.

mod common;

use common::*;
use tspot_search::*;

fn sql_of(db: &Db, q: &str) -> String {
    search(q, &db.source, &opts())
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .sql
}

fn aggregates_first(sql: &str) -> bool {
    sql.contains("tspot_m")
}

#[test]
fn a_dimension_that_only_filters_becomes_a_semi_join() {
    let db = db();
    let sql = sql_of(&db, "[sales] [region] = 'east'");
    assert!(sql.contains("IN (SELECT") && !sql.contains("JOIN"), "{sql}");
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount) FROM {STAR} WHERE st.region = 'east'"
    ));
    assert_eq!(db.run("[sales] [region] = 'east'").rows, expected);

    // A runtime filter on the dimension, and the fact's own filter beside it.
    let mut o = opts();
    o.runtime_filters.push(RuntimeFilter {
        column: "Region".into(),
        operator: FilterOperator::Ne,
        values: vec!["west".into()],
    });
    let a = db.run_opts("[quantity] [order date].monthly [promo] = true", &o);
    let expected = db.sql(&format!(
        "SELECT SUM(s.quantity), CAST(strftime('%s', date(s.order_date, 'start of month')) AS INTEGER) AS m
         FROM {STAR} WHERE st.region <> 'west' AND s.promo = 1 GROUP BY m ORDER BY m"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn a_dimension_the_search_shows_is_joined_after_the_fact_is_aggregated() {
    let db = db();
    let q = "[sales] [quantity] [orders] [region]";
    assert!(aggregates_first(&sql_of(&db, q)), "{}", sql_of(&db, q));
    // SQLite groups the join key computed, not in its index's order (a random fetch per row).
    assert!(
        sql_of(&db, q).contains(r#"GROUP BY +"f"."store_id""#),
        "{}",
        sql_of(&db, q)
    );
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), SUM(s.quantity), COUNT(s.sale_id), st.region FROM {STAR}
         GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(db.run(q).rows, expected);

    // Minimum and maximum, with the fact's own date bucket grouped inside.
    let q = "max [sales] min [quantity] [order date].monthly [store]";
    assert!(aggregates_first(&sql_of(&db, q)));
    let expected = db.sql(&format!(
        "SELECT MAX(s.amount), MIN(s.quantity),
                CAST(strftime('%s', date(s.order_date, 'start of month')) AS INTEGER) AS m, st.store_name
         FROM {STAR} GROUP BY m, st.store_name ORDER BY m, st.store_name"
    ));
    assert_eq!(db.run(q).rows, expected);

    // Averages: the sum over the count of values, per key, combined.
    let q = "average [sales] average [quantity] [region] [store] != 'nowhere'";
    assert!(aggregates_first(&sql_of(&db, q)));
    let expected = db.sql(&format!(
        "SELECT AVG(s.amount), AVG(s.quantity), st.region FROM {STAR}
         WHERE st.store_name <> 'nowhere' GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(db.run(q).rows, expected);
    let q = "average [sales] [category] = 'Nothing'";
    assert_eq!(db.run(q).rows, vec![vec![Cell::Null]]);

    // Both rewrites at once: stores filter, products (declared from their side) are shown.
    let q = "top 2 [sales] [category] [region] != 'east'";
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount) AS t, p.category FROM {STAR} WHERE st.region <> 'east'
         GROUP BY p.category ORDER BY t DESC, p.category LIMIT 2"
    ));
    assert_eq!(db.run(q).rows, expected);
}

#[test]
fn a_count_over_no_rows_is_zero() {
    let db = db();
    let q = "[orders] [quantity] [category] = 'Nothing'";
    assert!(aggregates_first(&sql_of(&db, q)), "{}", sql_of(&db, q));
    let expected = db.sql(&format!(
        "SELECT COUNT(s.sale_id), SUM(s.quantity) FROM {STAR} WHERE p.category = 'Nothing'"
    ));
    assert_eq!(expected, vec![vec![num(0.0), Cell::Null]]);
    assert_eq!(db.run(q).rows, expected);
}

#[test]
fn aggregates_that_do_not_combine_are_computed_in_one_step() {
    let db = db();
    for (q, sql) in [
        (
            "unique count [product] [region]",
            "SELECT COUNT(DISTINCT p.name), st.region FROM {STAR} GROUP BY st.region ORDER BY st.region",
        ),
        (
            "[sales] [region] sum [quantity] > 100",
            "SELECT SUM(s.amount), st.region FROM {STAR} GROUP BY st.region
             HAVING SUM(s.quantity) > 100 ORDER BY st.region",
        ),
        (
            "[revenue] [region]",
            "SELECT SUM(s.quantity * p.unit_price), st.region FROM {STAR} GROUP BY st.region ORDER BY st.region",
        ),
    ] {
        assert!(
            !aggregates_first(&sql_of(&db, q)),
            "{q}: {}",
            sql_of(&db, q)
        );
        assert_eq!(db.run(q).rows, db.sql(&sql.replace("{STAR}", STAR)), "{q}");
    }
}

#[test]
fn fact_rows_without_a_dimension_row_stay_on_outer_joins_and_leave_on_inner_ones() {
    let mut db = db();
    // SQLite only: PostgreSQL's copy of the tables keeps every store.
    db.conn
        .execute("DELETE FROM stores WHERE store_id = 5", [])
        .unwrap();
    let answer = |db: &Db, q: &str| {
        let c = search(q, &db.source, &opts()).unwrap();
        db.rows_of(&c.sql, &c.values, &c.columns)
    };
    let q = "[sales] [orders] [region]";
    let inner = db.sql(
        "SELECT SUM(s.amount), COUNT(s.sale_id), st.region FROM sales s
         JOIN stores st ON st.store_id = s.store_id GROUP BY st.region ORDER BY st.region",
    );
    assert_eq!(answer(&db, q), inner);
    db.source.joins[0].kind = JoinKind::LeftOuter;
    assert!(aggregates_first(&sql_of(&db, q)));
    let outer = db.sql(
        "SELECT SUM(s.amount), COUNT(s.sale_id), st.region FROM sales s
         LEFT JOIN stores st ON st.store_id = s.store_id GROUP BY st.region ORDER BY st.region",
    );
    assert_eq!(outer.len(), inner.len() + 1);
    assert_eq!(answer(&db, q), outer);
    // An outer join filters nothing away, so it is never replaced by a semi-join.
    let q = "[sales] [region] != 'nowhere'";
    assert!(sql_of(&db, q).contains("LEFT JOIN"), "{}", sql_of(&db, q));
}

#[test]
fn a_dimension_declared_as_the_joins_source_is_joined() {
    // Products are the source of their join: ThoughtSpot's many-to-one says nothing about
    // their keys, so a filter on them stays a join.
    let db = db();
    let sql = sql_of(&db, "[sales] [category] = 'Tools'");
    assert!(sql.contains("JOIN \"products\""), "{sql}");
}
