//! Formatting of cell values and axis ticks.

use crate::model::Cell;

/// How a null (or non-finite number) is shown, as in ThoughtSpot tables.
pub(crate) const NULL_TEXT: &str = "{Null}";

/// Formats a number with thousands separators and at most two decimals,
/// dropping trailing zeros: `1234567.891` → `1,234,567.89`, `0.5` → `0.5`.
pub(crate) fn number(value: f64) -> String {
    if !value.is_finite() {
        return NULL_TEXT.to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let text = format!("{:.2}", rounded.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac_part.trim_end_matches('0');
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    out.push_str(&group_thousands(int_part));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Short form for axis labels: `2500` → `2.5K`, `3000000` → `3M`.
pub(crate) fn compact(value: f64) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e12 {
        (value / 1e12, "T")
    } else if abs >= 1e9 {
        (value / 1e9, "B")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e4 {
        (value / 1e3, "K")
    } else {
        (value, "")
    };
    format!("{}{suffix}", number(scaled))
}

/// Display text of a cell.
pub(crate) fn cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(value) => number(*value),
        Cell::Null => NULL_TEXT.to_string(),
    }
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

    #[test]
    fn numbers_get_separators_and_two_decimals() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(999.999), "1,000");
        assert_eq!(number(1234.5), "1,234.5");
        assert_eq!(number(1234567.891), "1,234,567.89");
        assert_eq!(number(-9876543.2), "-9,876,543.2");
        assert_eq!(number(f64::NAN), NULL_TEXT);
    }

    #[test]
    fn compact_axis_labels() {
        assert_eq!(compact(2500.0), "2,500");
        assert_eq!(compact(25000.0), "25K");
        assert_eq!(compact(3_000_000.0), "3M");
        assert_eq!(compact(-1_250_000_000.0), "-1.25B");
    }

    #[test]
    fn cells() {
        assert_eq!(cell(&Cell::Null), "{Null}");
        assert_eq!(cell(&Cell::Number(1e6)), "1,000,000");
        assert_eq!(numeric(&Cell::Text("1,234.5".into())), Some(1234.5));
        assert_eq!(numeric(&Cell::Text("east".into())), None);
        assert_eq!(numeric(&Cell::Number(f64::INFINITY)), None);
    }
}
