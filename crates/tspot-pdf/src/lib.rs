//! tspot-pdf: renders a ThoughtSpot Liveboard (formerly pinboard) export as a
//! PDF, the body of `POST /tspublic/v1/export/pinboard/pdf`.
//!
//! ```
//! use tspot_pdf::{Cell, Options, Report, Visual, VisualKind, render};
//!
//! let report = Report {
//!     title: "Sales".into(),
//!     generated_at: "2024-05-01 10:00 UTC".into(),
//!     visualizations: vec![Visual {
//!         id: "v1".into(),
//!         title: "Revenue".into(),
//!         kind: VisualKind::Headline,
//!         column_names: vec!["Revenue".into()],
//!         rows: vec![vec![Cell::Number(1234.5)]],
//!         total_rows: 1,
//!     }],
//!     ..Report::default()
//! };
//! let pdf = render(&report, &Options::default()).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```
//!
//! Pages, in order: the cover (`include_cover_page`), the filter page
//! (`include_filter_page`; "No filters applied" when there are none), then
//! the visualizations in PINBOARD or VISUALIZATION layout. Every page but the
//! cover has a running header (Liveboard title, logo when `include_logo`) and
//! a footer (`footer_text`, "Page N of M" when `include_page_number`, N
//! counting every page including the cover). Text uses the PDF base-14
//! Helvetica fonts with WinAnsiEncoding, so it is real, extractable text;
//! characters outside that encoding are shown as `?`. See README.md.

mod block;
mod canvas;
mod chart;
mod document;
mod fonts;
mod format;
mod layout;
mod metrics;
mod model;
mod pages;
mod table;
mod theme;

pub use model::{Cell, FilterLine, Layout, Options, Orientation, Report, Visual, VisualKind};

use canvas::Canvas;
use layout::{Geometry, Page};
use std::fmt;

/// Why a PDF could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfError {
    /// The document would exceed `limit` pages (e.g. a table with millions of rows).
    TooManyPages {
        /// The page limit.
        limit: usize,
    },
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::TooManyPages { limit } => {
                write!(f, "the PDF would have more than {limit} pages")
            }
        }
    }
}

impl std::error::Error for PdfError {}

/// The most pages [`render`] produces before failing with [`PdfError::TooManyPages`].
pub const MAX_PAGES: usize = layout::MAX_PAGES;

/// Renders `report` as a PDF with `options`. The output depends only on the
/// arguments (no clock, fixed document ID derived from the content).
pub fn render(report: &Report, options: &Options) -> Result<Vec<u8>, PdfError> {
    let geometry = Geometry::new(options.orientation);
    let plan = layout::plan(report, options)?;
    let count = plan.len();
    // One decimals choice per table column, over all its rows, made once for every page.
    let formats: Vec<Vec<format::Column>> =
        report.visualizations.iter().map(table::formats).collect();
    let contents: Vec<Vec<u8>> = plan
        .iter()
        .enumerate()
        .map(|(i, page)| draw_page(report, &formats, options, geometry, page, i + 1, count))
        .collect();
    Ok(document::write(report, geometry, &contents))
}

fn draw_page(
    report: &Report,
    formats: &[Vec<format::Column>],
    options: &Options,
    geometry: Geometry,
    page: &Page,
    number: usize,
    count: usize,
) -> Vec<u8> {
    let mut canvas = Canvas::new(geometry.height);
    match page {
        Page::Cover => pages::cover(&mut canvas, geometry, report, options),
        Page::Filters(range) => {
            pages::filters(&mut canvas, geometry, report, range.clone());
        }
        Page::Blocks(blocks) => {
            for b in blocks {
                block::draw(
                    &mut canvas,
                    b,
                    &report.visualizations[b.visual],
                    &formats[b.visual],
                );
            }
        }
        Page::NoVisualizations => pages::no_visualizations(&mut canvas, geometry),
    }
    if !matches!(page, Page::Cover) {
        pages::header(&mut canvas, geometry, report, options);
        pages::footer(&mut canvas, geometry, options, number, count);
    }
    canvas.finish()
}
