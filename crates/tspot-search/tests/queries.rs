//! Measures, grouping, names, joins, formulas, top/bottom, sorting and paging, each checked
//! against hand-written SQL over the same data.

mod common;

use common::*;
use tspot_search::*;

fn names(a: &Answer) -> Vec<&str> {
    a.names.iter().map(String::as_str).collect()
}

#[test]
fn total_by_region() {
    let db = db();
    let a = db.run("[sales] [region]");
    assert_eq!(names(&a), ["Total Sales", "Region"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.region FROM {STAR} GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(a.rows, expected);
    assert_eq!(a.rows.len(), 3);
}

#[test]
fn measure_alone_is_one_row() {
    let db = db();
    let a = db.run("[sales]");
    assert_eq!(names(&a), ["Total Sales"]);
    assert_eq!(
        a.rows,
        vec![vec![db.scalar("SELECT SUM(amount) FROM sales")]]
    );
}

#[test]
fn column_names_are_case_insensitive_and_keep_display_names() {
    let db = db();
    let a = db.run("[SALES] [rEgIoN]");
    assert_eq!(names(&a), ["Total Sales", "Region"]);
    assert_eq!(a.rows, db.run("[sales] [region]").rows);
}

#[test]
fn default_aggregations_and_their_names() {
    let db = db();
    let a = db.run("[quantity] [unit price] [orders] [store]");
    assert_eq!(
        names(&a),
        [
            "Total Quantity",
            "Average Unit Price",
            "Number of Orders",
            "Store"
        ]
    );
    let expected = db.sql(&format!(
        "SELECT SUM(s.quantity), AVG(p.unit_price), COUNT(s.sale_id), st.store_name FROM {STAR}
         GROUP BY st.store_name ORDER BY st.store_name"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn aggregate_keywords_override_the_default() {
    let db = db();
    let a = db.run(
        "sum [unit price] average [sales] count [sales] min [sales] max [sales] unique count [product] [region]",
    );
    assert_eq!(
        names(&a),
        [
            "Total Unit Price",
            "Average Sales",
            "Number of Sales",
            "Minimum Sales",
            "Maximum Sales",
            "Unique Number of Product",
            "Region"
        ]
    );
    let expected = db.sql(&format!(
        "SELECT SUM(p.unit_price), AVG(s.amount), COUNT(s.amount), MIN(s.amount), MAX(s.amount),
                COUNT(DISTINCT p.name), st.region
         FROM {STAR} GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn unique_count_and_count_of_an_attribute() {
    let db = db();
    let a = db.run("unique count [store] count [region] [category]");
    assert_eq!(
        names(&a),
        ["Unique Number of Store", "Number of Region", "Category"]
    );
    let expected = db.sql(&format!(
        "SELECT COUNT(DISTINCT st.store_name), COUNT(st.region), p.category FROM {STAR}
         GROUP BY p.category ORDER BY p.category"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn standard_deviation_and_variance() {
    let db = db();
    let a = db.run("standard deviation [sales] variance [sales] [region]");
    assert_eq!(
        names(&a),
        ["Standard Deviation Sales", "Variance Sales", "Region"]
    );
    // Sample statistics by the two-pass definition.
    let expected = db.sql(&format!(
        "WITH m AS (SELECT st.region AS r, AVG(s.amount) AS mean, COUNT(*) AS n FROM {STAR} GROUP BY st.region)
         SELECT sqrt(SUM((s.amount - m.mean) * (s.amount - m.mean)) / (m.n - 1)),
                SUM((s.amount - m.mean) * (s.amount - m.mean)) / (m.n - 1), st.region
         FROM {STAR} JOIN m ON m.r = st.region GROUP BY st.region ORDER BY st.region"
    ));
    assert_eq!(a.rows.len(), expected.len());
    for (got, want) in a.rows.iter().zip(&expected) {
        for (g, w) in got.iter().zip(want) {
            match (g, w) {
                (Cell::Num(g), Cell::Num(w)) => {
                    let (g, w): (f64, f64) = (g.parse().unwrap(), w.parse().unwrap());
                    assert!((g - w).abs() < 1e-6 * w.abs().max(1.0), "{g} vs {w}");
                }
                _ => assert_eq!(g, w),
            }
        }
    }
}

#[test]
fn attributes_alone_are_distinct_combinations() {
    let db = db();
    let a = db.run("[region] [category]");
    assert_eq!(names(&a), ["Region", "Category"]);
    let expected = db.sql(&format!(
        "SELECT DISTINCT st.region, p.category FROM {STAR} ORDER BY st.region, p.category"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn only_needed_tables_are_joined() {
    let db = db();
    // One dimension alone: every product, sold or not.
    let c = search("[product]", &db.source, &opts()).unwrap();
    assert!(!c.sql.contains("sales"), "{}", c.sql);
    let a = db.run("[product]");
    assert_eq!(a.rows, db.sql("SELECT name FROM products ORDER BY name"));
    assert_eq!(a.rows.len(), 7);
    // With a measure the fact table joins in, and the unsold product drops out.
    let a = db.run("[product] [quantity]");
    assert_eq!(
        a.rows,
        db.sql(&format!(
            "SELECT p.name, SUM(s.quantity) FROM {STAR} GROUP BY p.name ORDER BY p.name"
        ))
    );
    assert_eq!(a.rows.len(), 6);
    // Two dimensions go through the fact table.
    let c = search("[region] [category]", &db.source, &opts()).unwrap();
    assert!(c.sql.contains("\"sales\""), "{}", c.sql);
}

#[test]
fn formula_columns() {
    let db = db();
    let a = db.run("[revenue] [discount] [category]");
    assert_eq!(names(&a), ["Total Revenue", "Total Discount", "Category"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.quantity * p.unit_price), SUM(s.quantity * p.unit_price - s.amount), p.category
         FROM {STAR} GROUP BY p.category ORDER BY p.category"
    ));
    assert_eq!(a.rows, expected);
    // A formula over two tables pulls in both.
    let c = search("[revenue]", &db.source, &opts()).unwrap();
    assert!(
        c.sql.contains("\"products\"") && c.sql.contains("\"sales\""),
        "{}",
        c.sql
    );
}

#[test]
fn formula_division_is_real_division() {
    let mut db = db();
    db.source.columns.push(SourceColumn {
        name: "Half Quantity".into(),
        kind: ColumnKind::Measure,
        data_type: DataType::Double,
        aggregation: Aggregation::Sum,
        expr: ColumnExpr::Formula("-([Quantity] / 2) + ([Quantity])".into()),
    });
    let a = db.run("[half quantity]");
    assert_eq!(
        a.rows,
        vec![vec![db.scalar("SELECT SUM(quantity / 2.0) FROM sales")]]
    );
}

#[test]
fn measure_without_aggregation_groups() {
    let db = db();
    let a = db.run("[list price] [quantity]");
    assert_eq!(names(&a), ["List Price", "Total Quantity"]);
    let expected = db.sql(&format!(
        "SELECT p.unit_price, SUM(s.quantity) FROM {STAR} GROUP BY p.unit_price ORDER BY p.unit_price"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn by_a_measure_groups_by_it_when_another_measure_is_aggregated() {
    let db = db();
    let a = db.run("[sales] by [quantity]");
    assert_eq!(names(&a), ["Total Sales", "Quantity"]);
    let expected =
        db.sql("SELECT SUM(amount), quantity FROM sales GROUP BY quantity ORDER BY quantity");
    assert_eq!(a.rows, expected);
    // Alone, `by [measure]` is the measure.
    let a = db.run("[region] by [sales]");
    assert_eq!(names(&a), ["Region", "Total Sales"]);
}

#[test]
fn table_qualified_names_from_tml() {
    let db = db();
    let a = db.run("[SALES_FACT::Sales] [STORES::region]");
    assert_eq!(names(&a), ["Total Sales", "Region"]);
    assert_eq!(a.rows, db.run("[sales] [region]").rows);
}

#[test]
fn repeated_columns_appear_once() {
    let db = db();
    let a = db.run("[sales] [region] [sales] sum [sales] [region]");
    assert_eq!(names(&a), ["Total Sales", "Region"]);
}

#[test]
fn for_each_and_by_group() {
    let db = db();
    assert_eq!(db.run("[sales] by [region]"), db.run("[sales] [region]"));
    assert_eq!(
        db.run("[sales] for each [region]"),
        db.run("[sales] [region]")
    );
}

#[test]
fn top_and_bottom() {
    let db = db();
    let a = db.run("top 2 [store] [sales]");
    assert_eq!(names(&a), ["Store", "Total Sales"]);
    let expected = db.sql(&format!(
        "SELECT st.store_name, SUM(s.amount) AS t FROM {STAR} GROUP BY st.store_name ORDER BY t DESC LIMIT 2"
    ));
    assert_eq!(a.rows, expected);

    let a = db.run("[sales] bottom 3 [product]");
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount) AS t, p.name FROM {STAR} GROUP BY p.name ORDER BY t ASC LIMIT 3"
    ));
    assert_eq!(a.rows, expected);

    // Without a number: 10 (there are only 5 stores).
    assert_eq!(db.run("top [store] [sales]").rows.len(), 5);
    assert_eq!(db.run("top [sale id] [sales]").rows.len(), 10);
}

#[test]
fn top_ranks_by_the_first_measure_or_the_named_one() {
    let db = db();
    // First measure: quantity.
    let a = db.run("top 1 [region] [quantity] [sales]");
    let expected = db.sql(&format!(
        "SELECT st.region, SUM(s.quantity) AS q, SUM(s.amount) FROM {STAR} GROUP BY st.region ORDER BY q DESC LIMIT 1"
    ));
    assert_eq!(a.rows, expected);
    // `ranked by` names it.
    let a = db.run("top 1 [region] [quantity] [sales] ranked by [sales]");
    let expected = db.sql(&format!(
        "SELECT st.region, SUM(s.quantity), SUM(s.amount) AS t FROM {STAR} GROUP BY st.region ORDER BY t DESC LIMIT 1"
    ));
    assert_eq!(a.rows, expected);
    // A measure right after `top n` names it too.
    let a = db.run("[quantity] top 1 [sales] [region]");
    assert_eq!(names(&a), ["Total Quantity", "Total Sales", "Region"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.quantity), SUM(s.amount) AS t, st.region FROM {STAR} GROUP BY st.region ORDER BY t DESC LIMIT 1"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn top_then_sort() {
    let db = db();
    let a = db.run("top 3 [store] [sales] sort by [store] descending");
    let expected = db.sql(&format!(
        "SELECT * FROM (SELECT st.store_name AS n, SUM(s.amount) AS t FROM {STAR}
           GROUP BY st.store_name ORDER BY t DESC LIMIT 3) ORDER BY n DESC"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn sort_by() {
    let db = db();
    let a = db.run("[sales] [store] sort by [sales] descending");
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount) AS t, st.store_name FROM {STAR} GROUP BY st.store_name ORDER BY t DESC"
    ));
    assert_eq!(a.rows, expected);
    let a = db.run("[sales] [store] sort by [store] descending");
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.store_name FROM {STAR} GROUP BY st.store_name ORDER BY st.store_name DESC"
    ));
    assert_eq!(a.rows, expected);
    let a = db.run("[sales] [store] sort by average [sales] ascending");
    assert_eq!(names(&a), ["Total Sales", "Store", "Average Sales"]);
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.store_name, AVG(s.amount) AS a FROM {STAR} GROUP BY st.store_name ORDER BY a ASC"
    ));
    assert_eq!(a.rows, expected);
    // Several sort keys, in order.
    let a = db.run(
        "[sales] [region] [category] sort by [region] descending sort by [category] descending",
    );
    let expected = db.sql(&format!(
        "SELECT SUM(s.amount), st.region, p.category FROM {STAR} GROUP BY st.region, p.category
         ORDER BY st.region DESC, p.category DESC"
    ));
    assert_eq!(a.rows, expected);
}

#[test]
fn paging_is_stable_and_bound() {
    let db = db();
    let c = search("[sales] [product] [region]", &db.source, &opts()).unwrap();
    let all = db.rows_of(&c.sql, &c.values, &c.columns);
    assert_eq!(all.len(), 18);
    let mut pages = Vec::new();
    for offset in (0..20).step_by(5) {
        let (sql, values) = paged(&c, Some(5), offset);
        assert!(
            sql.ends_with("LIMIT ? OFFSET ?") || sql.ends_with("LIMIT ?"),
            "{sql}"
        );
        pages.extend(db.rows_of(&sql, &values, &c.columns));
        db.same_on_postgres(
            &db.source,
            "[sales] [product] [region]",
            &opts(),
            Some((Some(5), offset)),
        );
    }
    assert_eq!(pages, all);
    // No limit, an offset.
    let (sql, values) = paged(&c, None, 15);
    assert_eq!(db.rows_of(&sql, &values, &c.columns), all[15..].to_vec());
    db.same_on_postgres(
        &db.source,
        "[sales] [product] [region]",
        &opts(),
        Some((None, 15)),
    );
    // Neither: the statement itself.
    assert_eq!(paged(&c, None, 0), (c.sql.clone(), c.values.clone()));
}

#[test]
fn paging_stays_within_top_n() {
    let db = db();
    let c = search("top 7 [sale id] [sales]", &db.source, &opts()).unwrap();
    let all = db.rows_of(&c.sql, &c.values, &c.columns);
    assert_eq!(all.len(), 7);
    let (sql, values) = paged(&c, Some(5), 5);
    assert_eq!(db.rows_of(&sql, &values, &c.columns), all[5..].to_vec());
    let (sql, values) = paged(&c, Some(5), 10);
    assert!(db.rows_of(&sql, &values, &c.columns).is_empty());
    for page in [(Some(5), 5), (Some(5), 10), (None, 3)] {
        db.same_on_postgres(&db.source, "top 7 [sale id] [sales]", &opts(), Some(page));
    }
    let count = db.count(&c);
    assert_eq!(count, 7);
}

#[test]
fn count_sql_counts_the_whole_result() {
    let db = db();
    for (q, want) in [
        ("[sales] [region]", 3),
        ("[sales]", 1),
        ("[product]", 7),
        (
            "[sale id] [region] = 'east'",
            db.sql(&format!(
                "SELECT COUNT(*) FROM {STAR} WHERE st.region = 'east'"
            ))[0][0]
                .clone()
                .into_count(),
        ),
        ("top 4 [store] [sales]", 4),
    ] {
        let (c, a) = db.search_with(q, &opts()).unwrap();
        let n = db.count(&c);
        assert_eq!(n, want, "{q}");
        assert_eq!(a.rows.len() as i64, want, "{q}");
    }
}

#[test]
fn a_page_with_its_total_counts_the_whole_result_in_one_statement() {
    let db = db();
    for q in [
        "[sales] [store] [product]",
        "[sales]",
        "top 4 [store] [sales]",
        "top 4 [store] [sales] sort by [store]",
        "[sale id] [region] = 'east'",
    ] {
        let c = search(q, &db.source, &opts()).unwrap();
        let total = db.count(&c);
        for (limit, offset) in [(Some(3), 0), (Some(2), 1), (None, 0)] {
            let (page_sql, page_values) = paged(&c, limit, offset);
            let (sql, values) = paged_with_total(&c, limit, offset);
            let page: Vec<Vec<rusqlite::types::Value>> = rows(&db, &page_sql, &page_values);
            let mut counted = rows(&db, &sql, &values);
            let windows: Vec<i64> = counted
                .iter_mut()
                .map(|row| match row.pop() {
                    Some(rusqlite::types::Value::Integer(n)) => n,
                    other => panic!("{q}: {other:?}"),
                })
                .collect();
            assert_eq!(counted, page, "{q} {limit:?} {offset}");
            // A page past the last row has no row to carry the count.
            assert_eq!(windows.is_empty(), page.is_empty(), "{q}");
            for n in windows {
                assert_eq!(c.total_from_window(n as u64) as i64, total, "{q}");
            }
        }
    }
}

fn rows(db: &Db, sql: &str, values: &[SqlValue]) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = db.conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map(rusqlite::params_from_iter(params(values)), |r| {
        (0..n).map(|i| r.get(i)).collect()
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

trait IntoCount {
    fn into_count(self) -> i64;
}

impl IntoCount for Cell {
    fn into_count(self) -> i64 {
        match self {
            Cell::Num(n) => n.parse::<f64>().unwrap() as i64,
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn dates_come_back_as_epoch_seconds() {
    let db = db();
    let a = db.run("[order date] [sale id] = 5");
    // Sale 5's date, converted in Rust.
    let iso = db.sql("SELECT order_date FROM sales WHERE sale_id = 5");
    let Cell::Text(iso) = &iso[0][0] else {
        panic!()
    };
    assert_eq!(a.rows, vec![vec![epoch(iso)]]);
    let a = db.run("[ship time] [sale id] = 5");
    let iso = db.sql("SELECT ship_ts FROM sales WHERE sale_id = 5");
    let Cell::Text(iso) = &iso[0][0] else {
        panic!()
    };
    assert_eq!(a.rows, vec![vec![epoch(iso)]]);
    // min/max of a date are dates too.
    let a = db.run("min [order date] max [order date]");
    assert_eq!(names(&a), ["Minimum Order Date", "Maximum Order Date"]);
    let r = db.sql("SELECT MIN(order_date), MAX(order_date) FROM sales");
    let (Cell::Text(lo), Cell::Text(hi)) = (&r[0][0], &r[0][1]) else {
        panic!()
    };
    assert_eq!(a.rows, vec![vec![epoch(lo), epoch(hi)]]);
}

#[test]
fn boolean_attribute() {
    let db = db();
    let a = db.run("[promo] [orders]");
    assert_eq!(
        a.rows,
        db.sql("SELECT promo, COUNT(sale_id) FROM sales GROUP BY promo ORDER BY promo")
    );
    let a = db.run("[orders] [promo] = true");
    assert_eq!(
        a.rows,
        vec![vec![
            db.scalar("SELECT COUNT(*) FROM sales WHERE promo = 1")
        ]]
    );
}

#[test]
fn values_with_sql_in_them_are_data() {
    let db = db();
    // The text between the quotes of a quoted value (`''` is one quote).
    for evil in [
        "x'' OR 1=1 --",
        "); DROP TABLE sales; --",
        "''); DROP TABLE sales; --",
        "\" OR \"\"=\"",
        "%",
        "_",
    ] {
        let q = format!("[orders] [note] = '{evil}'");
        let c = search(&q, &db.source, &opts()).unwrap();
        let plain = evil.replace("''", "'");
        assert!(plain.len() < 3 || !c.sql.contains(&plain), "{}", c.sql);
        assert!(
            c.values.contains(&SqlValue::Text(plain.clone())),
            "{:?}",
            c.values
        );
        let a = db.run(&q);
        let want = db
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sales WHERE lower(note) = lower(?1)",
                [&plain],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        assert_eq!(a.rows, vec![vec![num(want as f64)]], "{evil}");
    }
    // An unescaped quote ends the value; what follows is not SQL but a syntax error.
    let e = db.err("[orders] [note] = ''); DROP TABLE sales; --'");
    assert_eq!(e.to_string(), "Unexpected character ')' at position 20");
    assert_eq!(e.token.as_deref(), Some(")"));
    // The quoted quote matched the stored note "x' OR 1=1 --".
    assert_ne!(
        db.run("[orders] [note] = 'x'' OR 1=1 --'").rows,
        vec![vec![num(0.0)]]
    );
    // The table is still there.
    assert_eq!(db.scalar("SELECT COUNT(*) FROM sales"), num(190.0));
    // Text matching and runtime filters bind too.
    let mut o = opts();
    o.runtime_filters.push(RuntimeFilter {
        column: "Note".into(),
        operator: FilterOperator::Contains,
        values: vec!["'); DROP TABLE sales; --".into()],
    });
    let c = search("[orders] [note] contains 'OR 1=1'", &db.source, &o).unwrap();
    assert!(
        !c.sql.contains("DROP") && !c.sql.contains("1=1"),
        "{}",
        c.sql
    );
    assert_eq!(
        db.run_opts("[orders] [note] contains 'OR 1=1'", &o).rows,
        vec![vec![num(0.0)]]
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM sales"), num(190.0));
}

#[test]
fn identifiers_from_the_model_are_quoted() {
    let db = db();
    db.conn
        .execute_batch(
            r#"CREATE TABLE "we""ird" ("c""ol" TEXT, "n; DROP" INTEGER);
               INSERT INTO "we""ird" VALUES ('a', 1), ('a', 2), ('b', 5);"#,
        )
        .unwrap();
    let source = Source {
        tables: vec![SourceTable {
            alias: "x\"y".into(),
            schema: None,
            table: "we\"ird".into(),
        }],
        joins: vec![],
        columns: vec![
            SourceColumn {
                name: "Odd".into(),
                kind: ColumnKind::Attribute,
                data_type: DataType::Text,
                aggregation: Aggregation::None,
                expr: ColumnExpr::Physical {
                    table: "x\"y".into(),
                    column: "c\"ol".into(),
                },
            },
            SourceColumn {
                name: "N".into(),
                kind: ColumnKind::Measure,
                data_type: DataType::Int,
                aggregation: Aggregation::Sum,
                expr: ColumnExpr::Physical {
                    table: "x\"y".into(),
                    column: "n; DROP".into(),
                },
            },
        ],
    };
    let c = search("[odd] [n]", &source, &opts()).unwrap();
    let rows = db.rows_of(&c.sql, &c.values, &c.columns);
    assert_eq!(
        rows,
        vec![vec![text("a"), num(3.0)], vec![text("b"), num(5.0)]]
    );
    // The PostgreSQL fixture has the same table.
    db.same_on_postgres(&source, "[odd] [n]", &opts(), None);
}

#[test]
fn outer_joins_keep_their_direction() {
    let mut db = db();
    // products LEFT JOIN sales, declared from the products side; the fact table is the root,
    // so the compiler writes it as sales RIGHT JOIN products.
    db.source.joins[1].kind = JoinKind::LeftOuter;
    let c = search("[product] [quantity]", &db.source, &opts()).unwrap();
    assert!(c.sql.contains("RIGHT JOIN"), "{}", c.sql);
    let a = db.run("[product] [quantity]");
    let expected = db.sql(
        "SELECT p.name, SUM(s.quantity) FROM products p LEFT JOIN sales s ON s.product_id = p.product_id
         GROUP BY p.name ORDER BY p.name",
    );
    assert_eq!(a.rows, expected);
    assert_eq!(a.rows.len(), 7);
    assert!(a.rows.contains(&vec![text("Unsold Thing"), Cell::Null]));
}

// The ordering rules that make results engine-independent (README, "The same rows on every
// engine"); with TSPOT_TEST_POSTGRES set, PostgreSQL must agree on each.

#[test]
fn nulls_sort_first_ascending_and_last_descending() {
    let mut db = db();
    // Every fifth sale has no note.
    let a = db.run("[orders] [note]");
    assert_eq!(a.rows[0], vec![num(38.0), Cell::Null]);
    assert_eq!(
        a.rows,
        db.sql(
            "SELECT COUNT(sale_id), note FROM sales GROUP BY note ORDER BY note ASC NULLS FIRST"
        )
    );
    let a = db.run("[orders] [note] sort by [note] descending");
    assert_eq!(a.rows.last().unwrap(), &vec![num(38.0), Cell::Null]);
    // A product never sold, kept by an outer join, has no quantity: last in a top N, first
    // in a bottom N.
    db.source.joins[1].kind = JoinKind::LeftOuter;
    let a = db.run("top 7 [product] [quantity]");
    assert_eq!(a.rows.len(), 7);
    assert_eq!(a.rows[6], vec![text("Unsold Thing"), Cell::Null]);
    let a = db.run("bottom 1 [product] [quantity]");
    assert_eq!(a.rows, vec![vec![text("Unsold Thing"), Cell::Null]]);
}

#[test]
fn text_sorts_in_byte_order() {
    let db = db();
    // Upper case before lower case ("North" < "east"), whatever a locale would say.
    assert_eq!(
        db.run("[region]").rows,
        vec![vec![text("North")], vec![text("east")], vec![text("west")]]
    );
    assert_eq!(
        db.run("[product] sort by [product] descending").rows[6],
        vec![text("100% Hammer")]
    );
}

#[test]
fn top_n_ties_break_by_the_grouping_columns() {
    let db = db();
    // Every store has 38 sales.
    assert_eq!(
        db.sql("SELECT COUNT(DISTINCT n), MIN(n) FROM (SELECT COUNT(*) AS n FROM sales GROUP BY store_id)"),
        vec![vec![num(1.0), num(38.0)]]
    );
    let first_two = vec![
        vec![text("Store A"), num(38.0)],
        vec![text("Store B"), num(38.0)],
    ];
    assert_eq!(db.run("top 2 [store] [orders]").rows, first_two);
    assert_eq!(db.run("bottom 2 [store] [orders]").rows, first_two);
}

#[test]
fn division_by_zero_is_null() {
    let mut db = db();
    db.source.columns.push(SourceColumn {
        name: "Per Nothing".into(),
        kind: ColumnKind::Measure,
        data_type: DataType::Double,
        aggregation: Aggregation::Sum,
        expr: ColumnExpr::Formula("[Quantity] / ([Quantity] - [Quantity])".into()),
    });
    let a = db.run("[per nothing] [region]");
    assert_eq!(a.rows.len(), 3);
    assert!(a.rows.iter().all(|r| r[0] == Cell::Null), "{:?}", a.rows);
}
