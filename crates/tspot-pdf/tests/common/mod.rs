//! Shared fixtures and a small PDF reading helper (lopdf) for the tests.

#![allow(dead_code)]

use lopdf::Document;
use tspot_pdf::{Cell, FilterLine, Options, Report, Visual, VisualKind, render};

/// A rendered PDF, parsed back with a real reader.
pub struct Parsed {
    pub bytes: Vec<u8>,
    pub doc: Document,
}

impl Parsed {
    pub fn pages(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// Extracted text of 1-based page `n`.
    pub fn text(&self, n: usize) -> String {
        self.doc
            .extract_text(&[n as u32])
            .unwrap_or_else(|e| panic!("text of page {n}: {e}"))
    }

    /// Extracted text of all pages.
    pub fn all_text(&self) -> String {
        (1..=self.pages()).map(|n| self.text(n)).collect()
    }

    /// MediaBox of page `n` as (width, height).
    pub fn page_size(&self, n: usize) -> (f32, f32) {
        let pages = self.doc.get_pages();
        let id = pages[&(n as u32)];
        let page = self.doc.get_dictionary(id).unwrap();
        let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let num = |o: &lopdf::Object| o.as_float().unwrap();
        (num(&mb[2]) - num(&mb[0]), num(&mb[3]) - num(&mb[1]))
    }
}

pub fn parse(report: &Report, options: &Options) -> Parsed {
    let bytes = render(report, options).expect("render");
    let doc = Document::load_mem(&bytes).expect("a PDF reader can parse the output");
    Parsed { bytes, doc }
}

pub fn visual(
    id: &str,
    title: &str,
    kind: VisualKind,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Visual {
    let total_rows = rows.len() as u64;
    Visual {
        id: id.into(),
        title: title.into(),
        kind,
        column_names: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        total_rows,
    }
}

pub fn months() -> Vec<&'static str> {
    vec![
        "Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024", "Jul 2024",
        "Aug 2024", "Sep 2024", "Oct 2024", "Nov 2024", "Dec 2024",
    ]
}

/// A table of `n` rows: id, city, amount, note.
pub fn long_table(title: &str, n: usize) -> Visual {
    let cities = [
        "Zürich",
        "São Paulo",
        "Berlin",
        "Tokyo",
        "New York",
        "Lagos",
    ];
    let rows = (0..n)
        .map(|i| {
            vec![
                Cell::Number(i as f64 + 1.0),
                Cell::from(cities[i % cities.len()]),
                if i % 7 == 3 {
                    Cell::Null
                } else {
                    Cell::Number(1234.5 * (i as f64 + 1.0) + 0.25)
                },
                Cell::from(format!(
                    "Order note {i}: a deliberately long free-text comment that goes on and on, \
                     describing the delivery, the packaging and the customer's wishes in detail, \
                     with remarks about the weather, the route and the driver's break, \
                     so that it cannot fit in its column"
                )),
            ]
        })
        .collect();
    visual(
        "tbl",
        title,
        VisualKind::Table,
        &["Order", "City", "Amount", "Note"],
        rows,
    )
}

/// The six-visualization sample Liveboard.
pub fn sample() -> Report {
    let headline = visual(
        "h1",
        "Total Revenue",
        VisualKind::Headline,
        &["Total Revenue"],
        vec![vec![Cell::Number(12_345_678.9)]],
    );
    let regions = [
        "East",
        "West",
        "North",
        "South",
        "Central",
        "Zürich",
        "São Paulo",
    ];
    let bar = visual(
        "b1",
        "Revenue by Region",
        VisualKind::Bar,
        &["Region", "Revenue"],
        regions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::from(*r),
                    Cell::Number(250_000.0 + 137_000.0 * ((i * 5) % 7) as f64),
                ]
            })
            .collect(),
    );
    let line = visual(
        "l1",
        "Monthly Orders — 2024",
        VisualKind::Line,
        &["Month", "Orders"],
        months()
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let v = 1200.0 + 300.0 * ((i as f64) * 0.8).sin() + 45.0 * i as f64;
                vec![Cell::from(*m), Cell::Number(v.round())]
            })
            .collect(),
    );
    let pie = visual(
        "p1",
        "Sales by Channel",
        VisualKind::Pie,
        &["Channel", "Sales"],
        vec![
            vec!["Online".into(), Cell::Number(48_200.0)],
            vec!["Retail".into(), Cell::Number(31_750.0)],
            vec!["Partners".into(), Cell::Number(12_300.0)],
            vec!["Direct".into(), Cell::Number(7_900.0)],
        ],
    );
    let table = long_table("Recent Orders", 40);
    let filter = visual(
        "f1",
        "Region Filter",
        VisualKind::Filter,
        &["Region"],
        vec![
            vec!["East".into()],
            vec!["West".into()],
            vec!["Zürich".into()],
        ],
    );
    Report {
        title: "Sales Overview — Q4".into(),
        description: Some("Quarterly sales across regions, including Zürich and São Paulo.".into()),
        author: Some("Ana Müller".into()),
        generated_at: "2024-12-31 23:59 UTC".into(),
        filters: vec![
            FilterLine {
                column: "Region".into(),
                description: "Region is east, west".into(),
            },
            FilterLine {
                column: "Order Date".into(),
                description: "Order Date is this year".into(),
            },
        ],
        visualizations: vec![headline, bar, line, pie, table, filter],
    }
}
