//! Tables: header row, grid lines, striped rows, numbers right-aligned, long
//! text cut with an ellipsis. A table may be drawn in slices of rows, one per
//! page; column widths depend on the whole table so slices line up.

use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::format::{self, Column};
use crate::model::{Cell, Visual};
use crate::theme;
use std::ops::Range;

/// Height of the header row.
pub(crate) const HEADER_H: f32 = 18.0;
/// Height of a data row.
pub(crate) const ROW_H: f32 = 14.0;
/// Horizontal cell padding.
const PAD: f32 = 4.0;
/// Narrowest column.
const MIN_COL: f32 = 28.0;
/// Natural width above which a column is the first to give up room.
const MAX_NATURAL: f32 = 200.0;
/// Rows sampled to size the columns.
const SAMPLE_ROWS: usize = 200;

/// How many data rows fit under the header in `height`.
pub(crate) fn rows_fitting(height: f32) -> usize {
    ((height - HEADER_H) / ROW_H).floor().max(0.0) as usize
}

/// Height of a table slice of `rows` rows.
pub(crate) fn height(rows: usize) -> f32 {
    HEADER_H + ROW_H * rows as f32
}

fn cell_style() -> Style {
    Style::new(Font::Regular, theme::LABEL_SIZE, theme::TEXT)
}

fn header_style() -> Style {
    Style::new(Font::Bold, theme::LABEL_SIZE, theme::TEXT)
}

fn column_count(visual: &Visual) -> usize {
    visual
        .rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(visual.column_names.len())
}

/// The decimals choice of each column of a table visualization (over all its rows); none for
/// visualizations drawn as charts.
pub(crate) fn formats(visual: &Visual) -> Vec<Column> {
    if crate::layout::is_table(&visual.kind) {
        format::columns_of(visual, column_count(visual))
    } else {
        Vec::new()
    }
}

/// A column is numeric when most of its non-null cells are numbers.
fn numeric_columns(visual: &Visual, count: usize) -> Vec<bool> {
    (0..count)
        .map(|i| {
            let (mut numbers, mut others) = (0usize, 0usize);
            for row in visual.rows.iter().take(SAMPLE_ROWS) {
                match row.get(i) {
                    Some(Cell::Number(_)) => numbers += 1,
                    Some(Cell::Text(_)) => others += 1,
                    _ => {}
                }
            }
            numbers > 0 && numbers >= others
        })
        .collect()
}

/// Column widths filling `total`. Each column wants its widest content
/// (header or sampled cells); when everything fits, the spare width is shared
/// proportionally. Otherwise long texts are first capped, the remaining room
/// goes to the capped columns, and if even the capped widths do not fit the
/// columns shrink towards [`MIN_COL`] (less with very many columns).
fn column_widths(visual: &Visual, formats: &[Column], count: usize, total: f32) -> Vec<f32> {
    let (cell, header) = (cell_style(), header_style());
    let min = MIN_COL.min(total / count.max(1) as f32);
    let desired: Vec<f32> = (0..count)
        .map(|i| {
            let head = visual
                .column_names
                .get(i)
                .map_or(0.0, |n| header.width(&fonts::encode(n)));
            let body = visual
                .rows
                .iter()
                .take(SAMPLE_ROWS)
                .filter_map(|row| row.get(i))
                .map(|c| {
                    let column = formats.get(i).copied().unwrap_or_default();
                    cell.width(&fonts::encode(&format::cell_in(c, column)))
                })
                .fold(0.0, f32::max);
            (head.max(body) + 2.0 * PAD).max(min)
        })
        .collect();
    let wanted: f32 = desired.iter().sum();
    if wanted <= total {
        return desired.iter().map(|w| w * total / wanted).collect();
    }
    // Long texts should not starve the other columns.
    let capped: Vec<f32> = desired.iter().map(|w| w.min(MAX_NATURAL)).collect();
    let sum: f32 = capped.iter().sum();
    if sum <= total {
        let deficit = wanted - sum;
        let spare = total - sum;
        return capped
            .iter()
            .zip(&desired)
            .map(|(c, d)| c + (d - c) * spare / deficit)
            .collect();
    }
    let flexible: f32 = capped.iter().map(|w| w - min).sum();
    let excess = sum - total;
    capped
        .iter()
        .map(|w| w - (w - min) * (excess / flexible.max(f32::EPSILON)).min(1.0))
        .collect()
}

/// Draws the header and rows `rows` of `visual` from the top of `area`, numbers with the
/// decimals choice of their column in `formats` ([`formats`]).
pub(crate) fn draw(
    canvas: &mut Canvas,
    area: Rect,
    visual: &Visual,
    formats: &[Column],
    rows: Range<usize>,
) {
    let count = column_count(visual);
    if count == 0 {
        return;
    }
    let widths = column_widths(visual, formats, count, area.w);
    let numeric = numeric_columns(visual, count);
    let (cell, header) = (cell_style(), header_style());
    let null = Style::new(Font::Regular, theme::LABEL_SIZE, theme::FAINT);
    let shown = rows.len();
    let table_h = height(shown);

    canvas.fill_rect(
        Rect::new(area.x, area.y, area.w, HEADER_H),
        theme::TABLE_HEADER_BG,
    );
    for (k, _) in rows.clone().enumerate() {
        if k % 2 == 1 {
            let y = area.y + HEADER_H + ROW_H * k as f32;
            canvas.fill_rect(Rect::new(area.x, y, area.w, ROW_H), theme::TABLE_STRIPE);
        }
    }

    // Header text.
    let mut x = area.x;
    for (i, &w) in widths.iter().enumerate() {
        let name = visual.column_names.get(i).map_or("", String::as_str);
        let (ax, align) = if numeric[i] {
            (x + w - PAD, Align::Right)
        } else {
            (x + PAD, Align::Left)
        };
        canvas.text_fit(ax, area.y + 12.0, name, header, align, w - 2.0 * PAD);
        x += w;
    }

    // Cells.
    for (k, r) in rows.enumerate() {
        let baseline = area.y + HEADER_H + ROW_H * k as f32 + 9.8;
        let row = &visual.rows[r];
        let mut x = area.x;
        for (i, &w) in widths.iter().enumerate() {
            let value = row.get(i).unwrap_or(&Cell::Null);
            let text = format::cell_in(value, formats.get(i).copied().unwrap_or_default());
            let style = if matches!(value, Cell::Null) {
                null
            } else {
                cell
            };
            let right = numeric[i] || matches!(value, Cell::Number(_));
            let (ax, align) = if right {
                (x + w - PAD, Align::Right)
            } else {
                (x + PAD, Align::Left)
            };
            canvas.text_fit(ax, baseline, &text, style, align, w - 2.0 * PAD);
            x += w;
        }
    }

    // Grid: horizontal rules between rows, vertical rules between columns, outline.
    for k in 1..=shown {
        let y = area.y + HEADER_H + ROW_H * (k - 1) as f32;
        canvas.line(area.x, y, area.right(), y, theme::TABLE_GRID, 0.4);
    }
    let mut x = area.x;
    for &w in &widths[..widths.len() - 1] {
        x += w;
        canvas.line(x, area.y, x, area.y + table_h, theme::TABLE_GRID, 0.4);
    }
    canvas.stroke_rect(
        Rect::new(area.x, area.y, area.w, table_h),
        theme::TABLE_GRID,
        0.6,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VisualKind;

    fn visual(columns: usize) -> Visual {
        Visual {
            id: "t".into(),
            title: "t".into(),
            kind: VisualKind::Table,
            column_names: (0..columns).map(|i| format!("Column {i}")).collect(),
            rows: vec![(0..columns).map(|i| Cell::Number(i as f64)).collect()],
            total_rows: 1,
        }
    }

    #[test]
    fn widths_fill_the_table() {
        for columns in [1, 3, 12, 60] {
            let v = visual(columns);
            let widths = column_widths(&v, &formats(&v), columns, 500.0);
            let sum: f32 = widths.iter().sum();
            assert!((sum - 500.0).abs() < 0.5, "{columns}: {sum}");
        }
    }

    #[test]
    fn rows_fit() {
        assert_eq!(rows_fitting(HEADER_H + ROW_H * 10.0 + 1.0), 10);
        assert_eq!(rows_fitting(5.0), 0);
    }
}
