//! One visualization block: a card with the visualization's title and its
//! chart, table slice or filter values.

use crate::canvas::{Align, Canvas, Rect, Style};
use crate::chart;
use crate::fonts::Font;
use crate::format::Column;
use crate::model::Visual;
use crate::table;
use crate::theme;
use std::ops::Range;

/// Inner padding of a card.
pub(crate) const PAD: f32 = 9.0;
/// Height of the title line.
pub(crate) const TITLE_H: f32 = 18.0;
/// Height of the note line under a table.
pub(crate) const NOTE_H: f32 = 14.0;

/// What a block shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// A chart, headline or filter, drawn to fill the block.
    Chart,
    /// Rows `rows` of a table, then an optional note such as "Showing 20 of 40 rows".
    Table {
        rows: Range<usize>,
        note: Option<String>,
    },
}

/// A placed block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// Index into `Report::visualizations`.
    pub visual: usize,
    pub rect: Rect,
    /// A table continued from the previous page.
    pub continued: bool,
    pub body: Body,
}

/// Data rows that fit in a table block of height `block_h`.
pub(crate) fn table_rows_fitting(block_h: f32) -> usize {
    table::rows_fitting(block_h - 2.0 * PAD - TITLE_H - NOTE_H)
}

/// Height of a table block showing `rows` rows, with or without a note line.
pub(crate) fn table_block_height(rows: usize, note: bool) -> f32 {
    2.0 * PAD + TITLE_H + table::height(rows) + if note { NOTE_H } else { 0.0 } - 2.0
}

/// Height of a filter block of width `width`.
pub(crate) fn filter_block_height(visual: &Visual, width: f32) -> f32 {
    2.0 * PAD + TITLE_H + chart::filter_height(visual, width - 2.0 * PAD)
}

/// Draws `block` of `visual`; `formats` are its table columns' decimals choices
/// ([`table::formats`]).
pub(crate) fn draw(canvas: &mut Canvas, block: &Block, visual: &Visual, formats: &[Column]) {
    let r = block.rect;
    canvas.rounded_rect(r, 4.0, Some(theme::WHITE), Some((theme::CARD_BORDER, 0.8)));
    let inner = r.inset(PAD);
    let title = if block.continued {
        format!("{} (continued)", visual.title)
    } else {
        visual.title.clone()
    };
    let title_style = Style::new(Font::Bold, theme::TITLE_SIZE, theme::TEXT);
    canvas.text_fit(
        inner.x,
        inner.y + theme::TITLE_SIZE * 0.8,
        &title,
        title_style,
        Align::Left,
        inner.w,
    );
    let body = Rect::new(
        inner.x,
        inner.y + TITLE_H,
        inner.w,
        (inner.h - TITLE_H).max(0.0),
    );
    match &block.body {
        Body::Chart => chart::draw(canvas, body, visual),
        Body::Table { rows, note } => {
            table::draw(canvas, body, visual, formats, rows.clone());
            let note = note.as_deref().or(if visual.rows.is_empty() {
                Some("No data")
            } else {
                None
            });
            if let Some(note) = note {
                let style = Style::new(Font::Regular, theme::NOTE_SIZE, theme::MUTED);
                let y = body.y + table::height(rows.len()) + NOTE_H - 3.5;
                canvas.text_fit(body.x, y, note, style, Align::Left, body.w);
            }
        }
    }
}
