//! Column (vertical bars) and bar (horizontal bars) charts.

use super::axis::{self, Scale};
use super::{ChartData, corner_note, legend};
use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::format::Compact;
use crate::theme;

/// Narrowest column group before categories are dropped.
const MIN_GROUP: f32 = 4.0;
/// Thinnest bar row before categories are dropped.
const MIN_ROW: f32 = 7.0;
/// Thickest bar row; a short bar chart on a big page keeps to the top.
const MAX_ROW: f32 = 30.0;
/// Widest single column.
const MAX_BAR: f32 = 44.0;

/// Series names for the legend (only drawn with two series or more).
fn with_legend(canvas: &mut Canvas, area: Rect, data: &ChartData) -> Rect {
    if data.series.len() > 1 {
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        legend::draw_top(canvas, area, &names)
    } else {
        area
    }
}

/// The format of the value labels of the first `shown` bars of the first series: one decimals
/// choice, each value in its own unit.
fn labels(data: &ChartData, shown: usize) -> Compact {
    Compact::each(data.series[0].values[..shown].iter().flatten().copied())
}

/// A scale over the first `shown` categories, always including zero.
fn scale_of(data: &ChartData, shown: usize, ticks: usize) -> Scale {
    let (lo, hi) = data
        .series
        .iter()
        .flat_map(|s| s.values[..shown].iter().flatten())
        .fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    Scale::nice(lo, hi, ticks)
}

/// Vertical bars, one group per category, one bar per series.
pub(crate) fn draw_columns(canvas: &mut Canvas, area: Rect, data: &ChartData) {
    let area = with_legend(canvas, area, data);
    let label = axis::label_style();
    let title = axis::title_style();
    let ticks = ((area.h / 28.0) as usize).clamp(2, 6);
    // First pass over every value to size the tick labels.
    let scale = scale_of(data, data.categories.len(), ticks);

    let y_title_w = if data.series.len() == 1 { 11.0 } else { 0.0 };
    let plot_x = area.x + y_title_w + scale.label_width(label) + 6.0;
    let x_labels_h = label.size + 5.0;
    let x_title_h = if data.category_name.is_empty() {
        0.0
    } else {
        11.0
    };
    let plot = Rect::new(
        plot_x,
        area.y + 8.0,
        (area.right() - plot_x - 2.0).max(1.0),
        (area.h - 8.0 - x_labels_h - x_title_h).max(1.0),
    );

    let total = data.categories.len();
    let shown = total.min(((plot.w / MIN_GROUP) as usize).max(1));
    if shown < total {
        corner_note(canvas, area, &format!("Showing {shown} of {total}"));
    }
    let scale = scale_of(data, shown, ticks);

    axis::draw_horizontal_grid(canvas, &scale, plot.x, plot.right(), plot.y, plot.bottom());

    let group = plot.w / shown as f32;
    let bar_w = (group * 0.72 / data.series.len() as f32).min(MAX_BAR);
    let inner = bar_w * data.series.len() as f32;
    let base_y = scale.map(scale.base(), plot.bottom(), plot.y);
    let value_style = Style::new(Font::Regular, 6.5, theme::MUTED);
    let value_labels = labels(data, shown);
    for i in 0..shown {
        let gx = plot.x + group * i as f32 + (group - inner) / 2.0;
        for (j, series) in data.series.iter().enumerate() {
            let Some(value) = series.values[i] else {
                continue;
            };
            let y = scale.map(value, plot.bottom(), plot.y);
            let x = gx + bar_w * j as f32;
            let (top, bottom) = if y < base_y { (y, base_y) } else { (base_y, y) };
            canvas.fill_rect(
                Rect::new(x, top, bar_w.max(0.5), (bottom - top).max(0.3)),
                theme::series_color(j),
            );
            if data.series.len() == 1 && shown <= 40 {
                let text = fonts::encode(&value_labels.format(value));
                if value_style.width(&text) <= group - 1.0 {
                    let ty = if value >= 0.0 {
                        top - 2.5
                    } else {
                        bottom + 7.0
                    };
                    canvas.text(x + bar_w / 2.0, ty, &text, value_style, Align::Center);
                }
            }
        }
    }
    canvas.line(plot.x, base_y, plot.right(), base_y, theme::AXIS, 0.7);

    // Category labels, thinned out when they would overlap.
    let step = axis::label_step(&data.categories[..shown], group, label);
    for i in (0..shown).step_by(step) {
        let cx = plot.x + group * (i as f32 + 0.5);
        canvas.text_fit(
            cx,
            plot.bottom() + label.size + 3.0,
            &data.categories[i],
            label,
            Align::Center,
            group * step as f32 - 3.0,
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

/// Horizontal bars, one row per category (top to bottom), one bar per series.
pub(crate) fn draw_bars(canvas: &mut Canvas, area: Rect, data: &ChartData) {
    let area = with_legend(canvas, area, data);
    let label = axis::label_style();
    let title = axis::title_style();
    let ticks = ((area.w / 40.0) as usize).clamp(2, 8);

    let widest = data
        .categories
        .iter()
        .map(|c| label.width(&fonts::encode(c)))
        .fold(0.0, f32::max);
    let labels_w = (widest + 6.0).min(area.w * 0.3);
    let x_title_h = if data.series.len() == 1 { 11.0 } else { 0.0 };
    let mut plot = Rect::new(
        area.x + labels_w,
        area.y + 4.0,
        (area.w - labels_w - 14.0).max(1.0),
        (area.h - 4.0 - label.size - 5.0 - x_title_h).max(1.0),
    );

    let total = data.categories.len();
    let shown = total.min(((plot.h / MIN_ROW) as usize).max(1));
    if shown < total {
        corner_note(canvas, area, &format!("Showing {shown} of {total}"));
    }
    let row = (plot.h / shown as f32).min(MAX_ROW);
    plot.h = row * shown as f32;
    let scale = scale_of(data, shown, ticks);

    axis::draw_vertical_grid(canvas, &scale, plot.x, plot.right(), plot.y, plot.bottom());

    let inner = row * 0.72;
    let bar_h = inner / data.series.len() as f32;
    let base_x = scale.map(scale.base(), plot.x, plot.right());
    let label_size = label.size.min(row * 0.85);
    let row_label = Style::new(label.font, label_size, theme::TEXT);
    let value_style = Style::new(Font::Regular, 6.5_f32.min(row * 0.8), theme::MUTED);
    let value_labels = labels(data, shown);
    for i in 0..shown {
        let ry = plot.y + row * i as f32;
        canvas.text_fit(
            plot.x - 4.0,
            ry + row / 2.0 + label_size * 0.35,
            &data.categories[i],
            row_label,
            Align::Right,
            labels_w - 6.0,
        );
        for (j, series) in data.series.iter().enumerate() {
            let Some(value) = series.values[i] else {
                continue;
            };
            let x = scale.map(value, plot.x, plot.right());
            let y = ry + (row - inner) / 2.0 + bar_h * j as f32;
            let (left, right) = if x < base_x { (x, base_x) } else { (base_x, x) };
            canvas.fill_rect(
                Rect::new(left, y, (right - left).max(0.3), bar_h.max(0.5)),
                theme::series_color(j),
            );
            if data.series.len() == 1 && bar_h >= 5.0 {
                let text = fonts::encode(&value_labels.format(value));
                let w = value_style.width(&text);
                let baseline = y + bar_h / 2.0 + value_style.size * 0.35;
                if value >= 0.0 && right + 2.0 + w <= area.right() {
                    canvas.text(right + 2.0, baseline, &text, value_style, Align::Left);
                } else if value < 0.0 && left - 2.0 - w >= plot.x {
                    canvas.text(left - 2.0, baseline, &text, value_style, Align::Right);
                }
            }
        }
    }
    canvas.line(base_x, plot.y, base_x, plot.bottom(), theme::AXIS, 0.7);
    if x_title_h > 0.0 {
        canvas.text_fit(
            plot.x + plot.w / 2.0,
            plot.bottom() + label.size + 13.5,
            &data.series[0].name,
            title,
            Align::Center,
            plot.w,
        );
    }
}
