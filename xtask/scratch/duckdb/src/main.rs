//! The demo Liveboard's five questions on DuckDB (what a columnar engine would change; the
//! README's Performance section has the figures), from CSV exports of the demo SQLite file:
//!
//! ```sh
//! for t in fact_sales dim_store dim_product; do
//!   sqlite3 -header -csv tspot-data/demo.sqlite3 "SELECT * FROM $t" > /tmp/demo-csv/$t.csv
//! done
//! cargo run --release --manifest-path xtask/scratch/duckdb/Cargo.toml -- /tmp/demo-csv 2
//! ```
//!
//! Its own workspace, never built by CI: DuckDB's bundled C++ takes about 50 CPU-minutes.
use std::time::Instant;

const QUESTIONS: [(&str, &str); 5] = [
    ("Total Sales", "SELECT SUM(f.amount) FROM fact_sales f JOIN dim_store st ON f.store_id = st.store_id WHERE lower(st.region) <> ?"),
    ("Sales by Region", "SELECT SUM(f.amount), st.region FROM fact_sales f JOIN dim_store st ON f.store_id = st.store_id WHERE lower(st.region) <> ? GROUP BY 2 ORDER BY 2"),
    ("Monthly Sales", "SELECT SUM(f.amount), epoch(date_trunc('month', f.order_date)) FROM fact_sales f JOIN dim_store st ON f.store_id = st.store_id WHERE lower(st.region) <> ? GROUP BY 2 ORDER BY 2"),
    ("Sales by Category", "SELECT SUM(f.amount), p.category FROM fact_sales f JOIN dim_store st ON f.store_id = st.store_id JOIN dim_product p ON f.product_id = p.product_id WHERE lower(st.region) <> ? GROUP BY 2 ORDER BY 2"),
    ("Store Performance", "SELECT st.store_name, st.city, st.region, SUM(f.amount) a, SUM(f.quantity), SUM(f.amount - f.cost) FROM fact_sales f JOIN dim_store st ON f.store_id = st.store_id WHERE lower(st.region) <> ? GROUP BY 1, 2, 3 ORDER BY a DESC"),
];

fn main() -> duckdb::Result<()> {
    let dir = std::env::args().nth(1).expect("usage: scratch-duckdb DIR");
    let threads = std::env::args().nth(2).unwrap_or_else(|| "2".into());
    let db = duckdb::Connection::open_in_memory()?;
    db.execute_batch(&format!("SET threads = {threads};"))?;
    let started = Instant::now();
    for table in ["fact_sales", "dim_store", "dim_product"] {
        db.execute_batch(&format!(
            "CREATE TABLE {table} AS SELECT * FROM read_csv_auto('{dir}/{table}.csv', header = true);"
        ))?;
    }
    println!("load: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
    let mut total = 0.0;
    for (name, sql) in QUESTIONS {
        let mut times = Vec::new();
        for run in 0..7 {
            let mut statement = db.prepare(sql)?;
            let t = Instant::now();
            let rows: Vec<()> = statement
                .query_map([format!("fresh-{run}")], |_| Ok(()))?
                .collect::<Result<_, _>>()?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(rows);
        }
        times.sort_by(f64::total_cmp);
        total += times[3];
        println!("| {name} | {:.1} ms |", times[3]);
    }
    println!("| the five, one after another | {total:.1} ms |");
    Ok(())
}
