//! Pie chart of the first series, largest slice first, with a legend.

use super::{ChartData, message};
use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::{self, Font};
use crate::format::Column;
use crate::theme;
use std::f32::consts::TAU;

/// Slices beyond this many are merged into "Other".
const MAX_SLICES: usize = 8;

pub(crate) fn draw(canvas: &mut Canvas, area: Rect, data: &ChartData) {
    let mut slices: Vec<(String, f64)> = data
        .categories
        .iter()
        .zip(&data.series[0].values)
        .filter_map(|(c, v)| v.filter(|v| *v > 0.0).map(|v| (c.clone(), v)))
        .collect();
    if slices.is_empty() {
        message(canvas, area, "No positive values");
        return;
    }
    slices.sort_by(|a, b| b.1.total_cmp(&a.1));

    // Legend to the right when the area is wide, else below; at most as
    // many slices as legend lines fit, the rest merged into "Other".
    let entry_h = 12.0;
    let beside = area.w >= area.h * 0.9;
    let room = if beside { area.h } else { area.h * 0.45 };
    let max_slices = ((room / entry_h) as usize).clamp(2, MAX_SLICES);
    if slices.len() > max_slices {
        let other: f64 = slices[max_slices - 1..].iter().map(|s| s.1).sum();
        slices.truncate(max_slices - 1);
        slices.push(("Other".to_string(), other));
    }
    let total: f64 = slices.iter().map(|s| s.1).sum();
    let legend_h = (entry_h * slices.len() as f32).min(room);
    let (pie_area, legend_area) = if beside {
        let legend_w = (area.w * 0.45).min(220.0);
        (
            Rect::new(area.x, area.y, area.w - legend_w, area.h),
            Rect::new(
                area.right() - legend_w,
                area.y + (area.h - legend_h) / 2.0,
                legend_w,
                legend_h,
            ),
        )
    } else {
        let lw = (area.w * 0.9).min(240.0);
        (
            Rect::new(area.x, area.y, area.w, area.h - legend_h - 6.0),
            Rect::new(
                area.x + (area.w - lw) / 2.0,
                area.bottom() - legend_h,
                lw,
                legend_h,
            ),
        )
    };

    let radius = (pie_area.w.min(pie_area.h) / 2.0 - 4.0).max(4.0);
    let (cx, cy) = (pie_area.x + pie_area.w / 2.0, pie_area.y + pie_area.h / 2.0);
    let pct_style = Style::new(Font::Bold, (radius / 9.0).clamp(7.5, 12.0), theme::WHITE);
    let mut start = 0.0f32;
    for (i, (_, value)) in slices.iter().enumerate() {
        let sweep = (value / total) as f32 * TAU;
        let end = if i + 1 == slices.len() {
            TAU
        } else {
            start + sweep
        };
        canvas.wedge(
            (cx, cy),
            radius,
            (start, end),
            theme::series_color(i),
            Some((theme::WHITE, 1.0)),
        );
        if sweep >= 0.4 && radius >= 30.0 {
            let mid = (start + end) / 2.0;
            let (lx, ly) = (
                cx + radius * 0.64 * mid.sin(),
                cy - radius * 0.64 * mid.cos(),
            );
            let pct = fonts::encode(&percent(*value, total));
            canvas.text(
                lx,
                ly + pct_style.size * 0.35,
                &pct,
                pct_style,
                Align::Center,
            );
        }
        start = end;
    }

    let name_style = Style::new(Font::Regular, theme::LABEL_SIZE, theme::TEXT);
    let value_style = Style::new(Font::Regular, theme::LABEL_SIZE, theme::MUTED);
    // The legend's amounts are a column: one decimals choice.
    let amounts = Column::new(slices.iter().map(|s| s.1));
    for (i, (name, value)) in slices.iter().enumerate() {
        let y = legend_area.y + entry_h * i as f32;
        canvas.fill_rect(
            Rect::new(legend_area.x, y + 2.0, 7.0, 7.0),
            theme::series_color(i),
        );
        let amount = fonts::encode(&format!(
            "{} ({})",
            amounts.format(*value),
            percent(*value, total)
        ));
        let amount_w = canvas.text(
            legend_area.right(),
            y + 8.5,
            &amount,
            value_style,
            Align::Right,
        );
        canvas.text_fit(
            legend_area.x + 11.0,
            y + 8.5,
            name,
            name_style,
            Align::Left,
            (legend_area.w - 11.0 - amount_w - 6.0).max(0.0),
        );
    }
}

fn percent(value: f64, total: f64) -> String {
    format!("{:.1}%", value / total * 100.0)
}
