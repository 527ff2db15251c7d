//! A search too big for the engine is refused with an error that names the limit, before any
//! SQL is built: never an engine failure, never a stack overflow.

mod common;

use common::*;
use tspot_search::*;

/// Runs `work` on a thread with the 2 MiB stack of tokio's blocking pool, where the reference
/// server compiles searches.
fn on_server_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap();
}

fn list(n: usize, value: impl Fn(usize) -> String) -> String {
    (0..n).map(value).collect::<Vec<_>>().join(", ")
}

/// Queries of `n` conditions in each shape that nests in SQL.
fn shapes(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "separate filters",
            format!(
                "[Sales]{}",
                (0..n)
                    .map(|i| format!(" [Region] != 'r{i}'"))
                    .collect::<String>()
            ),
        ),
        (
            "one text match",
            format!("[Sales] [Note] contains {}", list(n, |i| format!("'x{i}'"))),
        ),
        (
            "a list of dates",
            format!(
                "[Sales] [Order Date] = {}",
                list(n / 2, |i| format!("'2024-01-{:02}'", i % 28 + 1))
            ),
        ),
    ]
}

#[test]
fn the_most_conditions_allowed_run_on_sqlite() {
    on_server_stack(|| {
        let db = db();
        for (shape, query) in shapes(MAX_CONDITIONS) {
            let compiled =
                search(&query, &db.source, &opts()).unwrap_or_else(|e| panic!("{shape}: {e}"));
            db.rows_of(&compiled.sql, &compiled.values, &compiled.columns);
        }
    });
}

#[test]
fn one_condition_more_is_refused_with_the_limit() {
    let db = db();
    for (shape, query) in shapes(MAX_CONDITIONS + 2) {
        let e = search(&query, &db.source, &opts()).unwrap_err();
        assert_eq!(
            e.message.split(" (").next().unwrap(),
            format!(
                "This search has {} conditions; at most {MAX_CONDITIONS} are allowed",
                MAX_CONDITIONS + 2
            ),
            "{shape}"
        );
        assert_eq!(e.position, None);
    }
}

#[test]
fn thousands_of_conditions_are_refused_without_exhausting_the_stack() {
    on_server_stack(|| {
        let db = db();
        for (shape, query) in shapes(20_000) {
            let e = search(&query, &db.source, &opts()).unwrap_err();
            assert!(e.message.contains("at most"), "{shape}: {e}");
        }
        let runtime = SearchOptions {
            runtime_filters: (0..5_000)
                .map(|i| RuntimeFilter {
                    column: "Note".into(),
                    operator: FilterOperator::Contains,
                    values: vec![format!("n{i}")],
                })
                .collect(),
            ..opts()
        };
        let e = search("[Sales]", &db.source, &runtime).unwrap_err();
        assert!(e.message.contains("5000 conditions"), "{e}");
    });
}

#[test]
fn a_long_list_of_values_is_one_condition_up_to_the_value_limit() {
    let db = db();
    let query = format!("[Sales] [Region] = {}", list(5_000, |i| format!("'r{i}'")));
    let compiled = search(&query, &db.source, &opts()).unwrap();
    db.rows_of(&compiled.sql, &compiled.values, &compiled.columns);
    let query = format!(
        "[Sales] [Region] = {}",
        list(MAX_VALUES + 1, |i| format!("'r{i}'"))
    );
    let e = search(&query, &db.source, &opts()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "This search compares {} values; at most {MAX_VALUES} are allowed",
            MAX_VALUES + 1
        )
    );
}

fn formula(name: &str, expr: String) -> SourceColumn {
    SourceColumn {
        name: name.into(),
        kind: ColumnKind::Measure,
        data_type: DataType::Double,
        aggregation: Aggregation::Sum,
        expr: ColumnExpr::Formula(expr),
    }
}

/// `[previous] + 1 + 1 ...`: a formula of `terms` operators over the column before it.
fn chain(previous: &str, terms: usize) -> String {
    format!("[{previous}]{}", " + 1".repeat(terms))
}

#[test]
fn formulas_nest_only_so_deep_and_the_deepest_allowed_still_runs() {
    on_server_stack(|| {
        let mut db = db();
        let mut previous = "Quantity".to_string();
        for level in 1..=MAX_FORMULA_NESTING {
            let name = format!("F{level}");
            db.source
                .columns
                .push(formula(&name, chain(&previous, MAX_FORMULA_TERMS)));
            previous = name;
        }
        // The deepest formula allowed runs.
        let deepest = format!("[F{MAX_FORMULA_NESTING}] [Region] [F{MAX_FORMULA_NESTING}] > 1");
        let compiled = search(&deepest, &db.source, &opts()).unwrap();
        db.rows_of(&compiled.sql, &compiled.values, &compiled.columns);
        // The deepest formula in every one of the most conditions allowed.
        let query = format!(
            "[F{MAX_FORMULA_NESTING}]{}",
            (0..MAX_CONDITIONS - 1)
                .map(|i| format!(" [F{MAX_FORMULA_NESTING}] != {i}"))
                .collect::<String>()
        );
        match search(&query, &db.source, &opts()) {
            Ok(compiled) => {
                // The engine may refuse it as too deep (the server answers 400), never crash.
                let _ = db.conn.prepare(&compiled.sql);
            }
            Err(e) => assert!(e.message.contains("formula"), "{e}"),
        }

        db.source.columns.push(formula(
            "Deeper",
            chain(&format!("F{MAX_FORMULA_NESTING}"), 1),
        ));
        let e = search("[Deeper]", &db.source, &opts()).unwrap_err();
        assert!(e.message.contains("more than 4 deep"), "{e}");
        db.source
            .columns
            .push(formula("Long", chain("Quantity", MAX_FORMULA_TERMS + 1)));
        let e = search("[Long]", &db.source, &opts()).unwrap_err();
        assert!(
            e.message
                .contains("the formula has 65 operators and parentheses; at most 64"),
            "{e}"
        );
        let nested = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        db.source.columns.push(formula("Nested", nested));
        assert!(search("[Nested]", &db.source, &opts()).is_err());
    });
}
