//! A one-line legend of coloured squares and series names.

use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::theme;

/// Height taken by a legend line.
pub(crate) const HEIGHT: f32 = 14.0;

/// Draws one entry per name along the top of `area` (names are shortened to
/// fit) and returns the area left below it.
pub(crate) fn draw_top(canvas: &mut Canvas, area: Rect, names: &[&str]) -> Rect {
    let style = Style::new(Font::Regular, theme::LABEL_SIZE, theme::TEXT);
    let swatch = 7.0;
    let per_entry = (area.w / names.len().max(1) as f32).max(30.0);
    let mut x = area.x;
    for (i, name) in names.iter().enumerate() {
        let max_text = (per_entry - swatch - 12.0).max(10.0);
        let text = fonts::fit(style.font, style.size, &fonts::encode(name), max_text);
        let needed = swatch + 4.0 + style.width(&text) + 10.0;
        if x + needed > area.right() + 10.0 {
            break;
        }
        canvas.fill_rect(
            Rect::new(x, area.y + 2.0, swatch, swatch),
            theme::series_color(i),
        );
        canvas.text(x + swatch + 4.0, area.y + 8.5, &text, style, Align::Left);
        x += needed;
    }
    Rect::new(area.x, area.y + HEIGHT, area.w, (area.h - HEIGHT).max(0.0))
}
