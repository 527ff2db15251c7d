//! Line and area charts: one polyline per series with point markers; the
//! area variant fills translucently down to the baseline.

use super::axis::{self, Scale};
use super::{ChartData, legend};
use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::format::Compact;
use crate::theme;

/// Markers are drawn up to this many points per series.
const MAX_MARKERS: usize = 80;

pub(crate) fn draw(canvas: &mut Canvas, area: Rect, data: &ChartData, filled: bool) {
    let area = if data.series.len() > 1 {
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        legend::draw_top(canvas, area, &names)
    } else {
        area
    };
    let label = axis::label_style();
    let title = axis::title_style();
    let (mut lo, mut hi) = data
        .values()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    // Areas always start at zero; lines do when zero is not far away.
    if filled || (lo > 0.0 && lo <= hi * 0.5) {
        lo = lo.min(0.0);
    }
    if filled && hi < 0.0 {
        hi = 0.0;
    }
    let ticks = ((area.h / 28.0) as usize).clamp(2, 6);
    let scale = Scale::nice(lo, hi, ticks);

    let y_title_w = if data.series.len() == 1 { 11.0 } else { 0.0 };
    let plot_x = area.x + y_title_w + scale.label_width(label) + 6.0;
    let x_title_h = if data.category_name.is_empty() {
        0.0
    } else {
        11.0
    };
    let plot = Rect::new(
        plot_x,
        area.y + 8.0,
        (area.right() - plot_x - 4.0).max(1.0),
        (area.h - 8.0 - label.size - 5.0 - x_title_h).max(1.0),
    );
    axis::draw_horizontal_grid(canvas, &scale, plot.x, plot.right(), plot.y, plot.bottom());

    let n = data.categories.len();
    let step = plot.w / n as f32;
    let x_of = |i: usize| plot.x + step * (i as f32 + 0.5);
    let base_y = scale.map(scale.base(), plot.bottom(), plot.y);

    for (j, series) in data.series.iter().enumerate() {
        let color = theme::series_color(j);
        for run in runs(&series.values) {
            let points: Vec<(f32, f32)> = run
                .map(|i| {
                    (
                        x_of(i),
                        scale.map(series.values[i].unwrap_or(0.0), plot.bottom(), plot.y),
                    )
                })
                .collect();
            if filled && points.len() > 1 {
                let mut polygon = points.clone();
                polygon.push((points[points.len() - 1].0, base_y));
                polygon.push((points[0].0, base_y));
                canvas.fill_polygon(&polygon, color, true);
            }
            canvas.polyline(&points, color, 1.6);
            if n <= MAX_MARKERS || points.len() == 1 {
                let r = if n <= 24 { 2.4 } else { 1.6 };
                for &(x, y) in &points {
                    canvas.circle(x, y, r, color, Some((theme::WHITE, 0.7)));
                }
            }
        }
    }

    // Value labels above the points of a single short series.
    if data.series.len() == 1 && n <= 16 {
        let style = Style::new(Font::Regular, 6.5, theme::MUTED);
        let values = &data.series[0].values;
        let labels = Compact::each(values.iter().flatten().copied());
        for (i, value) in values.iter().enumerate() {
            if let Some(value) = *value {
                let text = fonts::encode(&labels.format(value));
                if style.width(&text) <= step - 1.0 {
                    let y = scale.map(value, plot.bottom(), plot.y);
                    let at = |k: Option<usize>| k.and_then(|k| values.get(k).copied().flatten());
                    let (x, baseline, align) =
                        label_position(x_of(i), y, value, at(i.checked_sub(1)), at(Some(i + 1)));
                    canvas.text(x, baseline, &text, style, align);
                }
            }
        }
    }

    let label_step = axis::label_step(&data.categories, step, label);
    for i in (0..n).step_by(label_step) {
        canvas.text_fit(
            x_of(i),
            plot.bottom() + label.size + 3.0,
            &data.categories[i],
            label,
            Align::Center,
            step * label_step as f32 - 3.0,
        );
    }
    axis::draw_titles(
        canvas,
        area,
        plot,
        data,
        title,
        x_title_h > 0.0,
        y_title_w > 0.0,
    );
}

/// Where a point's value label goes so that the line does not cross it:
/// above peaks, below valleys, upper-left on a rise, upper-right on a fall.
fn label_position(
    x: f32,
    y: f32,
    value: f64,
    prev: Option<f64>,
    next: Option<f64>,
) -> (f32, f32, Align) {
    let neighbours = [prev, next];
    let present = || neighbours.iter().flatten();
    if present().all(|&n| n <= value) {
        (x, y - 4.5, Align::Center)
    } else if present().all(|&n| n >= value) {
        (x, y + 10.0, Align::Center)
    } else if prev < next {
        (x - 3.5, y - 2.5, Align::Right)
    } else {
        (x + 3.5, y - 2.5, Align::Left)
    }
}

/// Index ranges of consecutive non-null values (nulls break the line).
fn runs(values: &[Option<f64>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, v) in values.iter().enumerate() {
        match (v.is_some(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..values.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn nulls_split_runs() {
        assert_eq!(runs(&[Some(1.0), Some(2.0), None, Some(3.0)]), [0..2, 3..4]);
        assert!(runs(&[None, None]).is_empty());
    }
}
