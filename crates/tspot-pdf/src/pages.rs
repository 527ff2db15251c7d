//! Whole-page drawing: cover, filter page, running header and footer, the
//! vector logo, and the page shown when there are no visualizations.

use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::layout::{FOOTER_H, Geometry, HEADER_H, MARGIN};
use crate::model::{Options, Report};
use crate::theme;
use std::ops::Range;

/// Heading of the filter page.
const FILTER_HEADING_H: f32 = 34.0;
/// One filter line.
const FILTER_ROW_H: f32 = 20.0;

/// Filters listed per filter page.
pub(crate) fn filters_per_page(content_h: f32) -> usize {
    (((content_h - FILTER_HEADING_H) / FILTER_ROW_H) as usize).max(1)
}

/// The "tspot" mark: a blue rounded square with a white "t" and a yellow
/// spot, optionally followed by the word "tspot". Returns the width used.
pub(crate) fn logo(canvas: &mut Canvas, x: f32, top: f32, size: f32, wordmark: bool) -> f32 {
    let s = size;
    canvas.rounded_rect(Rect::new(x, top, s, s), s * 0.22, Some(theme::BRAND), None);
    // The "t": stem and crossbar.
    canvas.fill_rect(
        Rect::new(x + s * 0.38, top + s * 0.18, s * 0.15, s * 0.58),
        theme::WHITE,
    );
    canvas.fill_rect(
        Rect::new(x + s * 0.24, top + s * 0.34, s * 0.42, s * 0.13),
        theme::WHITE,
    );
    canvas.fill_rect(
        Rect::new(x + s * 0.38, top + s * 0.66, s * 0.3, s * 0.12),
        theme::WHITE,
    );
    // The spot.
    canvas.circle(
        x + s * 0.74,
        top + s * 0.27,
        s * 0.1,
        theme::PALETTE[2],
        None,
    );
    if !wordmark {
        return s;
    }
    let style = Style::new(Font::Bold, s * 0.72, theme::BRAND_DARK);
    let w = canvas.text(x + s * 1.25, top + s * 0.78, b"tspot", style, Align::Left);
    s * 1.25 + w
}

pub(crate) fn cover(canvas: &mut Canvas, geometry: Geometry, report: &Report, options: &Options) {
    let margin = 56.0;
    let width = geometry.width - 2.0 * margin;
    canvas.fill_rect(Rect::new(0.0, 0.0, geometry.width, 8.0), theme::BRAND);
    if options.include_logo {
        logo(canvas, margin, margin, 30.0, true);
    }

    let title_style = Style::new(Font::Bold, 28.0, theme::TEXT);
    let mut y = geometry.height * 0.32;
    let title = if report.title.trim().is_empty() {
        "Untitled Liveboard"
    } else {
        &report.title
    };
    for line in fonts::wrap(title_style.font, title_style.size, title, width, 3) {
        y += 34.0;
        canvas.text(margin, y, &line, title_style, Align::Left);
    }
    y += 10.0;
    canvas.fill_rect(Rect::new(margin, y, 64.0, 3.0), theme::BRAND);
    y += 8.0;

    if let Some(description) = report
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        let style = Style::new(Font::Regular, 12.0, theme::MUTED);
        for line in fonts::wrap(style.font, style.size, description, width, 6) {
            y += 17.0;
            canvas.text(margin, y, &line, style, Align::Left);
        }
    }

    let label = Style::new(Font::Bold, 9.0, theme::MUTED);
    let value = Style::new(Font::Regular, 11.0, theme::TEXT);
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(author) = report.author.as_deref().filter(|a| !a.trim().is_empty()) {
        facts.push(("Author", author.to_string()));
    }
    if !report.generated_at.trim().is_empty() {
        facts.push(("Generated", report.generated_at.clone()));
    }
    facts.push(("Visualizations", report.visualizations.len().to_string()));
    let mut fy = geometry.height - margin - 34.0 * facts.len() as f32 + 10.0;
    for (name, text) in facts {
        canvas.text(margin, fy, &fonts::encode(name), label, Align::Left);
        canvas.text_fit(margin, fy + 14.0, &text, value, Align::Left, width);
        fy += 34.0;
    }
}

pub(crate) fn filters(
    canvas: &mut Canvas,
    geometry: Geometry,
    report: &Report,
    range: Range<usize>,
) {
    let content = geometry.content();
    let heading = Style::new(Font::Bold, 16.0, theme::TEXT);
    let text = if range.start > 0 {
        "Filters (continued)"
    } else {
        "Filters"
    };
    canvas.text(
        content.x,
        content.y + 18.0,
        &fonts::encode(text),
        heading,
        Align::Left,
    );
    let top = content.y + FILTER_HEADING_H;
    if range.is_empty() {
        let style = Style::new(Font::Regular, 10.0, theme::MUTED);
        canvas.text(
            content.x,
            top + 12.0,
            &fonts::encode("No filters applied"),
            style,
            Align::Left,
        );
        return;
    }
    let column_w = (content.w * 0.28).min(220.0);
    let column = Style::new(Font::Bold, 9.5, theme::TEXT);
    let description = Style::new(Font::Regular, 9.5, theme::TEXT);
    canvas.line(content.x, top, content.right(), top, theme::RULE, 0.6);
    for (k, filter) in report.filters[range].iter().enumerate() {
        let y = top + FILTER_ROW_H * k as f32;
        let baseline = y + 13.5;
        canvas.text_fit(
            content.x + 2.0,
            baseline,
            &filter.column,
            column,
            Align::Left,
            column_w - 10.0,
        );
        canvas.text_fit(
            content.x + column_w,
            baseline,
            &filter.description,
            description,
            Align::Left,
            content.w - column_w,
        );
        let bottom = y + FILTER_ROW_H;
        canvas.line(content.x, bottom, content.right(), bottom, theme::GRID, 0.5);
    }
}

pub(crate) fn no_visualizations(canvas: &mut Canvas, geometry: Geometry) {
    let content = geometry.content();
    let style = Style::new(Font::Regular, 11.0, theme::MUTED);
    canvas.text(
        content.x + content.w / 2.0,
        content.y + content.h / 2.0,
        &fonts::encode("This Liveboard has no visualizations."),
        style,
        Align::Center,
    );
}

/// Running header of every page but the cover: Liveboard title and logo.
pub(crate) fn header(canvas: &mut Canvas, geometry: Geometry, report: &Report, options: &Options) {
    let style = Style::new(Font::Bold, 9.0, theme::MUTED);
    let logo_w = if options.include_logo {
        let size = 13.0;
        let width = 1.25 * size + Font::Bold.measure(size * 0.72, "tspot");
        logo(canvas, geometry.width - MARGIN - width, MARGIN, size, true);
        width + 12.0
    } else {
        0.0
    };
    canvas.text_fit(
        MARGIN,
        MARGIN + 10.0,
        &report.title,
        style,
        Align::Left,
        geometry.width - 2.0 * MARGIN - logo_w,
    );
    let rule_y = MARGIN + HEADER_H - 8.0;
    canvas.line(
        MARGIN,
        rule_y,
        geometry.width - MARGIN,
        rule_y,
        theme::RULE,
        0.6,
    );
}

/// Footer of every page but the cover: footer text and "Page N of M".
pub(crate) fn footer(
    canvas: &mut Canvas,
    geometry: Geometry,
    options: &Options,
    number: usize,
    count: usize,
) {
    let top = geometry.height - MARGIN - FOOTER_H;
    canvas.line(
        MARGIN,
        top + 6.0,
        geometry.width - MARGIN,
        top + 6.0,
        theme::RULE,
        0.6,
    );
    let baseline = geometry.height - MARGIN - 2.0;
    let style = Style::new(Font::Regular, theme::NOTE_SIZE, theme::MUTED);
    let mut page_w = 0.0;
    if options.include_page_number {
        let text = fonts::encode(&format!("Page {number} of {count}"));
        page_w = canvas.text(
            geometry.width - MARGIN,
            baseline,
            &text,
            style,
            Align::Right,
        );
    }
    if let Some(footer) = options.footer_text.as_deref() {
        canvas.text_fit(
            MARGIN,
            baseline,
            footer,
            style,
            Align::Left,
            geometry.width - 2.0 * MARGIN - page_w - 20.0,
        );
    }
}
