//! Headline: one big number with its label.

use super::message;
use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::format;
use crate::model::{Cell, Visual};
use crate::theme;

/// The headline value: the first numeric cell of the first row (or its
/// first cell), with the name of its column; numbers abbreviated (`34.76M`).
fn value(visual: &Visual) -> Option<(String, String)> {
    let row = visual.rows.first()?;
    let index = row
        .iter()
        .position(|c| matches!(c, Cell::Number(_)))
        .unwrap_or(0);
    let cell = row.get(index)?;
    let label = visual.column_names.get(index).cloned().unwrap_or_default();
    let text = match cell {
        // Abbreviated as ThoughtSpot shows headlines: 34.76M.
        Cell::Number(value) => format::headline(*value),
        other => format::cell(other),
    };
    Some((text, label))
}

pub(crate) fn draw(canvas: &mut Canvas, area: Rect, visual: &Visual) {
    let Some((text, label)) = value(visual) else {
        message(canvas, area, "No data");
        return;
    };
    let encoded = fonts::encode(&text);
    let mut size = (area.h * 0.34).min(54.0);
    while size > 8.0 && Font::Bold.width(size, &encoded) > area.w - 8.0 {
        size -= 1.0;
    }
    let big = Style::new(Font::Bold, size, theme::TEXT);
    let small = Style::new(Font::Regular, 9.0, theme::MUTED);
    let gap = 8.0 + size * 0.12;
    let block_h = size * 0.72 + gap + small.size;
    let top = area.y + (area.h - block_h) / 2.0;
    let cx = area.x + area.w / 2.0;
    let fitted = fonts::fit(big.font, big.size, &encoded, area.w);
    canvas.text(cx, top + size * 0.72, &fitted, big, Align::Center);
    canvas.text_fit(
        cx,
        top + size * 0.72 + gap + small.size,
        &label,
        small,
        Align::Center,
        area.w,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VisualKind;

    #[test]
    fn headline_numbers_are_abbreviated() {
        let visual = |cell: Cell| Visual {
            kind: VisualKind::Headline,
            column_names: vec!["Region".into(), "Total Sales".into()],
            rows: vec![vec!["east".into(), cell]],
            ..Visual::default()
        };
        assert_eq!(
            value(&visual(Cell::Number(34_761_234.0))),
            Some(("34.76M".into(), "Total Sales".into()))
        );
        assert_eq!(value(&visual(Cell::Number(512.5))).unwrap().0, "512.5");
        assert_eq!(value(&visual(Cell::Null)).unwrap().0, "east");
    }
}
