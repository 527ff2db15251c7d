//! The corpus on a real PostgreSQL: when `TSPOT_TEST_POSTGRES` is a connection URL, the test
//! binary loads the fixture tables into a fresh schema (`tspot_search_<binary>_<time>_<pid>`;
//! schemas of earlier runs older than six hours are dropped), compiles each search with
//! [`Postgres`] over the same model (every table in that schema) and checks the rows against
//! SQLite's under the README's rules ([`assert_same_rows`]). Unset, it prints a note once and
//! every check is skipped.

use std::error::Error;
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use postgres::types::private::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use postgres::{Client, NoTls};
use tspot_search::*;

use super::{PRODUCTS, Raw, STORES, sales};

/// The environment variable naming the test database.
pub const URL_VAR: &str = "TSPOT_TEST_POSTGRES";

/// Doubles agree to this much, relative to the larger magnitude (absolute below 1).
pub const TOLERANCE: f64 = 1e-9;

/// Schemas of earlier runs older than this are dropped.
const STALE_AFTER_SECS: u64 = 6 * 60 * 60;

/// The fixture in PostgreSQL: one client (tests take turns) and the schema it loaded.
pub struct Pg {
    client: Mutex<Client>,
    pub schema: String,
}

static PG: OnceLock<Option<Pg>> = OnceLock::new();

/// The fixture, loaded on first use; `None` (after a note on stderr) without the variable.
pub fn get() -> Option<&'static Pg> {
    PG.get_or_init(|| match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(Pg::load(url.trim())),
        _ => {
            // Straight to stderr: the test harness captures `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "note: {URL_VAR} is unset, so the searches of `{}` run on SQLite only \
                 (bash tests/postgres/start.sh starts a PostgreSQL and prints the variable)",
                env!("CARGO_CRATE_NAME")
            );
            None
        }
    })
    .as_ref()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A bound NULL of whatever type the server inferred.
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(&self, _: &Type, _: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        Ok(IsNull::Yes)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn to_sql_checked(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        self.to_sql(ty, out)
    }
}

/// The values as the [`Postgres`] dialect types them: `BIGINT`, `DOUBLE PRECISION`, `TEXT`,
/// `BOOLEAN`.
fn params(values: &[SqlValue]) -> Vec<Box<dyn ToSql + Sync>> {
    values
        .iter()
        .map(|v| -> Box<dyn ToSql + Sync> {
            match v {
                SqlValue::Null => Box::new(Null),
                SqlValue::Int(n) => Box::new(*n),
                SqlValue::Double(x) => Box::new(*x),
                SqlValue::Text(s) => Box::new(s.clone()),
                SqlValue::Bool(b) => Box::new(*b),
            }
        })
        .collect()
}

/// Any cell a search returns.
struct PgCell(Raw);

impl<'a> FromSql<'a> for PgCell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(PgCell(match *ty {
            Type::INT2 => Raw::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Raw::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Raw::Int(i64::from_sql(ty, raw)?),
            Type::FLOAT4 => Raw::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Raw::Real(f64::from_sql(ty, raw)?),
            Type::BOOL => Raw::Bool(bool::from_sql(ty, raw)?),
            Type::NUMERIC => Raw::Numeric(tspot_search::dialect::numeric_text(raw)?.0),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                Raw::Text(String::from_sql(ty, raw)?)
            }
            _ => return Err(format!("a search returned a {ty} cell").into()),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(PgCell(Raw::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

impl Pg {
    fn load(url: &str) -> Pg {
        let mut client = Client::connect(url, NoTls)
            .unwrap_or_else(|e| panic!("{URL_VAR} is set, but PostgreSQL does not answer: {e}"));
        let prefix = format!("tspot_search_{}_", env!("CARGO_CRATE_NAME"));
        let now = now_secs();
        for row in client
            .query(
                "SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname::text, $1)",
                &[&prefix],
            )
            .unwrap()
        {
            let name: String = row.get(0);
            let born = name[prefix.len()..]
                .split('_')
                .next()
                .and_then(|t| t.parse::<u64>().ok());
            if born.is_some_and(|t| now.saturating_sub(t) > STALE_AFTER_SECS) {
                let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", ident(&name)));
            }
        }
        let schema = format!("{prefix}{now}_{}", std::process::id());
        let s = ident(&schema);
        // Text in byte order (COLLATE "C"), as SQLite compares it; dates and timestamps typed.
        client
            .batch_execute(&format!(
                r#"CREATE SCHEMA {s};
                   CREATE TABLE {s}.stores (store_id INTEGER PRIMARY KEY,
                       store_name TEXT COLLATE "C" NOT NULL, region TEXT COLLATE "C" NOT NULL);
                   CREATE TABLE {s}.products (product_id INTEGER PRIMARY KEY,
                       category TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
                       unit_price DOUBLE PRECISION NOT NULL);
                   CREATE TABLE {s}.sales (sale_id INTEGER PRIMARY KEY, order_date DATE NOT NULL,
                       ship_ts TIMESTAMP NOT NULL, store_id INTEGER NOT NULL,
                       product_id INTEGER NOT NULL, quantity INTEGER NOT NULL,
                       amount DOUBLE PRECISION NOT NULL, note TEXT COLLATE "C",
                       promo BOOLEAN NOT NULL);
                   -- identifiers_from_the_model_are_quoted
                   CREATE TABLE {s}."we""ird" ("c""ol" TEXT COLLATE "C", "n; DROP" INTEGER);
                   INSERT INTO {s}."we""ird" VALUES ('a', 1), ('a', 2), ('b', 5);"#
            ))
            .unwrap_or_else(|e| panic!("cannot create the fixture schema {schema}: {e}"));
        let mut tx = client.transaction().unwrap();
        for (id, name, region) in STORES {
            tx.execute(
                &format!("INSERT INTO {s}.stores VALUES (CAST($1 AS BIGINT), $2, $3)"),
                &[id, name, region],
            )
            .unwrap();
        }
        for (id, category, name, price) in PRODUCTS {
            tx.execute(
                &format!("INSERT INTO {s}.products VALUES (CAST($1 AS BIGINT), $2, $3, $4)"),
                &[id, category, name, price],
            )
            .unwrap();
        }
        for r in sales() {
            tx.execute(
                &format!(
                    "INSERT INTO {s}.sales VALUES (CAST($1 AS BIGINT), CAST(CAST($2 AS TEXT) AS DATE),
                     CAST(CAST($3 AS TEXT) AS TIMESTAMP), CAST($4 AS BIGINT), CAST($5 AS BIGINT),
                     CAST($6 AS BIGINT), $7, $8, $9)"
                ),
                &[
                    &r.sale_id,
                    &r.order_date,
                    &r.ship_ts,
                    &r.store_id,
                    &r.product_id,
                    &r.quantity,
                    &r.amount,
                    &r.note,
                    &r.promo,
                ],
            )
            .unwrap();
        }
        tx.execute(&format!("ANALYZE {s}.sales"), &[]).unwrap();
        tx.commit().unwrap();
        Pg {
            client: Mutex::new(client),
            schema,
        }
    }

    /// `source` over the fixture schema: every table qualified with it.
    pub fn source(&self, source: &Source) -> Source {
        let mut source = source.clone();
        for t in &mut source.tables {
            t.schema = Some(self.schema.clone());
        }
        source
    }

    fn client(&self) -> std::sync::MutexGuard<'_, Client> {
        // A test that failed while holding it leaves a usable client.
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs a compiled statement.
    pub fn rows(&self, sql: &str, values: &[SqlValue]) -> Vec<Vec<Raw>> {
        let params = params(values);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let rows = self.client().query(sql, &refs).unwrap_or_else(|e| {
            let detail = e
                .as_db_error()
                .map_or_else(|| e.to_string(), ToString::to_string);
            panic!("PostgreSQL: {detail}: {sql} {values:?}")
        });
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        row.try_get::<_, PgCell>(i)
                            .unwrap_or_else(|e| panic!("{e}: {sql}"))
                            .0
                    })
                    .collect()
            })
            .collect()
    }

    /// The compiled `q` for PostgreSQL, over the fixture schema.
    pub fn compile(
        &self,
        source: &Source,
        q: &str,
        o: &SearchOptions,
    ) -> Result<Compiled, SearchError> {
        search_with_dialect(q, &self.source(source), o, Arc::new(Postgres))
    }

    /// `q` fails on PostgreSQL as it did on SQLite (compiling never depends on the engine).
    pub fn assert_same_error(&self, source: &Source, q: &str, o: &SearchOptions, e: &SearchError) {
        match self.compile(source, q, o) {
            Ok(c) => panic!(
                "{q} failed for SQLite ({e}) but compiled for PostgreSQL: {}",
                c.sql
            ),
            Err(pe) => assert_eq!(&pe, e, "{q}"),
        }
    }

    /// `q` (paged when `page` is `(limit, offset)`) returns `sqlite`'s rows on PostgreSQL, and
    /// its count query counts the whole result.
    pub fn assert_same(
        &self,
        source: &Source,
        q: &str,
        o: &SearchOptions,
        page: Option<(Option<u64>, u64)>,
        columns: &[OutputColumn],
        sqlite: &[Vec<Raw>],
    ) {
        let c = self
            .compile(source, q, o)
            .unwrap_or_else(|e| panic!("{q} compiled for SQLite, not for PostgreSQL: {e}"));
        assert_eq!(c.columns, columns, "{q}");
        let (sql, values) = match page {
            Some((limit, offset)) => paged(&c, limit, offset),
            None => (c.sql.clone(), c.values.clone()),
        };
        let rows = self.rows(&sql, &values);
        assert_same_rows(columns, sqlite, &rows, &format!("{q} {page:?}\n{sql}"));
        if page.is_none() {
            let count = self.rows(&c.count_sql, &c.count_values);
            assert_eq!(
                count,
                vec![vec![Raw::Int(rows.len() as i64)]],
                "count_sql of {q}: {}",
                c.count_sql
            );
        }
    }
}

/// A cell reduced to what the result contract promises for its column's data type.
#[derive(Debug, Clone, PartialEq)]
enum Norm {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

fn normalise(cell: &Raw, data_type: DataType, engine: &str) -> Norm {
    let wrong = || -> ! { panic!("{engine} gave {cell:?} for a {data_type:?} column") };
    match (data_type, cell) {
        (_, Raw::Null) => Norm::Null,
        (DataType::Double, Raw::Int(n)) => Norm::Real(*n as f64),
        (DataType::Double, Raw::Real(x)) => Norm::Real(*x),
        (DataType::Double, Raw::Numeric(n)) => match n.parse::<f64>() {
            Ok(x) => Norm::Real(x),
            Err(_) => wrong(),
        },
        (DataType::Int | DataType::Date | DataType::DateTime, Raw::Int(n)) => Norm::Int(*n),
        (DataType::Int, Raw::Numeric(n)) => match n.parse::<i64>() {
            Ok(i) => Norm::Int(i),
            Err(_) => wrong(),
        },
        (DataType::Bool, Raw::Int(n @ (0 | 1))) => Norm::Int(*n),
        (DataType::Bool, Raw::Bool(b)) => Norm::Int(i64::from(*b)),
        (DataType::Text, Raw::Text(t)) => Norm::Text(t.clone()),
        _ => wrong(),
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// The README's rules for "the same rows": the same number of rows in the same order (the
/// ordering is total: NULLs first ascending and last descending, text in byte order, ties of
/// top-N broken by the grouping columns), each cell equal after reading it by its column's
/// data type (booleans as 0/1, dates as epoch seconds, `numeric` as a number), doubles within
/// [`TOLERANCE`].
pub fn assert_same_rows(
    columns: &[OutputColumn],
    sqlite: &[Vec<Raw>],
    postgres: &[Vec<Raw>],
    what: &str,
) {
    let norm = |rows: &[Vec<Raw>], engine: &str| -> Vec<Vec<Norm>> {
        rows.iter()
            .map(|row| {
                assert_eq!(row.len(), columns.len(), "{engine}: {what}");
                row.iter()
                    .zip(columns)
                    .map(|(cell, c)| normalise(cell, c.data_type, engine))
                    .collect()
            })
            .collect()
    };
    let (a, b) = (norm(sqlite, "SQLite"), norm(postgres, "PostgreSQL"));
    let same = a.len() == b.len()
        && a.iter().zip(&b).all(|(ra, rb)| {
            ra.iter().zip(rb).all(|(x, y)| match (x, y) {
                (Norm::Real(x), Norm::Real(y)) => close(*x, *y),
                _ => x == y,
            })
        });
    assert!(
        same,
        "SQLite and PostgreSQL differ: {what}\nSQLite:     {a:?}\nPostgreSQL: {b:?}"
    );
}
