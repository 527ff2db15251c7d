//! Page planning: which page holds what, and where each block goes.
//!
//! * PINBOARD layout: charts, headlines and filters flow two per row (two
//!   rows per landscape page, three per portrait page); tables take the full
//!   width and continue on following pages. `truncate_tables` is ignored.
//! * VISUALIZATION layout: one visualization per page; a table that does not
//!   fit continues on following pages, or with `truncate_tables` keeps only
//!   what fits on its first page plus a "Showing N of M rows" line.

use crate::PdfError;
use crate::block::{self, Block, Body};
use crate::canvas::Rect;
use crate::model::{Layout, Options, Orientation, Report, Visual, VisualKind};
use crate::pages;
use std::ops::Range;

/// A4 in points.
const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
/// Page margin on every side.
pub(crate) const MARGIN: f32 = 30.0;
/// Running header (Liveboard title, logo) above the content.
pub(crate) const HEADER_H: f32 = 26.0;
/// Footer (footer text, page number) below the content.
pub(crate) const FOOTER_H: f32 = 22.0;
/// Space between blocks.
const GAP: f32 = 10.0;
/// Height of a headline tile in the PINBOARD layout when not paired with a chart.
const HEADLINE_H: f32 = 110.0;
/// Refuse to produce more pages than this (a runaway table).
pub(crate) const MAX_PAGES: usize = 10_000;
/// Height-to-width limit of a chart alone on a page.
const MAX_CHART_ASPECT: f32 = 0.8;
/// A table starts on a new page unless this many rows (or all) fit.
const MIN_TABLE_ROWS: usize = 3;

/// Page size and the content area inside margins, header and footer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
}

impl Geometry {
    pub(crate) fn new(orientation: Orientation) -> Self {
        match orientation {
            Orientation::Landscape => Self {
                width: A4_LONG,
                height: A4_SHORT,
            },
            Orientation::Portrait => Self {
                width: A4_SHORT,
                height: A4_LONG,
            },
        }
    }

    pub(crate) fn content(&self) -> Rect {
        Rect::new(
            MARGIN,
            MARGIN + HEADER_H,
            self.width - 2.0 * MARGIN,
            self.height - 2.0 * MARGIN - HEADER_H - FOOTER_H,
        )
    }
}

/// One page of the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Page {
    Cover,
    /// Filters `range` of `Report::filters` (empty: "No filters applied").
    Filters(Range<usize>),
    Blocks(Vec<Block>),
    /// The Liveboard has no visualizations.
    NoVisualizations,
}

pub(crate) fn is_table(kind: &VisualKind) -> bool {
    matches!(kind, VisualKind::Table | VisualKind::Other(_))
}

/// Plans every page of the document.
pub(crate) fn plan(report: &Report, options: &Options) -> Result<Vec<Page>, PdfError> {
    let geometry = Geometry::new(options.orientation);
    let mut pages = Vec::new();
    if options.include_cover_page {
        pages.push(Page::Cover);
    }
    if options.include_filter_page {
        let per_page = pages::filters_per_page(geometry.content().h);
        if report.filters.is_empty() {
            pages.push(Page::Filters(0..0));
        }
        let mut start = 0;
        while start < report.filters.len() {
            let end = (start + per_page).min(report.filters.len());
            pages.push(Page::Filters(start..end));
            start = end;
        }
    }
    let mut flow = Flow::new(geometry, pages);
    if report.visualizations.is_empty() {
        flow.pages.push(Page::NoVisualizations);
        return Ok(flow.pages);
    }
    match options.layout {
        Layout::Pinboard => pinboard(&mut flow, &report.visualizations)?,
        Layout::Visualization => {
            for (index, visual) in report.visualizations.iter().enumerate() {
                one_per_page(&mut flow, index, visual, options.truncate_tables)?;
            }
        }
    }
    flow.finish();
    Ok(flow.pages)
}

/// Blocks being placed top to bottom on the current content page.
struct Flow {
    pages: Vec<Page>,
    content: Rect,
    landscape: bool,
    current: Vec<Block>,
    y: f32,
}

impl Flow {
    fn new(geometry: Geometry, pages: Vec<Page>) -> Self {
        let content = geometry.content();
        Self {
            pages,
            content,
            landscape: geometry.width > geometry.height,
            current: Vec::new(),
            y: content.y,
        }
    }

    fn new_page(&mut self) -> Result<(), PdfError> {
        let blocks = std::mem::take(&mut self.current);
        self.pages.push(Page::Blocks(blocks));
        self.y = self.content.y;
        if self.pages.len() >= MAX_PAGES {
            return Err(PdfError::TooManyPages { limit: MAX_PAGES });
        }
        Ok(())
    }

    fn remaining(&self) -> f32 {
        self.content.bottom() - self.y
    }

    fn finish(&mut self) {
        if !self.current.is_empty() {
            self.pages
                .push(Page::Blocks(std::mem::take(&mut self.current)));
        }
    }

    fn place(&mut self, visual: usize, rect: Rect, continued: bool, body: Body) {
        self.current.push(Block {
            visual,
            rect,
            continued,
            body,
        });
    }

    /// Places a full-width table starting at the cursor, continuing it on
    /// new pages as needed.
    fn table(&mut self, index: usize, visual: &Visual, truncate: bool) -> Result<(), PdfError> {
        let total = visual.rows.len();
        let available = usize::try_from(visual.total_rows)
            .unwrap_or(usize::MAX)
            .max(total);
        let mut start = 0;
        loop {
            let fit = block::table_rows_fitting(self.remaining());
            let wanted = (total - start).min(MIN_TABLE_ROWS);
            if fit < wanted.max(usize::from(total == 0)) && !self.current.is_empty() {
                self.new_page()?;
                continue;
            }
            // A fresh page always holds a few rows; guard against tiny pages anyway.
            let n = fit.max(1).min(total - start);
            let end = start + n;
            let last = end == total || truncate;
            let note =
                (last && end < available).then(|| format!("Showing {end} of {available} rows"));
            let h = block::table_block_height(n, note.is_some() || total == 0);
            let rect = Rect::new(self.content.x, self.y, self.content.w, h);
            self.place(
                index,
                rect,
                start > 0,
                Body::Table {
                    rows: start..end,
                    note,
                },
            );
            self.y += h + GAP;
            if last {
                return Ok(());
            }
            self.new_page()?;
            start = end;
        }
    }
}

fn pinboard(flow: &mut Flow, visuals: &[Visual]) -> Result<(), PdfError> {
    let content = flow.content;
    let half = (content.w - GAP) / 2.0;
    let chart_h = if flow.landscape {
        (content.h - GAP) / 2.0
    } else {
        (content.h - 2.0 * GAP) / 3.0
    };
    let mut row: Vec<(usize, f32)> = Vec::new();
    let flush = |flow: &mut Flow, row: &mut Vec<(usize, f32)>| -> Result<(), PdfError> {
        if row.is_empty() {
            return Ok(());
        }
        let h = row.iter().map(|r| r.1).fold(0.0, f32::max);
        if h > flow.remaining() && !flow.current.is_empty() {
            flow.new_page()?;
        }
        for (k, &(index, _)) in row.iter().enumerate() {
            let x = content.x + k as f32 * (half + GAP);
            flow.place(index, Rect::new(x, flow.y, half, h), false, Body::Chart);
        }
        flow.y += h + GAP;
        row.clear();
        Ok(())
    };
    for (index, visual) in visuals.iter().enumerate() {
        if is_table(&visual.kind) {
            flush(flow, &mut row)?;
            flow.table(index, visual, false)?;
            continue;
        }
        let h = match visual.kind {
            VisualKind::Headline => HEADLINE_H,
            VisualKind::Filter => block::filter_block_height(visual, half).min(chart_h),
            _ => chart_h,
        };
        row.push((index, h));
        if row.len() == 2 {
            flush(flow, &mut row)?;
        }
    }
    flush(flow, &mut row)
}

fn one_per_page(
    flow: &mut Flow,
    index: usize,
    visual: &Visual,
    truncate: bool,
) -> Result<(), PdfError> {
    if !flow.current.is_empty() {
        flow.new_page()?;
    }
    if is_table(&visual.kind) {
        flow.table(index, visual, truncate)
    } else {
        let content = flow.content;
        let rect = match visual.kind {
            VisualKind::Filter => Rect::new(
                content.x,
                content.y,
                content.w,
                block::filter_block_height(visual, content.w).min(content.h),
            ),
            // Keep charts from getting taller than wide on portrait pages.
            _ => Rect::new(
                content.x,
                content.y,
                content.w,
                content.h.min(content.w * MAX_CHART_ASPECT),
            ),
        };
        flow.place(index, rect, false, Body::Chart);
        flow.y = rect.bottom() + GAP;
        Ok(())
    }
}
