//! The demo's star schema in a PostgreSQL database (`tspot demo load`): the tables, rows and
//! indexes the SQLite demo has, in a schema named like the demo TML's `schema` (`main`), so
//! the demo's TML over a `--connection tspot_demo=postgres://...` reads them.
//!
//! Types are a warehouse's: `BIGINT` ids, `NUMERIC(12,2)` money, `DATE` order dates, and text
//! in byte order (`COLLATE "C"`, as SQLite sorts). The load is one transaction (the previous
//! demo tables of the schema, if any, are replaced), rows go in with `COPY`, then `ANALYZE`.

use std::io::Write;

use chrono::NaiveDate;
use postgres::{Client, NoTls};

use super::{ProductRow, SaleRow, Sink, StoreRow};

/// The schema of the demo TML's tables (`schema: main`).
pub const SCHEMA: &str = "main";

/// What [`load`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The URL without its password.
    pub location: String,
    pub schema: String,
    pub stores: u64,
    pub products: u64,
    pub sales: u64,
}

fn tables(schema: &str) -> String {
    format!(
        r#"
DROP TABLE IF EXISTS "{schema}".fact_sales, "{schema}".dim_product, "{schema}".dim_store;
CREATE TABLE "{schema}".dim_store (
    store_id   BIGINT PRIMARY KEY,
    store_name TEXT COLLATE "C" NOT NULL,
    city       TEXT COLLATE "C" NOT NULL,
    state      TEXT COLLATE "C" NOT NULL,
    region     TEXT COLLATE "C" NOT NULL
);
CREATE TABLE "{schema}".dim_product (
    product_id   BIGINT PRIMARY KEY,
    product_name TEXT COLLATE "C" NOT NULL,
    category     TEXT COLLATE "C" NOT NULL,
    brand        TEXT COLLATE "C" NOT NULL,
    list_price   NUMERIC(12, 2) NOT NULL
);
CREATE TABLE "{schema}".fact_sales (
    sale_id    BIGINT PRIMARY KEY,
    order_date DATE NOT NULL,
    store_id   BIGINT NOT NULL REFERENCES "{schema}".dim_store(store_id),
    product_id BIGINT NOT NULL REFERENCES "{schema}".dim_product(product_id),
    quantity   BIGINT NOT NULL,
    unit_price NUMERIC(12, 2) NOT NULL,
    amount     NUMERIC(12, 2) NOT NULL,
    cost       NUMERIC(12, 2) NOT NULL
);
"#
    )
}

fn indexes(schema: &str) -> String {
    format!(
        r#"
CREATE INDEX fact_sales_by_date ON "{schema}".fact_sales(order_date);
CREATE INDEX fact_sales_by_store ON "{schema}".fact_sales(store_id);
CREATE INDEX fact_sales_by_product ON "{schema}".fact_sales(product_id);
"#
    )
}

/// The dimensions as `COPY ... FROM STDIN` text (no value holds a tab, a newline or a
/// backslash); stops at the first sale.
#[derive(Default)]
struct Dimensions {
    stores: Vec<u8>,
    products: Vec<u8>,
    counts: [u64; 2],
}

/// Why a pass over the rows ended early.
enum Stop {
    /// The dimensions are complete.
    Dimensions,
    Io(std::io::Error),
}

impl Sink for Dimensions {
    type Error = Stop;

    fn store(&mut self, r: &StoreRow) -> Result<(), Stop> {
        self.counts[0] += 1;
        writeln!(
            self.stores,
            "{}\t{}\t{}\t{}\t{}",
            r.store_id, r.store_name, r.city, r.state, r.region
        )
        .map_err(Stop::Io)
    }

    fn product(&mut self, r: &ProductRow) -> Result<(), Stop> {
        self.counts[1] += 1;
        writeln!(
            self.products,
            "{}\t{}\t{}\t{}\t{:.2}",
            r.product_id, r.product_name, r.category, r.brand, r.list_price
        )
        .map_err(Stop::Io)
    }

    fn sale(&mut self, _: &SaleRow) -> Result<(), Stop> {
        Err(Stop::Dimensions)
    }
}

/// The sales, streamed into a `COPY` (the fact can be far larger than memory should hold).
struct Sales<W> {
    out: W,
    count: u64,
}

impl<W: Write> Sink for Sales<W> {
    type Error = std::io::Error;

    fn store(&mut self, _: &StoreRow) -> std::io::Result<()> {
        Ok(())
    }

    fn product(&mut self, _: &ProductRow) -> std::io::Result<()> {
        Ok(())
    }

    fn sale(&mut self, r: &SaleRow) -> std::io::Result<()> {
        self.count += 1;
        writeln!(
            self.out,
            "{}\t{}\t{}\t{}\t{}\t{:.2}\t{:.2}\t{:.2}",
            r.sale_id,
            r.order_date.format("%Y-%m-%d"),
            r.store_id,
            r.product_id,
            r.quantity,
            r.unit_price,
            r.amount,
            r.cost
        )
    }
}

/// Creates (or replaces) the demo's tables with `rows` sales in `schema` of the database at
/// `url` (a password in the URL wins over `password`), in one transaction, then analyzes them.
pub fn load(
    url: &str,
    password: Option<&str>,
    schema: &str,
    rows: u64,
    last_day: NaiveDate,
) -> Result<Loaded, String> {
    let given = |_: &str| Ok(password.map(|p| p.as_bytes().to_vec()));
    let (location, config) =
        crate::data::postgres::client_config(url, given, crate::data::postgres::Liveness::QUERIES)?;
    let mut client: Client = config
        .connect(NoTls)
        .map_err(|e| format!("cannot connect to {location}: {e}"))?;
    let failed = |e: postgres::Error| format!("loading the demo into {location}: {e}");
    // Two passes over the same deterministic rows: the dimensions, then the sales.
    let mut dimensions = Dimensions::default();
    match super::rows(rows, last_day, &mut dimensions) {
        Ok(()) | Err(Stop::Dimensions) => {}
        Err(Stop::Io(e)) => return Err(e.to_string()),
    }
    let mut tx = client.transaction().map_err(failed)?;
    tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        .map_err(failed)?;
    tx.batch_execute(&tables(schema)).map_err(failed)?;
    for (table, data) in [
        ("dim_store", &dimensions.stores),
        ("dim_product", &dimensions.products),
    ] {
        let mut writer = tx
            .copy_in(&format!("COPY \"{schema}\".{table} FROM STDIN"))
            .map_err(failed)?;
        writer
            .write_all(data)
            .map_err(|e| format!("loading the demo into {location}: {e}"))?;
        writer.finish().map_err(failed)?;
    }
    let sold = {
        let writer = tx
            .copy_in(&format!("COPY \"{schema}\".fact_sales FROM STDIN"))
            .map_err(failed)?;
        let mut sales = Sales {
            out: std::io::BufWriter::with_capacity(1 << 20, writer),
            count: 0,
        };
        super::rows(rows, last_day, &mut sales)
            .and_then(|()| sales.out.flush())
            .map_err(|e| format!("loading the demo into {location}: {e}"))?;
        let Sales { out, count } = sales;
        out.into_inner()
            .map_err(|e| format!("loading the demo into {location}: {e}"))?
            .finish()
            .map_err(failed)?;
        count
    };
    tx.batch_execute(&indexes(schema)).map_err(failed)?;
    tx.commit().map_err(failed)?;
    // Statistics for the planner, as a DBA would gather them after a load.
    client
        .batch_execute(&format!(
            "ANALYZE \"{schema}\".dim_store; ANALYZE \"{schema}\".dim_product; \
             ANALYZE \"{schema}\".fact_sales"
        ))
        .map_err(failed)?;
    Ok(Loaded {
        location,
        schema: schema.to_string(),
        stores: dimensions.counts[0],
        products: dimensions.counts[1],
        sales: sold,
    })
}
