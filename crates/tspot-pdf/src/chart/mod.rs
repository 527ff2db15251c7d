//! Chart drawing: turns a visualization's rows into series and dispatches to
//! the drawer of its kind. Everything is vector graphics plus real text.

mod axis;
mod bars;
mod filter;
mod headline;
mod legend;
mod line;
mod pie;

use crate::canvas::{Align, Canvas, Rect, Style};
use crate::fonts::Font;
use crate::format;
use crate::model::{Visual, VisualKind};
use crate::theme;

/// At most this many series are drawn (more would be unreadable).
const MAX_SERIES: usize = 8;

/// A visualization's data shaped for charts: the first column gives the
/// categories, every following column with numbers is a series.
pub(crate) struct ChartData {
    pub category_name: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

pub(crate) struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl ChartData {
    pub(crate) fn from_visual(visual: &Visual) -> Self {
        let width = visual
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(visual.column_names.len());
        let name = |i: usize| {
            visual
                .column_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("Column {}", i + 1))
        };
        let column = |i: usize| -> Vec<Option<f64>> {
            visual
                .rows
                .iter()
                .map(|row| row.get(i).and_then(format::numeric))
                .collect()
        };
        if width == 1 {
            return Self {
                category_name: String::new(),
                categories: (1..=visual.rows.len()).map(|i| i.to_string()).collect(),
                series: vec![Series {
                    name: name(0),
                    values: column(0),
                }],
            };
        }
        // Numeric categories are a column: one decimals choice.
        let category_format = format::column_of(visual, 0);
        let categories = visual
            .rows
            .iter()
            .map(|row| {
                row.first()
                    .map(|c| format::cell_in(c, category_format))
                    .unwrap_or_default()
            })
            .collect();
        let series = (1..width)
            .map(|i| Series {
                name: name(i),
                values: column(i),
            })
            .filter(|s| s.values.iter().any(Option::is_some))
            .take(MAX_SERIES)
            .collect();
        Self {
            category_name: if width == 0 { String::new() } else { name(0) },
            categories,
            series,
        }
    }

    /// True when there is nothing to plot.
    pub(crate) fn is_empty(&self) -> bool {
        self.categories.is_empty() || self.series.is_empty()
    }

    /// Every plotted value.
    pub(crate) fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
    }
}

/// Draws the body of a chart-like visualization inside `area`.
pub(crate) fn draw(canvas: &mut Canvas, area: Rect, visual: &Visual) {
    match visual.kind {
        VisualKind::Headline => headline::draw(canvas, area, visual),
        VisualKind::Filter => filter::draw(canvas, area, visual),
        VisualKind::Column => with_data(canvas, area, visual, bars::draw_columns),
        VisualKind::Bar => with_data(canvas, area, visual, bars::draw_bars),
        VisualKind::Line => with_data(canvas, area, visual, |c, a, d| line::draw(c, a, d, false)),
        VisualKind::Area => with_data(canvas, area, visual, |c, a, d| line::draw(c, a, d, true)),
        VisualKind::Pie => with_data(canvas, area, visual, pie::draw),
        // Tables are laid out and drawn by `table`.
        VisualKind::Table | VisualKind::Other(_) => {}
    }
}

/// Rough height a filter block needs for its values.
pub(crate) fn filter_height(visual: &Visual, width: f32) -> f32 {
    filter::height(visual, width)
}

fn with_data(
    canvas: &mut Canvas,
    area: Rect,
    visual: &Visual,
    draw: impl FnOnce(&mut Canvas, Rect, &ChartData),
) {
    let data = ChartData::from_visual(visual);
    if data.is_empty() {
        message(canvas, area, "No data");
    } else {
        draw(canvas, area, &data);
    }
}

/// A centred grey message in place of a chart.
pub(crate) fn message(canvas: &mut Canvas, area: Rect, text: &str) {
    let style = Style::new(Font::Regular, 10.0, theme::FAINT);
    canvas.text_fit(
        area.x + area.w / 2.0,
        area.y + area.h / 2.0 + 3.0,
        text,
        style,
        Align::Center,
        area.w,
    );
}

/// A small grey note in the top-right corner of a chart ("Showing 50 of 80").
fn corner_note(canvas: &mut Canvas, area: Rect, text: &str) {
    let style = Style::new(Font::Regular, 6.5, theme::FAINT);
    canvas.text_fit(
        area.right(),
        area.y + 6.5,
        text,
        style,
        Align::Right,
        area.w,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    #[test]
    fn first_column_is_category_and_numeric_columns_are_series() {
        let visual = Visual {
            id: "v".into(),
            title: "t".into(),
            kind: VisualKind::Column,
            column_names: vec!["Region".into(), "Note".into(), "Sales".into()],
            rows: vec![
                vec!["east".into(), "x".into(), Cell::Number(3.0)],
                vec!["west".into(), "y".into(), Cell::Null],
            ],
            total_rows: 2,
        };
        let data = ChartData::from_visual(&visual);
        assert_eq!(data.categories, ["east", "west"]);
        assert_eq!(data.series.len(), 1);
        assert_eq!(data.series[0].name, "Sales");
        assert_eq!(data.series[0].values, [Some(3.0), None]);
    }
}
