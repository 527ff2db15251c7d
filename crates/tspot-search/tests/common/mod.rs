//! The test star schema, its [`Source`], and helpers that run compiled searches and
//! hand-written SQL over the same in-memory SQLite database.
//!
//! When `TSPOT_TEST_POSTGRES` names a PostgreSQL database (a connection URL), every search run
//! through [`Db::search_with`] (so [`Db::run`] and [`Db::run_opts`] too) also runs there, on the
//! same tables loaded into a fresh schema, compiled with the [`Postgres`] dialect, and must
//! return the same rows under the rules of the crate's README ([`pg`]); when it is unset, each
//! test binary prints a note once and runs on SQLite only.
#![allow(dead_code)]

pub mod pg;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, params_from_iter};
use tspot_search::*;

/// "Today" of every test: Wednesday 15 May 2024.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 15).unwrap()
}

pub fn opts() -> SearchOptions {
    SearchOptions::new(today())
}

/// A normalised result cell: numbers compare with six decimals.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    Null,
    Num(String),
    Text(String),
}

pub fn num(x: f64) -> Cell {
    Cell::Num(format!("{x:.6}"))
}

pub fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn cell(v: ValueRef<'_>) -> Cell {
    match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(n) => num(n as f64),
        ValueRef::Real(x) => num(x),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => panic!("blob cell"),
    }
}

/// Epoch seconds of an ISO date or timestamp (UTC), as a cell.
pub fn epoch(iso: &str) -> Cell {
    let secs = match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp(),
        Err(_) => NaiveDateTime::parse_from_str(iso, "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .and_utc()
            .timestamp(),
    };
    num(secs as f64)
}

pub struct Db {
    pub conn: Connection,
    pub source: Source,
}

/// The compiled search's result: column names and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub names: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

pub fn params(values: &[SqlValue]) -> Vec<Sql> {
    values
        .iter()
        .map(|v| match v {
            SqlValue::Null => Sql::Null,
            SqlValue::Int(n) => Sql::Integer(*n),
            SqlValue::Double(x) => Sql::Real(*x),
            SqlValue::Text(s) => Sql::Text(s.clone()),
            SqlValue::Bool(b) => Sql::Integer(i64::from(*b)),
        })
        .collect()
}

/// A cell as the engine returned it, for comparing engines ([`pg::assert_same_rows`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// PostgreSQL only.
    Bool(bool),
    /// PostgreSQL `numeric`, as decimal text.
    Numeric(String),
}

impl Raw {
    fn cell(&self) -> Cell {
        match self {
            Raw::Null => Cell::Null,
            Raw::Int(n) => num(*n as f64),
            Raw::Real(x) => num(*x),
            Raw::Text(t) => Cell::Text(t.clone()),
            Raw::Bool(b) => num(f64::from(u8::from(*b))),
            Raw::Numeric(n) => num(n.parse().unwrap()),
        }
    }
}

fn raw(v: ValueRef<'_>) -> Raw {
    match v {
        ValueRef::Null => Raw::Null,
        ValueRef::Integer(n) => Raw::Int(n),
        ValueRef::Real(x) => Raw::Real(x),
        ValueRef::Text(t) => Raw::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => panic!("blob cell"),
    }
}

impl Db {
    /// Runs a compiled statement, checking each cell against its column's data type.
    pub fn rows_of(
        &self,
        sql: &str,
        values: &[SqlValue],
        columns: &[OutputColumn],
    ) -> Vec<Vec<Cell>> {
        self.raw_rows_of(sql, values, columns)
            .iter()
            .map(|row| row.iter().map(Raw::cell).collect())
            .collect()
    }

    /// [`Db::rows_of`] with the cells as SQLite returned them.
    pub fn raw_rows_of(
        &self,
        sql: &str,
        values: &[SqlValue],
        columns: &[OutputColumn],
    ) -> Vec<Vec<Raw>> {
        let mut stmt = self
            .conn
            .prepare(sql)
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        assert_eq!(stmt.column_count(), columns.len(), "{sql}");
        let mut rows = stmt.query(params_from_iter(params(values))).unwrap();
        let mut out = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            let mut cells = Vec::new();
            for (i, c) in columns.iter().enumerate() {
                let v = row.get_ref(i).unwrap();
                let ok = matches!(
                    (c.data_type, v),
                    (_, ValueRef::Null)
                        | (
                            DataType::Int | DataType::Bool | DataType::Date | DataType::DateTime,
                            ValueRef::Integer(_)
                        )
                        | (DataType::Double, ValueRef::Real(_) | ValueRef::Integer(_))
                        | (DataType::Text, ValueRef::Text(_))
                );
                assert!(ok, "column {} ({:?}) got {v:?}: {sql}", c.name, c.data_type);
                cells.push(raw(v));
            }
            out.push(cells);
        }
        out
    }

    /// Compiles and runs a search on SQLite and, when `TSPOT_TEST_POSTGRES` is set, on
    /// PostgreSQL, which must give the same rows (or the same error).
    pub fn search_with(
        &self,
        q: &str,
        o: &SearchOptions,
    ) -> Result<(Compiled, Answer), SearchError> {
        let c = match search(q, &self.source, o) {
            Ok(c) => c,
            Err(e) => {
                if let Some(pg) = pg::get() {
                    pg.assert_same_error(&self.source, q, o, &e);
                }
                return Err(e);
            }
        };
        let raw = self.raw_rows_of(&c.sql, &c.values, &c.columns);
        if let Some(pg) = pg::get() {
            pg.assert_same(&self.source, q, o, None, &c.columns, &raw);
        }
        let rows: Vec<Vec<Cell>> = raw
            .iter()
            .map(|row| row.iter().map(Raw::cell).collect())
            .collect();
        // count_sql agrees with the rows of sql.
        assert_eq!(self.count(&c) as usize, rows.len(), "count_sql of {q}");
        let names = c.columns.iter().map(|c| c.name.clone()).collect();
        Ok((c, Answer { names, rows }))
    }

    /// What `count_sql` answers.
    pub fn count(&self, c: &Compiled) -> i64 {
        self.conn
            .query_row(
                &c.count_sql,
                params_from_iter(params(&c.count_values)),
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}: {}", c.count_sql))
    }

    /// Compiles and runs a search with today's options.
    pub fn run(&self, q: &str) -> Answer {
        self.search_with(q, &opts())
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .1
    }

    pub fn run_opts(&self, q: &str, o: &SearchOptions) -> Answer {
        self.search_with(q, o)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .1
    }

    /// Runs `q` over `source` (limited to a page when `page` says `(limit, offset)`) on SQLite
    /// and, when `TSPOT_TEST_POSTGRES` is set, checks that PostgreSQL returns the same rows.
    pub fn same_on_postgres(
        &self,
        source: &Source,
        q: &str,
        o: &SearchOptions,
        page: Option<(Option<u64>, u64)>,
    ) {
        let Some(pg) = pg::get() else { return };
        let c = search(q, source, o).unwrap_or_else(|e| panic!("{q}: {e}"));
        let (sql, values) = match page {
            Some((limit, offset)) => paged(&c, limit, offset),
            None => (c.sql.clone(), c.values.clone()),
        };
        let raw = self.raw_rows_of(&sql, &values, &c.columns);
        pg.assert_same(source, q, o, page, &c.columns, &raw);
    }

    pub fn err(&self, q: &str) -> SearchError {
        match search(q, &self.source, &opts()) {
            Ok(c) => panic!("{q} compiled: {}", c.sql),
            Err(e) => e,
        }
    }

    /// Runs hand-written SQL (the independent answer).
    pub fn sql(&self, sql: &str) -> Vec<Vec<Cell>> {
        let mut stmt = self
            .conn
            .prepare(sql)
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        let mut out = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            out.push((0..n).map(|i| cell(row.get_ref(i).unwrap())).collect());
        }
        out
    }

    /// One number from hand-written SQL.
    pub fn scalar(&self, sql: &str) -> Cell {
        self.sql(sql).remove(0).remove(0)
    }
}

pub const STORES: &[(i64, &str, &str)] = &[
    (1, "Store A", "east"),
    (2, "Store B", "west"),
    (3, "Store C", "east"),
    (4, "Store D", "North"),
    (5, "Store E", "west"),
];

pub const PRODUCTS: &[(i64, &str, &str, f64)] = &[
    (1, "Widgets", "Blue Widget", 2.5),
    (2, "Widgets", "Red Widget", 3.0),
    (3, "Gadgets", "Gizmo", 10.0),
    (4, "Gadgets", "Gadget Pro", 25.0),
    (5, "Tools", "100% Hammer", 7.5),
    (6, "Tools", "Saw_Blade", 12.0),
    (7, "Tools", "Unsold Thing", 1.0),
];

fn attr(name: &str, dt: DataType, table: &str, column: &str) -> SourceColumn {
    SourceColumn {
        name: name.into(),
        kind: ColumnKind::Attribute,
        data_type: dt,
        aggregation: Aggregation::None,
        expr: ColumnExpr::Physical {
            table: table.into(),
            column: column.into(),
        },
    }
}

fn measure(name: &str, dt: DataType, agg: Aggregation, expr: ColumnExpr) -> SourceColumn {
    SourceColumn {
        name: name.into(),
        kind: ColumnKind::Measure,
        data_type: dt,
        aggregation: agg,
        expr,
    }
}

fn phys(table: &str, column: &str) -> ColumnExpr {
    ColumnExpr::Physical {
        table: table.into(),
        column: column.into(),
    }
}

pub fn source() -> Source {
    Source {
        tables: vec![
            SourceTable {
                alias: "f".into(),
                schema: Some("main".into()),
                table: "sales".into(),
            },
            SourceTable {
                alias: "st".into(),
                schema: None,
                table: "stores".into(),
            },
            SourceTable {
                alias: "p".into(),
                schema: None,
                table: "products".into(),
            },
        ],
        joins: vec![
            Join {
                left: "f".into(),
                right: "st".into(),
                kind: JoinKind::Inner,
                on: vec![("store_id".into(), "store_id".into())],
            },
            Join {
                // Declared from the dimension's side: the planner flips it.
                left: "p".into(),
                right: "f".into(),
                kind: JoinKind::Inner,
                on: vec![("product_id".into(), "product_id".into())],
            },
        ],
        columns: vec![
            attr("Region", DataType::Text, "st", "region"),
            attr("Store", DataType::Text, "st", "store_name"),
            attr("Category", DataType::Text, "p", "category"),
            attr("Product", DataType::Text, "p", "name"),
            attr("Order Date", DataType::Date, "f", "order_date"),
            attr("Ship Time", DataType::DateTime, "f", "ship_ts"),
            attr("Sale Id", DataType::Int, "f", "sale_id"),
            attr("Note", DataType::Text, "f", "note"),
            attr("Promo", DataType::Bool, "f", "promo"),
            measure(
                "Quantity",
                DataType::Int,
                Aggregation::Sum,
                phys("f", "quantity"),
            ),
            measure(
                "Sales",
                DataType::Double,
                Aggregation::Sum,
                phys("f", "amount"),
            ),
            measure(
                "Unit Price",
                DataType::Double,
                Aggregation::Average,
                phys("p", "unit_price"),
            ),
            measure(
                "Orders",
                DataType::Int,
                Aggregation::Count,
                phys("f", "sale_id"),
            ),
            measure(
                "List Price",
                DataType::Double,
                Aggregation::None,
                phys("p", "unit_price"),
            ),
            measure(
                "Revenue",
                DataType::Double,
                Aggregation::Sum,
                ColumnExpr::Formula("[Quantity] * [Unit Price]".into()),
            ),
            measure(
                "Discount",
                DataType::Double,
                Aggregation::Sum,
                ColumnExpr::Formula("[Revenue] - [Sales]".into()),
            ),
        ],
    }
}

/// One row of the sales fact, dates as ISO text.
pub struct Sale {
    pub sale_id: i64,
    pub order_date: String,
    pub ship_ts: String,
    pub store_id: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub amount: f64,
    pub note: Option<String>,
    pub promo: bool,
}

/// The sales fact: 190 deterministic rows.
pub fn sales() -> Vec<Sale> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let recent = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
    (1..=190i64)
        .map(|i| {
            let date = if i <= 120 {
                start + chrono::Days::new(((i * 37) % 547) as u64)
            } else {
                recent + chrono::Days::new((i - 121) as u64)
            };
            let store = 1 + (i * 7) % 5;
            let product = 1 + (i * 5) % 6;
            let quantity = 1 + (i * 3) % 9;
            let price = PRODUCTS[(product - 1) as usize].3;
            let amount = ((quantity as f64) * price * (1.0 - ((i % 4) as f64) * 0.05) * 100.0)
                .round()
                / 100.0;
            let ship = format!(
                "{} {:02}:{:02}:00",
                date + chrono::Days::new((i % 3) as u64),
                (i * 5) % 24,
                (i * 7) % 60
            );
            let note = match i % 5 {
                0 => None,
                1 => Some("rush order".to_string()),
                2 => Some("Gift wrap".to_string()),
                3 => Some("x' OR 1=1 --".to_string()),
                _ => Some(format!("note {i}")),
            };
            Sale {
                sale_id: i,
                order_date: date.format("%Y-%m-%d").to_string(),
                ship_ts: ship,
                store_id: store,
                product_id: product,
                quantity,
                amount,
                note,
                promo: i % 3 == 0,
            }
        })
        .collect()
}

/// The deterministic star schema.
pub fn db() -> Db {
    let conn = Connection::open_in_memory().unwrap();
    // SQLite's math functions are not in the bundled build; standard deviation needs sqrt.
    conn.create_scalar_function("sqrt", 1, FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        Ok(ctx.get::<Option<f64>>(0)?.map(f64::sqrt))
    })
    .unwrap();
    conn.execute_batch(
        "CREATE TABLE stores (store_id INTEGER PRIMARY KEY, store_name TEXT NOT NULL, region TEXT NOT NULL);
         CREATE TABLE products (product_id INTEGER PRIMARY KEY, category TEXT NOT NULL, name TEXT NOT NULL, unit_price REAL NOT NULL);
         CREATE TABLE sales (sale_id INTEGER PRIMARY KEY, order_date TEXT NOT NULL, ship_ts TEXT NOT NULL,
                             store_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL,
                             amount REAL NOT NULL, note TEXT, promo INTEGER NOT NULL);",
    )
    .unwrap();
    for (id, name, region) in STORES {
        conn.execute(
            "INSERT INTO stores VALUES (?1, ?2, ?3)",
            rusqlite::params![id, name, region],
        )
        .unwrap();
    }
    for (id, cat, name, price) in PRODUCTS {
        conn.execute(
            "INSERT INTO products VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![id, cat, name, price],
        )
        .unwrap();
    }
    for r in sales() {
        conn.execute(
            "INSERT INTO sales VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                r.sale_id,
                r.order_date,
                r.ship_ts,
                r.store_id,
                r.product_id,
                r.quantity,
                r.amount,
                r.note,
                r.promo
            ],
        )
        .unwrap();
    }
    Db {
        conn,
        source: source(),
    }
}

/// `SELECT ... FROM` the joined star, for hand-written answers.
pub const STAR: &str = "sales s JOIN stores st ON st.store_id = s.store_id JOIN products p ON p.product_id = s.product_id";
