//! The engine behind every connection: one [`Engine`] that sends each query to the engine of
//! its connection's location, a PostgreSQL URL (`postgres://...`, `postgresql://...`) to
//! [`PostgresEngine`], anything else (an SQLite file) to [`SqliteEngine`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::engine::{self, Cell, Engine, Param, SqliteEngine};
use super::error::EngineResult;
use super::postgres::{self, PostgresEngine};

/// SQLite files and PostgreSQL databases, each query to the engine of its location. Clones
/// share the engines (their pools and passwords): one can go behind the result cache while
/// another answers readiness checks.
#[derive(Clone)]
pub struct Engines(Arc<Both>);

struct Both {
    sqlite: SqliteEngine,
    postgres: PostgresEngine,
}

impl Engines {
    /// Both engines under one query budget. `connections` are the configured ones
    /// ([`crate::Config::connections`]): the passwords of their PostgreSQL URLs are kept in
    /// memory for their locations, which the store keeps without them.
    /// The engines for `connections`; SQLite files read up to `sqlite_mmap` bytes through a
    /// memory map.
    pub fn new(budget: Duration, sqlite_mmap: i64, connections: &[(String, PathBuf)]) -> Engines {
        let postgres = PostgresEngine::new(budget);
        for (_, location) in connections {
            if let Some(url) = location.to_str().filter(|l| postgres::is_postgres(l)) {
                // An invalid URL is refused where the connection is registered.
                let _ = postgres.remember(url);
            }
        }
        Engines(Arc::new(Both {
            sqlite: SqliteEngine::new(budget).with_mmap(sqlite_mmap),
            postgres,
        }))
    }

    pub fn sqlite(&self) -> &SqliteEngine {
        &self.0.sqlite
    }

    pub fn postgres(&self) -> &PostgresEngine {
        &self.0.postgres
    }

    fn engine(&self, location: &str) -> &dyn Engine {
        if postgres::is_postgres(location) {
            &self.0.postgres
        } else {
            &self.0.sqlite
        }
    }

    /// Whether the database at `location` answers (for `/readyz`); the error names no
    /// password, and no path.
    pub fn check(&self, location: &str) -> EngineResult<()> {
        if postgres::is_postgres(location) {
            self.0.postgres.check(location)
        } else {
            engine::check(location)
        }
    }
}

impl Engine for Engines {
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Vec<Vec<Cell>>> {
        self.engine(location).query(location, sql, params)
    }

    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> EngineResult<Option<Vec<(String, String)>>> {
        self.engine(location).table_columns(location, table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::error::EngineError;

    #[test]
    fn locations_go_to_their_engine() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);")
            .unwrap();
        let engines = Engines::new(
            Duration::from_secs(5),
            engine::DEFAULT_MMAP_BYTES,
            &[(
                "pg".into(),
                PathBuf::from("postgres://tspot:hunter2@127.0.0.1:1/nowhere"),
            )],
        );
        let location = path.to_str().unwrap();
        assert_eq!(
            engines.query(location, "SELECT x FROM t", &[]).unwrap(),
            vec![vec![Cell::Int(7)]]
        );
        assert!(engines.check(location).is_ok());
        // As the server wires it: a clone behind the result cache, one for readiness checks.
        let cached = crate::data::cache::CachingEngine::new(Box::new(engines.clone()));
        assert_eq!(
            cached.query(location, "SELECT x FROM t", &[]).unwrap(),
            vec![vec![Cell::Int(7)]]
        );
        // The PostgreSQL engine answers for a URL (here: nothing listens), with the location
        // the store keeps and without the password it was configured with.
        let error = engines
            .query("postgres://tspot@127.0.0.1:1/nowhere", "SELECT 1", &[])
            .unwrap_err();
        assert!(matches!(error, EngineError::Unavailable(_)), "{error:?}");
        let error = error.to_string();
        assert!(
            error.starts_with("cannot connect to PostgreSQL at postgres://tspot@127.0.0.1:1/"),
            "{error}"
        );
        assert!(!error.contains("hunter2"), "{error}");
    }
}

/// The demo's star schema on PostgreSQL and on SQLite: the same table and worksheet TML
/// imported over a connection to each (on PostgreSQL the tables live in a schema of their own,
/// named by the TML's `schema`), and the same searches through [`crate::analytics::run::run`]
/// (what searchdata, pinboarddata and the PDF export call) answer the same rows. Skipped, with a
/// note, unless `TSPOT_TEST_POSTGRES` names a PostgreSQL database (`tests/postgres/start.sh`).
#[cfg(test)]
mod postgres_e2e {
    use std::path::Path;
    use std::time::{SystemTime, UNIX_EPOCH};

    use crate::data::error::EngineError;
    use ::postgres::types::ToSql;
    use ::postgres::{Client, NoTls};

    use super::*;
    use crate::analytics::run::{self, Page, Paging, RunError};
    use crate::catalog::CatalogCache;
    use crate::catalog::import::Outcome;
    use crate::data::install::{DEMO_CONNECTION, DEMO_TML, register_connection};
    use crate::data::postgres::split_url;
    use crate::store::{ConnectionStore, PrincipalStore, SqliteStore};

    const WORKSHEET: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000201";
    const PREFIX: &str = "tspot_reference_e2e_";

    #[derive(Clone, Copy)]
    enum Kind {
        Int,
        /// `numeric`: exact decimals, read back as `Double` (or `Int` when integral).
        Numeric,
        Real,
        Text,
        Date,
    }

    /// The demo's tables, typed as a warehouse would type them.
    const TABLES: [(&str, &[(&str, Kind)]); 3] = [
        (
            "dim_store",
            &[
                ("store_id", Kind::Int),
                ("store_name", Kind::Text),
                ("city", Kind::Text),
                ("state", Kind::Text),
                ("region", Kind::Text),
            ],
        ),
        (
            "dim_product",
            &[
                ("product_id", Kind::Int),
                ("product_name", Kind::Text),
                ("category", Kind::Text),
                ("brand", Kind::Text),
                ("list_price", Kind::Real),
            ],
        ),
        (
            "fact_sales",
            &[
                ("sale_id", Kind::Int),
                ("order_date", Kind::Date),
                ("store_id", Kind::Int),
                ("product_id", Kind::Int),
                ("quantity", Kind::Int),
                ("unit_price", Kind::Numeric),
                ("amount", Kind::Numeric),
                ("cost", Kind::Numeric),
            ],
        ),
    ];

    /// A schema of the test database, dropped when the test ends (passing or not).
    struct Schema {
        client: Client,
        name: String,
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            let _ = self
                .client
                .batch_execute(&format!("DROP SCHEMA \"{}\" CASCADE", self.name));
        }
    }

    /// Copies the demo tables of the SQLite file into a fresh schema.
    fn load(url: &str, sqlite: &Path) -> Schema {
        let mut client = Client::connect(url, NoTls)
            .unwrap_or_else(|e| panic!("TSPOT_TEST_POSTGRES is set, but: {e}"));
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        // Schemas left by runs that were killed an hour ago or more.
        for row in client
            .query(
                "SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname::text, $1)",
                &[&PREFIX],
            )
            .unwrap()
        {
            let name: String = row.get(0);
            let born = name[PREFIX.len()..]
                .split('_')
                .next()
                .and_then(|t| t.parse::<u64>().ok());
            if born.is_some_and(|t| now.saturating_sub(t) > 3600) {
                let _ = client.batch_execute(&format!("DROP SCHEMA \"{name}\" CASCADE"));
            }
        }
        let name = format!("{PREFIX}{now}_{}", std::process::id());
        client
            .batch_execute(&format!("CREATE SCHEMA \"{name}\""))
            .unwrap();
        let source = rusqlite::Connection::open(sqlite).unwrap();
        let mut tx = client.transaction().unwrap();
        for (table, columns) in TABLES {
            let ddl: Vec<String> = columns
                .iter()
                .map(|(c, k)| {
                    let ty = match k {
                        Kind::Int => "BIGINT NOT NULL",
                        Kind::Numeric => "NUMERIC NOT NULL",
                        Kind::Real => "DOUBLE PRECISION NOT NULL",
                        // Byte order, as SQLite sorts text.
                        Kind::Text => "TEXT COLLATE \"C\" NOT NULL",
                        Kind::Date => "DATE NOT NULL",
                    };
                    format!("{c} {ty}")
                })
                .collect();
            tx.batch_execute(&format!(
                "CREATE TABLE \"{name}\".{table} ({}, PRIMARY KEY ({}))",
                ddl.join(", "),
                columns[0].0
            ))
            .unwrap();
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let mut select = source
                .prepare(&format!("SELECT {} FROM {table}", names.join(", ")))
                .unwrap();
            let mut rows = select.query([]).unwrap();
            let mut batch: Vec<Box<dyn ToSql + Sync>> = Vec::new();
            let mut flush = |batch: &mut Vec<Box<dyn ToSql + Sync>>| {
                if batch.is_empty() {
                    return;
                }
                let tuples: Vec<String> = (0..batch.len() / columns.len())
                    .map(|r| {
                        let cells: Vec<String> = columns
                            .iter()
                            .enumerate()
                            .map(|(i, (_, k))| {
                                let n = r * columns.len() + i + 1;
                                match k {
                                    Kind::Int => format!("CAST(${n} AS BIGINT)"),
                                    Kind::Numeric | Kind::Real => {
                                        format!("CAST(${n} AS DOUBLE PRECISION)")
                                    }
                                    Kind::Text => format!("CAST(${n} AS TEXT)"),
                                    Kind::Date => format!("CAST(CAST(${n} AS TEXT) AS DATE)"),
                                }
                            })
                            .collect();
                        format!("({})", cells.join(", "))
                    })
                    .collect();
                let refs: Vec<&(dyn ToSql + Sync)> = batch.iter().map(|b| b.as_ref()).collect();
                tx.execute(
                    &format!(
                        "INSERT INTO \"{name}\".{table} VALUES {}",
                        tuples.join(", ")
                    ),
                    &refs,
                )
                .unwrap();
                batch.clear();
            };
            while let Some(row) = rows.next().unwrap() {
                for (i, (_, k)) in columns.iter().enumerate() {
                    batch.push(match k {
                        Kind::Int => Box::new(row.get::<_, i64>(i).unwrap()),
                        Kind::Numeric | Kind::Real => Box::new(row.get::<_, f64>(i).unwrap()),
                        Kind::Text | Kind::Date => Box::new(row.get::<_, String>(i).unwrap()),
                    });
                }
                if batch.len() >= 500 * columns.len() {
                    flush(&mut batch);
                }
            }
            flush(&mut batch);
        }
        tx.batch_execute(&format!("ANALYZE \"{name}\".fact_sales"))
            .unwrap();
        tx.commit().unwrap();
        Schema { client, name }
    }

    /// A store with the demo connection at `location`, and the demo's tables and worksheet.
    struct Side {
        _dir: tempfile::TempDir,
        store: SqliteStore,
        engines: Engines,
        catalogs: CatalogCache,
    }

    fn side(location: &Path, schema: Option<&str>) -> Side {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("tspot.sqlite3")).unwrap();
        store
            .bootstrap(&crate::secrets::hash_password("x").unwrap(), 0)
            .unwrap();
        register_connection(&store, DEMO_CONNECTION, location).unwrap();
        let engines = Engines::new(
            Duration::from_secs(30),
            engine::DEFAULT_MMAP_BYTES,
            &[(DEMO_CONNECTION.into(), location.to_path_buf())],
        );
        let admin = store.credentials(crate::ADMIN_USER).unwrap().unwrap().id;
        // The three tables and the worksheet; on PostgreSQL with the TML's `schema` naming
        // the schema the tables are in, as ThoughtSpot's TML for a PostgreSQL connection does.
        let documents: Vec<String> = DEMO_TML[..4]
            .iter()
            .map(|t| match schema {
                Some(s) => t.replace("schema: main", &format!("schema: {s}")),
                None => t.to_string(),
            })
            .collect();
        let outcomes = crate::api::import_as_admin(&store, &engines, &documents, &admin, vec![])
            .unwrap_or_else(|e| panic!("{}", e.message()));
        for outcome in outcomes {
            if let Outcome::Failed { message, .. } = outcome {
                panic!("the demo TML does not import over {location:?}: {message}");
            }
        }
        Side {
            _dir: dir,
            store,
            engines,
            catalogs: CatalogCache::default(),
        }
    }

    impl Side {
        fn run(
            &self,
            query: &str,
            filters: &[tspot_search::RuntimeFilter],
            paging: Paging,
        ) -> Result<Page, RunError> {
            let catalog = self.catalogs.current(&self.store).unwrap();
            let source = catalog
                .data_source(catalog.get(WORKSHEET).unwrap())
                .unwrap();
            run::run(&self.engines, &source, query, filters, paging)
        }
    }

    fn same_cell(a: &Cell, b: &Cell) -> bool {
        match (a, b) {
            (Cell::Double(x), Cell::Double(y)) => {
                x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
            }
            _ => a == b,
        }
    }

    const ALL: Paging = Paging {
        batchsize: -1,
        offset: -1,
        pagenumber: -1,
    };

    #[test]
    fn the_demo_on_postgres_answers_as_on_sqlite() {
        let Some(url) = std::env::var("TSPOT_TEST_POSTGRES")
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "note: TSPOT_TEST_POSTGRES is unset, so the PostgreSQL end-to-end test is skipped \
                 (bash tests/postgres/start.sh starts a PostgreSQL and prints the variable)"
            );
            return;
        };
        let data = tempfile::tempdir().unwrap();
        let sqlite_file = data.path().join("demo.sqlite3");
        crate::data::demo::generate(&sqlite_file, 3_000, run::today()).unwrap();
        let schema = load(&url, &sqlite_file);
        let sqlite = side(&sqlite_file, None);
        let postgres = side(Path::new(&url), Some(&schema.name));

        // The connection is stored without its password, as engine "postgres".
        let connection = postgres
            .store
            .connections()
            .unwrap()
            .into_iter()
            .find(|c| c.name == DEMO_CONNECTION)
            .unwrap();
        assert_eq!(connection.engine, "postgres");
        assert_eq!(connection.location, split_url(&url).unwrap().0);

        let filter = |column: &str, operator, values: &[&str]| tspot_search::RuntimeFilter {
            column: column.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        use tspot_search::FilterOperator as F;
        let cases: Vec<(&str, Vec<tspot_search::RuntimeFilter>, Paging)> = vec![
            ("[Sales] [Region]", vec![], ALL),
            (
                "[Sales] [Quantity] [Unit Price] [Profit] [Category] [Brand]",
                vec![],
                ALL,
            ),
            ("[Sales] [Order Date].monthly", vec![], ALL),
            ("[Sales] [Order Date].weekly [Region] = 'west'", vec![], ALL),
            (
                "[Quantity] [Order Date].quarterly [Order Date].yearly",
                vec![],
                ALL,
            ),
            ("[Sales] [Order Date].'day of week'", vec![], ALL),
            ("[Sales] [Order Date] last 3 months", vec![], ALL),
            ("[Order Date] [Store Name] top 5 [Sales]", vec![], ALL),
            (
                "top 3 [Product Name] [Sales] sort by [Product Name] descending",
                vec![],
                ALL,
            ),
            ("bottom 4 [Store Name] [Profit]", vec![], ALL),
            (
                "standard deviation [Sales] variance [Quantity] [Region]",
                vec![],
                ALL,
            ),
            (
                "average [Sales] unique count [Product Name] [State]",
                vec![],
                ALL,
            ),
            ("min [Order Date] max [Order Date] [Category]", vec![], ALL),
            (
                "[Sales] [Store Name] contains 'store' [Category] != 'toys'",
                vec![],
                ALL,
            ),
            ("[Sales] [Quantity] > 3 [Region] [City]", vec![], ALL),
            (
                "[Sales] [Category]",
                vec![
                    filter("Region", F::In, &["east", "WEST"]),
                    filter("Order Date", F::Ge, &["01/01/2020"]),
                ],
                ALL,
            ),
            (
                "[Sales] [Product Name] [Region]",
                vec![],
                Paging {
                    batchsize: 7,
                    offset: -1,
                    pagenumber: 3,
                },
            ),
            // The window count on a full page, capped for top N without a sort.
            (
                "top 5 [Product Name] [Sales] [Region] != 'north'",
                vec![],
                Paging {
                    batchsize: 2,
                    offset: -1,
                    pagenumber: 2,
                },
            ),
        ];
        for (query, filters, paging) in &cases {
            let a = sqlite
                .run(query, filters, *paging)
                .unwrap_or_else(|e| panic!("SQLite: {query}: {e:?}"));
            let b = postgres
                .run(query, filters, *paging)
                .unwrap_or_else(|e| panic!("PostgreSQL: {query}: {e:?}"));
            assert!(!a.rows.is_empty(), "{query} found nothing to compare");
            assert_eq!(a.column_names, b.column_names, "{query}");
            assert_eq!(a.column_types, b.column_types, "{query}");
            assert_eq!(a.total_rows, b.total_rows, "{query}");
            let same = a.rows.len() == b.rows.len()
                && a.rows.iter().zip(&b.rows).all(|(ra, rb)| {
                    ra.len() == rb.len() && ra.iter().zip(rb).all(|(x, y)| same_cell(x, y))
                });
            assert!(
                same,
                "{query}\nSQLite:     {:?}\nPostgreSQL: {:?}",
                a.rows, b.rows
            );
        }

        // A search the compiler refuses is the caller's mistake on both.
        assert!(matches!(
            postgres.run("[Salez]", &[], ALL),
            Err(RunError::Query(_))
        ));
        // Columns by schema-qualified name, by bare name, and a missing table.
        let location = &connection.location;
        let qualified = postgres
            .engines
            .table_columns(location, &format!("{}.dim_store", schema.name))
            .unwrap()
            .unwrap();
        assert_eq!(qualified[1], ("store_name".into(), "text".into()));
        assert_eq!(
            postgres
                .engines
                .table_columns(location, "dim_store")
                .unwrap(),
            Some(qualified)
        );
        assert_eq!(
            postgres
                .engines
                .table_columns(location, &format!("{}.no_such_table", schema.name))
                .unwrap(),
            None
        );
        assert!(postgres.engines.check(location).is_ok());
    }

    #[test]
    fn postgres_errors_read_like_the_sqlite_engines() {
        let Some(url) = std::env::var("TSPOT_TEST_POSTGRES")
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            return;
        };
        let engine = PostgresEngine::new(Duration::from_millis(300));
        let location = engine.remember(&url).unwrap();
        // The budget is the server's statement_timeout.
        let error = engine
            .query(&location, "SELECT pg_sleep(5)", &[])
            .unwrap_err();
        assert!(matches!(error, EngineError::OverBudget { .. }), "{error}");
        // The connection goes back to the pool fit for the next query; parameters bind to
        // the types the server gives them.
        let rows = engine
            .query(
                &location,
                "SELECT CAST($1 AS INTEGER) + 1, $2::float8 * 2, upper($3), NOT $4, \
                 CAST(12.50 AS NUMERIC(5,2)), CAST(7 AS NUMERIC), DATE '2024-03-01', true",
                &[
                    Param::Int(41),
                    Param::Double(1.25),
                    Param::Text("x".into()),
                    Param::Bool(false),
                ],
            )
            .unwrap();
        assert_eq!(
            rows,
            vec![vec![
                Cell::Int(42),
                Cell::Double(2.5),
                Cell::Text("X".into()),
                Cell::Int(1),
                Cell::Double(12.5),
                Cell::Int(7),
                Cell::Text("2024-03-01".into()),
                Cell::Int(1),
            ]]
        );
        // Missing tables and columns, sorted as the SQLite engine sorts them (run.rs: a 400).
        let error = engine
            .query(&location, "SELECT * FROM \"nowhere\".\"t\"", &[])
            .unwrap_err();
        assert!(matches!(error, EngineError::MissingTable(_)), "{error}");
        let error = engine
            .query(&location, "SELECT no_such_column FROM pg_class", &[])
            .unwrap_err();
        assert!(
            matches!(&error, EngineError::MissingColumn(c) if c == "no_such_column"),
            "{error}"
        );
        // Sessions are read-only.
        let error = engine
            .query(
                &location,
                "CREATE TABLE tspot_should_not_exist (x INTEGER)",
                &[],
            )
            .unwrap_err();
        assert!(error.to_string().contains("read-only"), "{error}");
    }
}
