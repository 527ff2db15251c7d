//! `cargo xtask bench --analytics`: searchdata against the hand-written SQL a person would write
//! for the same question (run by the `sqlite3` shell on the same file through a memory map, as
//! tspot reads it, `.timer on`), Liveboard data run at once against its visualizations one by
//! one, and the PDF. Every run gets a fresh filter value, so no cache answers; serial medians.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{API, WORKSHEET, exchange, form, login, status_of};

const LIVEBOARD: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000401";
const SQLITE_FIX: &str = "sqlite3 is not on PATH; install it with: apt-get install -y sqlite3";

/// One question, as a search and as hand-written SQL; `{v}` is the fresh value of each run.
struct Question {
    name: &'static str,
    search: &'static str,
    sql: &'static str,
}

const QUESTIONS: [Question; 8] = [
    Question {
        name: "sales by region",
        search: "[Sales] [Region] [Region] != '{v}'",
        sql: "SELECT SUM(f.amount), s.region FROM fact_sales f JOIN dim_store s ON s.store_id = f.store_id \
              WHERE s.region <> '{v}' GROUP BY s.region ORDER BY s.region",
    },
    Question {
        name: "monthly sales (date bucket)",
        search: "[Sales] [Order Date].monthly [Region] != '{v}'",
        sql: "SELECT SUM(f.amount), strftime('%Y-%m-01', f.order_date) AS month FROM fact_sales f \
              JOIN dim_store s ON s.store_id = f.store_id WHERE s.region <> '{v}' \
              GROUP BY month ORDER BY month",
    },
    Question {
        name: "top 5 products",
        search: "top 5 [Product Name] [Sales] [Category] != '{v}'",
        sql: "SELECT p.product_name, SUM(f.amount) AS total FROM fact_sales f \
              JOIN dim_product p ON p.product_id = f.product_id WHERE p.category <> '{v}' \
              GROUP BY p.product_name ORDER BY total DESC LIMIT 5",
    },
    Question {
        name: "quantity by category in one region (two joins)",
        search: "[Quantity] [Category] [Region] = 'east' [Brand] != '{v}'",
        sql: "SELECT SUM(f.quantity), p.category FROM fact_sales f \
              JOIN dim_store s ON s.store_id = f.store_id JOIN dim_product p ON p.product_id = f.product_id \
              WHERE s.region = 'east' AND p.brand <> '{v}' GROUP BY p.category ORDER BY p.category",
    },
    Question {
        name: "stores sorted by sales",
        search: "[Sales] [Store Name] sort by [Sales] descending [City] != '{v}'",
        sql: "SELECT SUM(f.amount) AS total, s.store_name FROM fact_sales f \
              JOIN dim_store s ON s.store_id = f.store_id WHERE s.city <> '{v}' \
              GROUP BY s.store_name ORDER BY total DESC",
    },
    Question {
        name: "profit by brand (formula)",
        search: "[Profit] [Brand] [Category] != '{v}'",
        sql: "SELECT SUM(f.amount - f.cost), p.brand FROM fact_sales f \
              JOIN dim_product p ON p.product_id = f.product_id WHERE p.category <> '{v}' \
              GROUP BY p.brand ORDER BY p.brand",
    },
    Question {
        name: "average unit price by state",
        search: "[Unit Price] [State] [State] != '{v}'",
        sql: "SELECT AVG(f.unit_price), s.state FROM fact_sales f \
              JOIN dim_store s ON s.store_id = f.store_id WHERE s.state <> '{v}' \
              GROUP BY s.state ORDER BY s.state",
    },
    Question {
        name: "yearly sales by category",
        search: "[Sales] [Order Date].yearly [Category] [Brand] != '{v}'",
        sql: "SELECT SUM(f.amount), strftime('%Y-01-01', f.order_date) AS year, p.category \
              FROM fact_sales f JOIN dim_product p ON p.product_id = f.product_id \
              WHERE p.brand <> '{v}' GROUP BY year, p.category ORDER BY year, p.category",
    },
];

/// A question asked for its first page of 10 rows and the whole result's row count, which
/// ThoughtSpot answers as `totalRowCount`: by hand either a page and a count query, or the page
/// with a window count.
struct PagedQuestion {
    name: &'static str,
    search: &'static str,
    /// `{cols}` is the page's extra column (nothing, or the window count), `{page}` its tail.
    sql: &'static str,
}

const PAGED: [PagedQuestion; 2] = [
    PagedQuestion {
        name: "sales by store and product, 10 of 720 rows",
        search: "[Sales] [Store Name] [Product Name] [Region] != '{v}'",
        sql: "SELECT SUM(f.amount), s.store_name, p.product_name{cols} FROM fact_sales f \
              JOIN dim_store s ON s.store_id = f.store_id JOIN dim_product p ON p.product_id = f.product_id \
              WHERE s.region <> '{v}' GROUP BY s.store_name, p.product_name{page}",
    },
    PagedQuestion {
        name: "daily sales by store, 10 of ~26k rows",
        search: "[Sales] [Order Date] [Store Name] [City] != '{v}'",
        sql: "SELECT SUM(f.amount), f.order_date, s.store_name{cols} FROM fact_sales f \
              JOIN dim_store s ON s.store_id = f.store_id WHERE s.city <> '{v}' \
              GROUP BY f.order_date, s.store_name{page}",
    },
];

impl PagedQuestion {
    const ORDER: &'static str = " ORDER BY 2, 3 LIMIT 10";

    /// The page, then a count query over the same grouping.
    fn page_and_count(&self, value: &str) -> String {
        let query = self.sql.replace("{v}", value);
        let page = query.replace("{cols}", "").replace("{page}", Self::ORDER);
        let count = query.replace("{cols}", "").replace("{page}", "");
        format!("{page}; SELECT COUNT(*) FROM ({count})")
    }

    /// The page with the count in one more column.
    fn windowed(&self, value: &str) -> String {
        self.sql
            .replace("{v}", value)
            .replace("{cols}", ", COUNT(*) OVER ()")
            .replace("{page}", Self::ORDER)
    }
}

/// Runs per measurement; the median is reported.
const RUNS: usize = 7;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// A fresh value for run `i` that matches no row.
fn fresh(i: usize) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("bench-{i}-{nanos}")
}

/// One POST to tspot with the session cookie; its time in ms, after checking for a 200.
fn post(addr: SocketAddr, cookie: &str, path_and_query: &str, body: &str) -> Result<f64, String> {
    let request = format!(
        "POST {API}/{path_and_query} HTTP/1.1\r\nHost: {addr}\r\nX-Requested-By: ThoughtSpot\r\n\
         Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let started = Instant::now();
    let response = exchange(addr, &request, Duration::from_secs(120))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status_of(&response) != "200" {
        let end = response.len().min(500);
        return Err(format!("{path_and_query} answered: {}", &response[..end]));
    }
    Ok(ms)
}

/// The hand-written SQL's run time in ms, as the sqlite3 shell's timer reports it (summed over
/// its statements).
fn raw_sql_ms(database: &Path, sql: &str) -> Result<f64, String> {
    // The shell times statements it reads, not those given as arguments.
    let mut child = Command::new("sqlite3")
        // Through a memory map as tspot reads, so the shell copies no pages tspot does not.
        .args(["-cmd", "PRAGMA mmap_size = 1073741824", "-cmd", ".timer on"])
        .arg(database)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{SQLITE_FIX} ({e})"))?;
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{sql};").map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "sqlite3 failed on {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // `Run Time: real 0.040 user 0.030000 sys 0.010000`, on stdout or stderr by version.
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // One timer line per statement: their sum.
    let seconds: Vec<f64> = text
        .lines()
        .filter_map(|line| line.strip_prefix("Run Time: real "))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .collect();
    if seconds.is_empty() {
        return Err(format!("no timer line from sqlite3 for {sql}"));
    }
    Ok(seconds.iter().sum::<f64>() * 1000.0)
}

pub(super) fn bench(
    addr: SocketAddr,
    password: &str,
    data_dir: &Path,
    log: &Path,
    rows: u64,
) -> Result<(), String> {
    if !super::on_path("sqlite3") {
        return Err(SQLITE_FIX.into());
    }
    let cookie = format!("JSESSIONID={}", login(addr, password)?);
    let database = data_dir.join("demo.sqlite3");
    println!(
        "searchdata against hand-written SQL, {rows} demo rows, median of {RUNS} runs, a fresh filter value each run\n"
    );
    println!("| question | tspot searchdata (HTTP) | hand-written SQL (sqlite3) | ratio |");
    println!("|---|---:|---:|---:|");
    let mut ratios = Vec::new();
    for question in &QUESTIONS {
        let (mut tspot, mut raw) = (Vec::new(), Vec::new());
        for i in 0..RUNS {
            let value = fresh(i);
            let body = form(&[
                ("query_string", &question.search.replace("{v}", &value)),
                ("data_source_guid", WORKSHEET),
            ]);
            tspot.push(post(addr, &cookie, "searchdata", &body)?);
            raw.push(raw_sql_ms(&database, &question.sql.replace("{v}", &value))?);
        }
        let (tspot, raw) = (median(tspot), median(raw));
        ratios.push(tspot / raw);
        println!(
            "| {} | {tspot:.1} ms | {raw:.1} ms | {:.2} |",
            question.name,
            tspot / raw
        );
    }
    println!(
        "\nworst ratio {:.2}, median ratio {:.2}\n",
        ratios.iter().copied().fold(0.0, f64::max),
        median(ratios.clone())
    );

    println!(
        "| first page of 10 and totalRowCount | tspot searchdata | page + count query (sqlite3) | page with a window count (sqlite3) | tspot / faster |"
    );
    println!("|---|---:|---:|---:|---:|");
    for question in &PAGED {
        let (mut tspot, mut two, mut one) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..RUNS {
            let value = fresh(i);
            let body = form(&[
                ("query_string", &question.search.replace("{v}", &value)),
                ("data_source_guid", WORKSHEET),
                ("batchsize", "10"),
            ]);
            tspot.push(post(addr, &cookie, "searchdata", &body)?);
            two.push(raw_sql_ms(&database, &question.page_and_count(&value))?);
            one.push(raw_sql_ms(&database, &question.windowed(&value))?);
        }
        let (tspot, two, one) = (median(tspot), median(two), median(one));
        println!(
            "| {} | {tspot:.1} ms | {two:.1} ms | {one:.1} ms | {:.2} |",
            question.name,
            tspot / two.min(one)
        );
    }
    println!();

    // The Liveboard: all at once (fresh runtime filter), one visualization at a time, repeated.
    let filter = |value: &str| format!("id={LIVEBOARD}&col1=Region&op1=NE&val1={value}");
    let mut together = Vec::new();
    let mut one_by_one = Vec::new();
    let vizzes = visualization_ids(addr, &cookie)?;
    for i in 0..RUNS {
        let value = fresh(i);
        together.push(post(
            addr,
            &cookie,
            &format!("pinboarddata?{}", filter(&value)),
            "",
        )?);
        // A value of its own, so that these runs don't meet the results of the one above.
        let alone = fresh(1_000 + i);
        let mut sum = 0.0;
        for viz in &vizzes {
            let query = format!("pinboarddata?{}&vizid=%5B%22{viz}%22%5D", filter(&alone));
            sum += post(addr, &cookie, &query, "")?;
        }
        one_by_one.push(sum);
    }
    let repeat_value = fresh(RUNS);
    let repeated: Vec<f64> = (0..RUNS)
        .map(|_| {
            post(
                addr,
                &cookie,
                &format!("pinboarddata?{}", filter(&repeat_value)),
                "",
            )
        })
        .collect::<Result<_, _>>()?;
    let pdf: Vec<f64> = (0..RUNS)
        .map(|i| {
            let value = fresh(100 + i);
            post(
                addr,
                &cookie,
                &format!("export/pinboard/pdf?{}", filter(&value)),
                "",
            )
        })
        .collect::<Result<_, _>>()?;
    let (together, one_by_one) = (median(together), median(one_by_one));
    println!(
        "| Liveboard \"Sales Overview\" ({} visualizations) | median |",
        vizzes.len()
    );
    println!("|---|---:|");
    println!("| pinboarddata, fresh runtime filter | {together:.1} ms |");
    println!("| its visualizations one by one, summed | {one_by_one:.1} ms |");
    println!(
        "| ratio (together / one by one) | {:.2} |",
        together / one_by_one
    );
    println!(
        "| pinboarddata, the same request again | {:.1} ms |",
        median(repeated)
    );
    println!("| PDF, fresh runtime filter | {:.1} ms |", median(pdf));
    let (queries, render) = pdf_phases(log);
    if !render.is_empty() {
        println!(
            "| of which the PDF's queries / its rendering (server log) | {:.1} ms / {:.1} ms |",
            median(queries),
            median(render)
        );
    }
    Ok(())
}

/// `queries_ms` and `render_ms` of every "pdf exported" line in the server log.
fn pdf_phases(log: &Path) -> (Vec<f64>, Vec<f64>) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let field = |line: &str, name: &str| -> Option<f64> {
        let rest = &line[line.find(&format!("{name}="))? + name.len() + 1..];
        rest.split_whitespace().next()?.parse().ok()
    };
    text.lines()
        .filter(|line| line.contains("pdf exported"))
        .filter_map(|line| Some((field(line, "queries_ms")?, field(line, "render_ms")?)))
        .unzip()
}

/// The Liveboard's visualization ids, from listvizheaders.
fn visualization_ids(addr: SocketAddr, cookie: &str) -> Result<Vec<String>, String> {
    let request = format!(
        "GET {API}/metadata/listvizheaders?id={LIVEBOARD} HTTP/1.1\r\nHost: {addr}\r\n\
         Cookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    let response = exchange(addr, &request, Duration::from_secs(30))?;
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    let headers: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("listvizheaders: {e}: {body}"))?;
    Ok(headers
        .as_array()
        .into_iter()
        .flatten()
        .filter(|h| h["vizType"] != "FILTER")
        .filter_map(|h| h["id"].as_str().map(String::from))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_has_a_fresh_value_in_both_forms() {
        for q in &QUESTIONS {
            assert!(
                q.search.contains("{v}") && q.sql.contains("{v}"),
                "{}",
                q.name
            );
        }
        for q in &PAGED {
            assert!(q.search.contains("{v}"), "{}", q.name);
            assert!(!q.windowed("x").contains('{'), "{}", q.name);
            assert!(!q.page_and_count("x").contains('{'), "{}", q.name);
        }
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }
}
