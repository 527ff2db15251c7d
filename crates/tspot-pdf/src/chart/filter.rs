//! A filter visualization: its column and the chosen values as a small block.

use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::format;
use crate::model::Visual;
use crate::theme;

const MAX_LINES: usize = 4;
const LINE_H: f32 = 11.0;

fn column(visual: &Visual) -> String {
    visual
        .column_names
        .first()
        .cloned()
        .unwrap_or_else(|| visual.title.clone())
}

/// Distinct values of the first column, in order, or "All values" when none.
fn values(visual: &Visual) -> String {
    let mut seen: Vec<String> = Vec::new();
    for row in &visual.rows {
        if let Some(cell) = row.first() {
            let text = format::cell(cell);
            if !seen.contains(&text) {
                seen.push(text);
            }
        }
    }
    if seen.is_empty() {
        "All values".to_string()
    } else {
        seen.join(", ")
    }
}

/// Height of the block body for `width`.
pub(crate) fn height(visual: &Visual, width: f32) -> f32 {
    let lines = fonts::wrap(
        Font::Regular,
        theme::LABEL_SIZE + 1.0,
        &values(visual),
        width,
        MAX_LINES,
    );
    12.0 + LINE_H * lines.len() as f32 + 4.0
}

pub(crate) fn draw(canvas: &mut Canvas, area: Rect, visual: &Visual) {
    let head = Style::new(Font::Bold, theme::LABEL_SIZE + 0.5, theme::MUTED);
    let body = Style::new(Font::Regular, theme::LABEL_SIZE + 1.0, theme::TEXT);
    canvas.text_fit(
        area.x,
        area.y + 8.0,
        &column(visual),
        head,
        Align::Left,
        area.w,
    );
    let max_lines = (((area.h - 12.0) / LINE_H) as usize).clamp(1, MAX_LINES);
    let lines = fonts::wrap(body.font, body.size, &values(visual), area.w, max_lines);
    for (i, line) in lines.iter().enumerate() {
        let baseline = area.y + 12.0 + LINE_H * (i as f32 + 1.0) - 2.0;
        canvas.text(area.x, baseline, line, body, Align::Left);
    }
}
