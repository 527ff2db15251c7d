//! Formatting of cell values and axis ticks: the rules live in `tspot-format`, shared with the
//! command line, so a value reads the same in a PDF and in a terminal.

use crate::model::{Cell, Visual};
pub(crate) use tspot_format::{Column, Compact, headline, number};

/// How a null (or non-finite number) is shown, as in ThoughtSpot tables.
pub(crate) const NULL_TEXT: &str = tspot_format::NULL;

/// Display text of a cell on its own (filter values): numbers as [`number`].
pub(crate) fn cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(value) => number(*value),
        Cell::Null => NULL_TEXT.to_string(),
    }
}

/// Display text of a cell of a column formatted with `column`'s decimals choice.
pub(crate) fn cell_in(cell: &Cell, column: Column) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(value) => column.format(*value),
        Cell::Null => NULL_TEXT.to_string(),
    }
}

/// The decimals choice of column `index` of `visual`: over every number in it (all rows, so
/// the slices of a long table on several pages agree).
pub(crate) fn column_of(visual: &Visual, index: usize) -> Column {
    Column::new(visual.rows.iter().filter_map(|row| match row.get(index) {
        Some(Cell::Number(value)) => Some(*value),
        _ => None,
    }))
}

/// The decimals choice of every column of `visual`, `count` columns.
pub(crate) fn columns_of(visual: &Visual, count: usize) -> Vec<Column> {
    (0..count).map(|i| column_of(visual, i)).collect()
}

/// Numeric value of a cell: numbers, and text that parses as a number
/// (thousands separators allowed).
pub(crate) fn numeric(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(value) if value.is_finite() => Some(*value),
        Cell::Text(text) => {
            let cleaned: String = text.trim().chars().filter(|&c| c != ',').collect();
            cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VisualKind;

    #[test]
    fn numbers_get_separators_and_two_decimals() {
        assert_eq!(number(1234567.891), "1,234,567.89");
        assert_eq!(number(f64::NAN), NULL_TEXT);
    }

    #[test]
    fn cells() {
        assert_eq!(cell(&Cell::Null), "{Null}");
        assert_eq!(cell(&Cell::Number(1e6)), "1,000,000");
        assert_eq!(
            cell_in(&Cell::Number(2.0), Column::with_decimals(2)),
            "2.00"
        );
        assert_eq!(cell_in(&Cell::Text("x".into()), Column::default()), "x");
        assert_eq!(numeric(&Cell::Text("1,234.5".into())), Some(1234.5));
        assert_eq!(numeric(&Cell::Text("east".into())), None);
        assert_eq!(numeric(&Cell::Number(f64::INFINITY)), None);
    }

    #[test]
    fn one_decimals_choice_per_column() {
        let visual = Visual {
            kind: VisualKind::Table,
            column_names: vec!["a".into(), "b".into()],
            rows: vec![
                vec![Cell::Number(1.5), Cell::Number(1.0)],
                vec![Cell::Number(2.0), Cell::Null],
                vec![Cell::Number(3.25), "x".into()],
            ],
            ..Visual::default()
        };
        let columns = columns_of(&visual, 2);
        assert_eq!(columns[0].decimals(), 2);
        assert_eq!(columns[1].decimals(), 0);
        assert_eq!(cell_in(&visual.rows[1][0], columns[0]), "2.00");
    }
}
