//! Numbers: thousands separators, at most two decimals, one decimals choice per column or
//! axis, K/M/B/T abbreviations for axes and headlines.

/// How a null (or a NaN or infinite number) is shown, as in ThoughtSpot tables.
pub const NULL: &str = "{Null}";

/// The most decimals any number is shown with.
pub const MAX_DECIMALS: u8 = 2;

/// The decimals (0, 1 or 2) `value` needs once rounded to two decimals: `3` → 0, `2.5` → 1,
/// `3.25` → 2, `1.999` → 0 (it rounds to `2.00`). Non-finite values need none.
pub fn decimals_needed(value: f64) -> u8 {
    if !value.is_finite() {
        return 0;
    }
    // The fraction alone, so that huge values (whose hundredths a double cannot hold) are exact.
    let hundredths = (value.fract().abs() * 100.0).round();
    if hundredths % 100.0 == 0.0 {
        0
    } else if hundredths % 10.0 == 0.0 {
        1
    } else {
        2
    }
}

/// `value` with thousands separators and exactly `decimals` decimals (at most
/// [`MAX_DECIMALS`]), rounded half away from zero: `fixed(1234.5, 2)` → `1,234.50`. A value
/// that rounds to zero has no minus sign; NaN and infinities are [`NULL`].
pub fn fixed(value: f64, decimals: u8) -> String {
    if !value.is_finite() {
        return NULL.to_string();
    }
    let decimals = usize::from(decimals.min(MAX_DECIMALS));
    // Whole part and fraction apart: exact at any magnitude.
    let one = 10u64.pow(decimals as u32);
    let mut whole = value.abs().trunc();
    let mut fraction = (value.abs().fract() * one as f64).round() as u64;
    if fraction >= one {
        whole += 1.0;
        fraction -= one;
    }
    let int_part = format!("{whole:.0}");
    let mut out = String::with_capacity(int_part.len() + int_part.len() / 3 + 4);
    if value < 0.0 && (whole != 0.0 || fraction != 0) {
        out.push('-');
    }
    group_thousands(&int_part, &mut out);
    if decimals > 0 {
        out.push('.');
        out.push_str(&format!("{fraction:0decimals$}"));
    }
    out
}

fn group_thousands(digits: &str, out: &mut String) {
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
}

/// One number on its own: thousands separators and at most two decimals, trailing zeros
/// dropped: `1234567.891` → `1,234,567.89`, `0.5` → `0.5`, `999.999` → `1,000`.
pub fn number(value: f64) -> String {
    fixed(value, decimals_needed(value))
}

/// The decimals choice of a table column: the fewest decimals (0, 1 or 2) that show every value
/// of the column to two decimals, used for every value, so the decimal points line up:
/// `[1.5, 2, 3.25]` → `1.50`, `2.00`, `3.25`; `[1, 2, 3]` → `1`, `2`, `3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Column {
    decimals: u8,
}

impl Column {
    /// The choice for a column holding `values` (NaN and infinities are ignored).
    pub fn new(values: impl IntoIterator<Item = f64>) -> Column {
        Column {
            decimals: values.into_iter().map(decimals_needed).max().unwrap_or(0),
        }
    }

    /// A fixed choice (capped at [`MAX_DECIMALS`]).
    pub fn with_decimals(decimals: u8) -> Column {
        Column {
            decimals: decimals.min(MAX_DECIMALS),
        }
    }

    /// The decimals every value of the column gets.
    pub fn decimals(self) -> u8 {
        self.decimals
    }

    /// `value` with the column's decimals and thousands separators.
    pub fn format(self, value: f64) -> String {
        fixed(value, self.decimals)
    }

    /// An integer (a JSON number without a fraction) exactly, even beyond 2^53 where a double
    /// would round it, with the column's decimals as zeros: `1234` → `1,234.00` in a
    /// two-decimals column.
    pub fn format_integer(self, value: i128) -> String {
        let digits = value.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
        if value < 0 {
            out.push('-');
        }
        group_thousands(&digits, &mut out);
        if self.decimals > 0 {
            out.push('.');
            out.push_str(&"0".repeat(usize::from(self.decimals)));
        }
        out
    }
}

/// Every value of a column, formatted with the column's one decimals choice.
pub fn column(values: &[f64]) -> Vec<String> {
    let format = Column::new(values.iter().copied());
    values.iter().map(|&v| format.format(v)).collect()
}

/// The abbreviation of a compact number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// No abbreviation.
    One,
    /// `K`, 10^3.
    Thousand,
    /// `M`, 10^6.
    Million,
    /// `B`, 10^9.
    Billion,
    /// `T`, 10^12.
    Trillion,
}

impl Unit {
    /// The unit `value` is shown in: the largest whose size `|value|` reaches (`K` from 1,000,
    /// `M` from 1,000,000, ...), one up when the value would round to 1,000 of it
    /// (`999,999` is `1.00M`, never `1,000.00K`).
    pub fn of(value: f64) -> Unit {
        let magnitude = value.abs();
        if !magnitude.is_finite() {
            return Unit::One;
        }
        let mut unit = [Unit::Trillion, Unit::Billion, Unit::Million, Unit::Thousand]
            .into_iter()
            .find(|u| magnitude >= u.divisor())
            .unwrap_or(Unit::One);
        while (magnitude / unit.divisor() * 100.0).round() >= 100_000.0 {
            match unit.next() {
                Some(next) => unit = next,
                None => break,
            }
        }
        unit
    }

    /// What a value is divided by in this unit.
    pub fn divisor(self) -> f64 {
        match self {
            Unit::One => 1.0,
            Unit::Thousand => 1e3,
            Unit::Million => 1e6,
            Unit::Billion => 1e9,
            Unit::Trillion => 1e12,
        }
    }

    /// The letter after the number: `""`, `K`, `M`, `B`, `T`.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::One => "",
            Unit::Thousand => "K",
            Unit::Million => "M",
            Unit::Billion => "B",
            Unit::Trillion => "T",
        }
    }

    fn next(self) -> Option<Unit> {
        match self {
            Unit::One => Some(Unit::Thousand),
            Unit::Thousand => Some(Unit::Million),
            Unit::Million => Some(Unit::Billion),
            Unit::Billion => Some(Unit::Trillion),
            Unit::Trillion => None,
        }
    }
}

/// The compact form of a set of numbers shown together: ONE decimals choice, the fewest that
/// show every scaled value to two decimals, and either ONE unit, that of the largest magnitude
/// ([`Compact::new`], for the ticks of an axis), or each value in its own unit
/// ([`Compact::each`], for value labels that must not lose small values). Zero is always `0`:
/// `[0, 2500, 5000]` → `0`, `2.5K`, `5.0K`; `[0, 20, 40]` → `0`, `20`, `40`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compact {
    /// `None`: each value in its own unit.
    unit: Option<Unit>,
    column: Column,
}

impl Compact {
    /// One unit for all `values` (NaN and infinities are ignored): an axis.
    pub fn new(values: impl IntoIterator<Item = f64>) -> Compact {
        let values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let unit = Unit::of(largest);
        Compact {
            unit: Some(unit),
            column: Column::new(values.iter().map(|v| v / unit.divisor())),
        }
    }

    /// Each value in its own unit, one decimals choice over the scaled values: the value labels
    /// of a chart, `[34500000, 2100]` → `34.5M`, `2.1K`.
    pub fn each(values: impl IntoIterator<Item = f64>) -> Compact {
        Compact {
            unit: None,
            column: Column::new(values.into_iter().map(|v| v / Unit::of(v).divisor())),
        }
    }

    /// The shared unit; `None` when each value has its own.
    pub fn unit(self) -> Option<Unit> {
        self.unit
    }

    /// The shared decimals.
    pub fn decimals(self) -> u8 {
        self.column.decimals()
    }

    /// `value` in the shared (or its own) unit with the shared decimals.
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return NULL.to_string();
        }
        if value == 0.0 {
            return "0".to_string();
        }
        let unit = self.unit.unwrap_or_else(|| Unit::of(value));
        let mut text = self.column.format(value / unit.divisor());
        text.push_str(unit.suffix());
        text
    }
}

/// The labels of an axis's ticks, formatted with one [`Compact`] choice.
pub fn axis(ticks: &[f64]) -> Vec<String> {
    let format = Compact::new(ticks.iter().copied());
    ticks.iter().map(|&t| format.format(t)).collect()
}

/// A headline value, abbreviated as ThoughtSpot shows headlines: from 1,000 up in its own
/// [`Unit`] with two decimals (`34761234` → `34.76M`, `1234.5` → `1.23K`, `3000000` →
/// `3.00M`); below 1,000 as [`number`] (`999.5` → `999.5`).
pub fn headline(value: f64) -> String {
    if !value.is_finite() {
        return NULL.to_string();
    }
    match Unit::of(value) {
        Unit::One => number(value),
        unit => {
            let mut text = fixed(value / unit.divisor(), 2);
            text.push_str(unit.suffix());
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_numbers_get_separators_and_at_most_two_decimals() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(999.999), "1,000");
        assert_eq!(number(1234.5), "1,234.5");
        assert_eq!(number(1234567.891), "1,234,567.89");
        assert_eq!(number(-9876543.2), "-9,876,543.2");
        assert_eq!(number(0.125), "0.13", "half away from zero");
        assert_eq!(number(-0.125), "-0.13");
        assert_eq!(number(1e21), "1,000,000,000,000,000,000,000");
        assert_eq!(number(4e15 + 0.5), "4,000,000,000,000,000.5");
        assert_eq!(number(f64::NAN), NULL);
        assert_eq!(number(f64::INFINITY), NULL);
    }

    #[test]
    fn decimals_needed_after_rounding_to_two() {
        assert_eq!(decimals_needed(3.0), 0);
        assert_eq!(decimals_needed(2.5), 1);
        assert_eq!(decimals_needed(1.1), 1);
        assert_eq!(decimals_needed(3.25), 2);
        assert_eq!(decimals_needed(1.999), 0);
        assert_eq!(decimals_needed(-0.07), 2);
        assert_eq!(decimals_needed(541.9300000000001), 2);
        assert_eq!(decimals_needed(f64::NAN), 0);
    }

    #[test]
    fn fixed_decimals() {
        assert_eq!(fixed(1234.5, 2), "1,234.50");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(0.004, 2), "0.00");
        assert_eq!(fixed(-0.004, 2), "0.00", "no minus sign on a zero");
        assert_eq!(fixed(-1.5, 0), "-2");
        assert_eq!(fixed(999_999.5, 0), "1,000,000");
        assert_eq!(fixed(7.0, 9), "7.00", "capped at two decimals");
    }

    #[test]
    fn a_column_shares_one_decimals_choice() {
        assert_eq!(column(&[1.5, 2.0, 3.25]), ["1.50", "2.00", "3.25"]);
        assert_eq!(column(&[1.0, 2.0, 3.0]), ["1", "2", "3"]);
        assert_eq!(column(&[1.5, 2.0, 1000.0]), ["1.5", "2.0", "1,000.0"]);
        assert_eq!(column(&[2601.0, 12.5]), ["2,601.0", "12.5"]);
        assert_eq!(column(&[]), Vec::<String>::new());
        assert_eq!(Column::new([f64::NAN, 4.0]).format(f64::NAN), NULL);
        assert_eq!(Column::new([0.001, 7.0]).decimals(), 0);
        assert_eq!(Column::with_decimals(5).decimals(), 2);
        assert_eq!(
            Column::default().format_integer(9_007_199_254_740_993),
            "9,007,199,254,740,993"
        );
        assert_eq!(Column::with_decimals(2).format_integer(-1234), "-1,234.00");
        assert_eq!(Column::with_decimals(1).format_integer(0), "0.0");
    }

    #[test]
    fn units() {
        assert_eq!(Unit::of(999.0), Unit::One);
        assert_eq!(Unit::of(999.999), Unit::Thousand);
        assert_eq!(Unit::of(1000.0), Unit::Thousand);
        assert_eq!(Unit::of(-25_000.0), Unit::Thousand);
        assert_eq!(Unit::of(999_999.0), Unit::Million);
        assert_eq!(Unit::of(3e9), Unit::Billion);
        assert_eq!(Unit::of(5e15), Unit::Trillion);
        assert_eq!(Unit::of(f64::NAN), Unit::One);
    }

    #[test]
    fn an_axis_shares_one_unit_and_one_decimals_choice() {
        assert_eq!(axis(&[0.0, 2500.0, 5000.0]), ["0", "2.5K", "5.0K"]);
        assert_eq!(axis(&[0.0, 20.0, 40.0, 60.0]), ["0", "20", "40", "60"]);
        assert_eq!(axis(&[0.0, 0.5, 1.0]), ["0", "0.5", "1.0"]);
        assert_eq!(
            axis(&[0.0, 10_000.0, 20_000.0, 30_000.0]),
            ["0", "10K", "20K", "30K"]
        );
        assert_eq!(
            axis(&[-1e6, -5e5, 0.0, 5e5, 1e6]),
            ["-1.0M", "-0.5M", "0", "0.5M", "1.0M"]
        );
        assert_eq!(axis(&[0.0, 2.5e9, 5e9]), ["0", "2.5B", "5.0B"]);
        assert_eq!(axis(&[0.0, 0.25, 0.5]), ["0", "0.25", "0.50"]);
        let shared = Compact::new([120_000.0, 34_760_000.0]);
        assert_eq!(shared.unit(), Some(Unit::Million));
        assert_eq!(shared.decimals(), 2);
        assert_eq!(shared.format(120_000.0), "0.12M");
        assert_eq!(shared.format(f64::NAN), NULL);
    }

    #[test]
    fn value_labels_keep_their_own_units_and_share_decimals() {
        let labels = Compact::each([34_500_000.0, 2_100.0, 0.0, 12.0]);
        assert_eq!(labels.unit(), None);
        assert_eq!(labels.decimals(), 1);
        assert_eq!(labels.format(34_500_000.0), "34.5M");
        assert_eq!(labels.format(2_100.0), "2.1K");
        assert_eq!(labels.format(0.0), "0");
        assert_eq!(labels.format(12.0), "12.0");
        let labels = Compact::each([25_000.0, 3_000_000.0, -1_250_000_000.0]);
        assert_eq!(labels.format(25_000.0), "25.00K");
        assert_eq!(labels.format(-1_250_000_000.0), "-1.25B");
    }

    #[test]
    fn headlines_are_abbreviated_with_two_decimals() {
        assert_eq!(headline(34_761_234.0), "34.76M");
        assert_eq!(headline(1234.5), "1.23K");
        assert_eq!(headline(3_000_000.0), "3.00M");
        assert_eq!(headline(999_999.0), "1.00M");
        assert_eq!(headline(-1_250_000_000.0), "-1.25B");
        assert_eq!(headline(7.2e12), "7.20T");
        assert_eq!(headline(999.5), "999.5");
        assert_eq!(headline(42.0), "42");
        assert_eq!(headline(f64::NAN), NULL);
    }
}
