//! Value scales with "nice" ticks, grid lines and category labels.

use crate::canvas::{Align, Canvas, Style};
use crate::fonts::{self, Font};
use crate::format::Compact;
use crate::theme;

/// A linear value range with round tick values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<f64>,
    /// One unit and decimals choice for every tick label of the axis.
    labels: Compact,
}

impl Scale {
    /// A scale covering `lo..=hi` with about `target` ticks at multiples of
    /// 1, 2, 2.5 or 5 × 10^k.
    pub(crate) fn nice(lo: f64, hi: f64, target: usize) -> Self {
        let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        if (hi - lo).abs() < f64::EPSILON * hi.abs().max(1.0) {
            if lo == 0.0 {
                hi = 1.0;
            } else if lo > 0.0 {
                lo = 0.0;
            } else {
                hi = 0.0;
            }
        }
        let target = target.max(1);
        let raw = (hi - lo) / target as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        // The finest round step whose ticks (rounded outwards) stay within
        // one interval of the target count: less empty range than a step
        // chosen from the raw width alone.
        let step = [0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|&s| ((hi / s).ceil() - (lo / s).floor()) as usize <= target + 1)
            .unwrap_or(20.0 * magnitude);
        let min = (lo / step).floor() * step;
        let max = (hi / step).ceil() * step;
        let count = ((max - min) / step).round() as usize;
        let ticks = (0..=count)
            .map(|i| {
                let v = min + step * i as f64;
                // Clean accumulated error such as 0.30000000000000004.
                (v / step).round() * step
            })
            .collect::<Vec<f64>>();
        let labels = Compact::new(ticks.iter().copied());
        Self {
            min,
            max,
            ticks,
            labels,
        }
    }

    /// The label of `tick`, in the axis's one compact format (`0`, `2.5K`, `5.0K`).
    pub(crate) fn label(&self, tick: f64) -> String {
        self.labels.format(tick)
    }

    /// Maps `value` linearly onto `from..to` (screen coordinates).
    pub(crate) fn map(&self, value: f64, from: f32, to: f32) -> f32 {
        let t = if self.max > self.min {
            (value - self.min) / (self.max - self.min)
        } else {
            0.0
        };
        from + (to - from) * t as f32
    }

    /// The value bars grow from: zero when inside the range, else the nearest end.
    pub(crate) fn base(&self) -> f64 {
        0f64.clamp(self.min, self.max)
    }

    /// Widest tick label in `style`.
    pub(crate) fn label_width(&self, style: Style) -> f32 {
        self.ticks
            .iter()
            .map(|&t| style.width(&fonts::encode(&self.label(t))))
            .fold(0.0, f32::max)
    }
}

/// Style of axis and category labels.
pub(crate) fn label_style() -> Style {
    Style::new(Font::Regular, theme::LABEL_SIZE, theme::MUTED)
}

/// Style of axis titles.
pub(crate) fn title_style() -> Style {
    Style::new(Font::Bold, theme::LABEL_SIZE, theme::MUTED)
}

/// Every how-many-th of `count` category labels, `slot` apart, can be shown
/// without overlapping, given the widest label.
pub(crate) fn label_step(labels: &[String], slot: f32, style: Style) -> usize {
    let widest = labels
        .iter()
        .map(|l| style.width(&fonts::encode(l)))
        .fold(0.0, f32::max);
    // Labels may be truncated down to about 45 pt before we thin them out.
    let needed = widest.min(45.0) + 4.0;
    if slot <= 0.0 {
        return labels.len().max(1);
    }
    ((needed / slot).ceil() as usize).max(1)
}

/// Horizontal grid lines with value labels left of `plot_x`.
pub(crate) fn draw_horizontal_grid(
    canvas: &mut Canvas,
    scale: &Scale,
    plot_x: f32,
    plot_right: f32,
    top: f32,
    bottom: f32,
) {
    let style = label_style();
    for &tick in &scale.ticks {
        let y = scale.map(tick, bottom, top);
        let color = if tick == 0.0 {
            theme::AXIS
        } else {
            theme::GRID
        };
        canvas.line(plot_x, y, plot_right, y, color, 0.5);
        let text = fonts::encode(&scale.label(tick));
        canvas.text(
            plot_x - 4.0,
            y + style.size * 0.35,
            &text,
            style,
            Align::Right,
        );
    }
}

/// Vertical grid lines with value labels below `bottom`.
pub(crate) fn draw_vertical_grid(
    canvas: &mut Canvas,
    scale: &Scale,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
) {
    let style = label_style();
    let slot = (right - left) / scale.ticks.len().max(1) as f32;
    let step = label_step(
        &scale
            .ticks
            .iter()
            .map(|&t| scale.label(t))
            .collect::<Vec<_>>(),
        slot,
        style,
    );
    for (i, &tick) in scale.ticks.iter().enumerate() {
        let x = scale.map(tick, left, right);
        let color = if tick == 0.0 {
            theme::AXIS
        } else {
            theme::GRID
        };
        canvas.line(x, top, x, bottom, color, 0.5);
        if i % step == 0 {
            let text = fonts::encode(&scale.label(tick));
            canvas.text(x, bottom + style.size + 3.0, &text, style, Align::Center);
        }
    }
}

/// The axis titles of a one-series chart: the category name under the plot and the series name
/// turned up the left side.
pub(crate) fn draw_titles(
    canvas: &mut Canvas,
    area: crate::canvas::Rect,
    plot: crate::canvas::Rect,
    data: &super::ChartData,
    title: Style,
    category_title: bool,
    value_title: bool,
) {
    if category_title {
        canvas.text_fit(
            plot.x + plot.w / 2.0,
            area.bottom() - 1.5,
            &data.category_name,
            title,
            Align::Center,
            plot.w,
        );
    }
    if value_title {
        let text = fonts::fit(
            title.font,
            title.size,
            &fonts::encode(&data.series[0].name),
            plot.h,
        );
        canvas.text_vertical(area.x + title.size, plot.y + plot.h / 2.0, &text, title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks() {
        let s = Scale::nice(0.0, 97.0, 5);
        assert_eq!(s.ticks, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let s = Scale::nice(-30.0, 45.0, 5);
        assert_eq!(s.min, -40.0);
        assert_eq!(s.max, 60.0);
        let s = Scale::nice(0.0, 0.0, 5);
        assert_eq!(s.max, 1.0);
        let s = Scale::nice(5.0, 5.0, 5);
        assert_eq!(s.min, 0.0);
        assert!(s.max >= 5.0);
        assert_eq!(s.base(), 0.0);
        assert_eq!(s.map(s.max, 0.0, 100.0), 100.0);
    }

    #[test]
    fn one_label_format_per_axis() {
        let labels = |s: &Scale| s.ticks.iter().map(|&t| s.label(t)).collect::<Vec<_>>();
        let s = Scale::nice(0.0, 4800.0, 1);
        assert_eq!(s.ticks, [0.0, 2500.0, 5000.0]);
        assert_eq!(labels(&s), ["0", "2.5K", "5.0K"]);
        let s = Scale::nice(0.0, 4800.0, 2);
        assert_eq!(labels(&s), ["0", "2K", "4K", "6K"]);
        let s = Scale::nice(0.0, 97.0, 5);
        assert_eq!(s.label(100.0), "100");
    }
}
