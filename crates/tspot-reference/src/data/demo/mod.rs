//! The demo database: a retail star schema (a sales fact with dates, quantities and amounts, and
//! store and product dimensions), generated deterministically from a seed, a row count and the
//! last order date.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{Connection, params};

pub mod postgres;

/// SplitMix64: a tiny, fixed algorithm, so the same seed gives the same demo in every build
/// (a library generator may change its output between versions).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub const SEED: u64 = 20_240_601;
/// Days of sales history.
pub const HISTORY_DAYS: i64 = 3 * 365;

const CITIES: [(&str, &str, &str); 12] = [
    ("New York", "NY", "east"),
    ("Boston", "MA", "east"),
    ("Philadelphia", "PA", "east"),
    ("Chicago", "IL", "midwest"),
    ("Detroit", "MI", "midwest"),
    ("Minneapolis", "MN", "midwest"),
    ("Atlanta", "GA", "south"),
    ("Dallas", "TX", "south"),
    ("Miami", "FL", "south"),
    ("San Francisco", "CA", "west"),
    ("Seattle", "WA", "west"),
    ("Denver", "CO", "west"),
];
const CATEGORIES: [(&str, [&str; 6], f64); 5] = [
    (
        "Apparel",
        ["Jacket", "Sneakers", "Jeans", "T-Shirt", "Hoodie", "Cap"],
        40.0,
    ),
    (
        "Electronics",
        [
            "Headphones",
            "Speaker",
            "Tablet",
            "Charger",
            "Camera",
            "Watch",
        ],
        150.0,
    ),
    (
        "Home",
        ["Lamp", "Blender", "Kettle", "Pillow", "Rug", "Vase"],
        35.0,
    ),
    (
        "Outdoors",
        ["Tent", "Backpack", "Bottle", "Lantern", "Stove", "Hammock"],
        60.0,
    ),
    (
        "Toys",
        ["Puzzle", "Robot", "Kite", "Blocks", "Doll", "Drone"],
        25.0,
    ),
];
const BRANDS: [&str; 4] = ["Acme", "Northwind", "Contoso", "Globex"];

const SCHEMA: &str = "
CREATE TABLE dim_store (
    store_id   INTEGER PRIMARY KEY,
    store_name TEXT NOT NULL,
    city       TEXT NOT NULL,
    state      TEXT NOT NULL,
    region     TEXT NOT NULL
);
CREATE TABLE dim_product (
    product_id   INTEGER PRIMARY KEY,
    product_name TEXT NOT NULL,
    category     TEXT NOT NULL,
    brand        TEXT NOT NULL,
    list_price   REAL NOT NULL
);
CREATE TABLE fact_sales (
    sale_id    INTEGER PRIMARY KEY,
    order_date TEXT NOT NULL,
    store_id   INTEGER NOT NULL REFERENCES dim_store(store_id),
    product_id INTEGER NOT NULL REFERENCES dim_product(product_id),
    quantity   INTEGER NOT NULL,
    unit_price REAL NOT NULL,
    amount     REAL NOT NULL,
    cost       REAL NOT NULL
);
CREATE INDEX fact_sales_by_date ON fact_sales(order_date);
CREATE INDEX fact_sales_by_store ON fact_sales(store_id);
CREATE INDEX fact_sales_by_product ON fact_sales(product_id);
";

/// The demo's last order date: today (UTC), as the demo a new store creates.
pub fn today() -> NaiveDate {
    crate::analytics::run::today()
}

/// A store of the demo's dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreRow {
    pub store_id: i64,
    pub store_name: String,
    pub city: &'static str,
    pub state: &'static str,
    pub region: &'static str,
}

/// A product of the demo's dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub product_id: i64,
    pub product_name: String,
    pub category: &'static str,
    pub brand: &'static str,
    pub list_price: f64,
}

/// A sale line of the demo's fact.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleRow {
    pub sale_id: i64,
    pub order_date: NaiveDate,
    pub store_id: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price: f64,
    pub amount: f64,
    pub cost: f64,
}

/// Where generated rows go: an SQLite file ([`generate`]) or a PostgreSQL database
/// ([`postgres::load`]). Stores come first, then products, then sales.
pub trait Sink {
    type Error;
    fn store(&mut self, row: &StoreRow) -> Result<(), Self::Error>;
    fn product(&mut self, row: &ProductRow) -> Result<(), Self::Error>;
    fn sale(&mut self, row: &SaleRow) -> Result<(), Self::Error>;
}

/// Generates the demo's rows (the same for the same inputs, whatever the sink).
pub fn rows<S: Sink>(rows: u64, last_day: NaiveDate, sink: &mut S) -> Result<(), S::Error> {
    let mut rng = SplitMix64(SEED);
    for (i, (city, state, region)) in CITIES.iter().enumerate() {
        for n in 0..2 {
            sink.store(&StoreRow {
                store_id: (i * 2 + n + 1) as i64,
                store_name: format!("{city} {}", if n == 0 { "Downtown" } else { "Mall" }),
                city,
                state,
                region,
            })?;
        }
    }
    let mut product_id = 0i64;
    let mut prices = Vec::new();
    for (category, names, base) in CATEGORIES {
        for name in names {
            product_id += 1;
            let brand = BRANDS[rng.below(BRANDS.len() as u64) as usize];
            let price = ((base * (0.5 + rng.below(100) as f64 / 66.0)) * 100.0).round() / 100.0;
            prices.push(price);
            sink.product(&ProductRow {
                product_id,
                product_name: format!("{brand} {name}"),
                category,
                brand,
                list_price: price,
            })?;
        }
    }
    let stores = (CITIES.len() * 2) as u64;
    for sale_id in 1..=rows {
        let day = last_day - chrono::Duration::days(rng.below(HISTORY_DAYS as u64) as i64);
        let store = rng.below(stores) as i64 + 1;
        let product = rng.below(prices.len() as u64) as usize;
        let quantity = rng.below(9) as i64 + 1;
        let discount = rng.below(21) as f64 / 100.0;
        let unit_price = ((prices[product] * (1.0 - discount)) * 100.0).round() / 100.0;
        let amount = ((unit_price * quantity as f64) * 100.0).round() / 100.0;
        let cost = ((prices[product] * 0.6 * quantity as f64) * 100.0).round() / 100.0;
        sink.sale(&SaleRow {
            sale_id: sale_id as i64,
            order_date: day,
            store_id: store,
            product_id: product as i64 + 1,
            quantity,
            unit_price,
            amount,
            cost,
        })?;
    }
    Ok(())
}

/// Why the demo database could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("writing the demo database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("putting the demo database in place: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes the demo database to `path` (replacing a partial one) in one transaction.
pub fn generate(path: &Path, rows: u64, last_day: NaiveDate) -> Result<(), DemoError> {
    let temporary = path.with_extension("partial");
    let _ = std::fs::remove_file(&temporary);
    let mut connection = Connection::open(&temporary)?;
    fill(&mut connection, rows, last_day)?;
    drop(connection);
    // A crash mid-way leaves only the .partial file: the demo appears whole or not at all.
    std::fs::rename(&temporary, path)?;
    Ok(())
}

/// Rows into an SQLite transaction.
struct SqliteSink<'a>(&'a rusqlite::Transaction<'a>);

impl Sink for SqliteSink<'_> {
    type Error = rusqlite::Error;

    fn store(&mut self, r: &StoreRow) -> rusqlite::Result<()> {
        self.0
            .prepare_cached("INSERT INTO dim_store VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![r.store_id, r.store_name, r.city, r.state, r.region])?;
        Ok(())
    }

    fn product(&mut self, r: &ProductRow) -> rusqlite::Result<()> {
        self.0
            .prepare_cached("INSERT INTO dim_product VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![
                r.product_id,
                r.product_name,
                r.category,
                r.brand,
                r.list_price
            ])?;
        Ok(())
    }

    fn sale(&mut self, r: &SaleRow) -> rusqlite::Result<()> {
        self.0
            .prepare_cached("INSERT INTO fact_sales VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
            .execute(params![
                r.sale_id,
                r.order_date.format("%Y-%m-%d").to_string(),
                r.store_id,
                r.product_id,
                r.quantity,
                r.unit_price,
                r.amount,
                r.cost
            ])?;
        Ok(())
    }
}

fn fill(connection: &mut Connection, count: u64, last_day: NaiveDate) -> rusqlite::Result<()> {
    let tx = connection.transaction()?;
    tx.execute_batch(SCHEMA)?;
    rows(count, last_day, &mut SqliteSink(&tx))?;
    tx.commit()?;
    // Statistics for the planner, as a DBA would gather them after a load.
    connection.execute_batch("ANALYZE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_inputs_same_database() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
        generate(&a, 500, day).unwrap();
        generate(&b, 500, day).unwrap();
        let sum = |p: &Path| -> (i64, f64, String) {
            Connection::open(p)
                .unwrap()
                .query_row(
                    "SELECT count(*), sum(amount), max(order_date) FROM fact_sales",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap()
        };
        assert_eq!(sum(&a), sum(&b));
        assert_eq!(sum(&a).0, 500);
        assert!(sum(&a).2.as_str() <= "2026-06-30");
    }
}
