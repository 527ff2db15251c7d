//! Date arithmetic in Rust: relative date keywords and date literals become half-open ranges
//! `[start, end)` of calendar days, computed from the injected "today" and bound as values.
//!
//! Weeks start on **Sunday** (ThoughtSpot's default calendar); quarters are calendar quarters.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::ast::Bucket;

/// The first day of a week.
pub const WEEK_START: Weekday = Weekday::Sun;

/// A calendar unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Unit {
    /// `day`/`days`, `week`/`weeks`, ...
    pub(crate) fn from_word(w: &str) -> Option<(Unit, bool)> {
        Some(match w {
            "day" => (Unit::Day, false),
            "days" => (Unit::Day, true),
            "week" => (Unit::Week, false),
            "weeks" => (Unit::Week, true),
            "month" => (Unit::Month, false),
            "months" => (Unit::Month, true),
            "quarter" => (Unit::Quarter, false),
            "quarters" => (Unit::Quarter, true),
            "year" => (Unit::Year, false),
            "years" => (Unit::Year, true),
            _ => return None,
        })
    }
}

/// A relative date keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelDate {
    /// `today`
    Today,
    /// `yesterday`
    Yesterday,
    /// `tomorrow`
    Tomorrow,
    /// `last day|week|month|quarter|year`: the previous whole calendar period.
    Last(Unit),
    /// `last N days|weeks|...`: the rolling window of N units ending today (today included).
    LastN(u32, Unit),
    /// `next day|week|...`: the next whole calendar period.
    Next(Unit),
    /// `next N days|weeks|...`: the rolling window of N units starting today (today included).
    NextN(u32, Unit),
    /// `this week|month|quarter|year`: the whole current calendar period.
    This(Unit),
    /// `N days|weeks|... ago`: the calendar period N periods back.
    Ago(u32, Unit),
    /// `week|month|quarter|year to date`: from the start of the current period through today.
    ToDate(Unit),
}

/// A half-open range of days `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The first day of the period of `unit` that contains `d`.
pub(crate) fn period_start(d: NaiveDate, unit: Unit) -> NaiveDate {
    match unit {
        Unit::Day => d,
        Unit::Week => {
            let back =
                (7 + d.weekday().num_days_from_sunday() - WEEK_START.num_days_from_sunday()) % 7;
            d - Days::new(u64::from(back))
        }
        Unit::Month => d.with_day(1).unwrap_or(d),
        Unit::Quarter => {
            let month = (d.month0() / 3) * 3 + 1;
            NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
        }
        Unit::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
    }
}

/// `d` moved by `n` units (months clamp to the month's last day).
pub(crate) fn shift(d: NaiveDate, n: i64, unit: Unit) -> Option<NaiveDate> {
    let magnitude = n.unsigned_abs();
    let (days, months) = match unit {
        Unit::Day => (magnitude, 0),
        Unit::Week => (magnitude.checked_mul(7)?, 0),
        Unit::Month => (0, magnitude),
        Unit::Quarter => (0, magnitude.checked_mul(3)?),
        Unit::Year => (0, magnitude.checked_mul(12)?),
    };
    if months > 0 {
        let months = Months::new(u32::try_from(months).ok()?);
        if n < 0 {
            d.checked_sub_months(months)
        } else {
            d.checked_add_months(months)
        }
    } else if n < 0 {
        d.checked_sub_days(Days::new(days))
    } else {
        d.checked_add_days(Days::new(days))
    }
}

/// The range a relative keyword denotes on `today`; `None` when it leaves chrono's calendar.
pub(crate) fn resolve(rel: RelDate, today: NaiveDate) -> Option<DateRange> {
    let tomorrow = shift(today, 1, Unit::Day)?;
    let range = |start: NaiveDate, end: NaiveDate| Some(DateRange { start, end });
    match rel {
        RelDate::Today => range(today, tomorrow),
        RelDate::Yesterday => range(shift(today, -1, Unit::Day)?, today),
        RelDate::Tomorrow => range(tomorrow, shift(today, 2, Unit::Day)?),
        RelDate::Last(unit) => {
            let start = period_start(today, unit);
            range(shift(start, -1, unit)?, start)
        }
        RelDate::This(unit) => {
            let start = period_start(today, unit);
            range(start, shift(start, 1, unit)?)
        }
        RelDate::Next(unit) => {
            let start = period_start(today, unit);
            range(shift(start, 1, unit)?, shift(start, 2, unit)?)
        }
        RelDate::Ago(n, unit) => {
            let start = period_start(today, unit);
            let n = i64::from(n);
            range(shift(start, -n, unit)?, shift(start, 1 - n, unit)?)
        }
        RelDate::ToDate(unit) => range(period_start(today, unit), tomorrow),
        RelDate::LastN(n, unit) => range(shift(tomorrow, -i64::from(n), unit)?, tomorrow),
        RelDate::NextN(n, unit) => range(today, shift(today, i64::from(n), unit)?),
    }
}

/// The one-day range of `d`.
pub(crate) fn day(d: NaiveDate) -> Option<DateRange> {
    Some(DateRange {
        start: d,
        end: shift(d, 1, Unit::Day)?,
    })
}

/// The bucket period containing `d` (day of week has no range: `None`).
pub(crate) fn bucket_range(d: NaiveDate, bucket: Bucket) -> Option<DateRange> {
    let unit = match bucket {
        Bucket::Daily => Unit::Day,
        Bucket::Weekly => Unit::Week,
        Bucket::Monthly => Unit::Month,
        Bucket::Quarterly => Unit::Quarter,
        Bucket::Yearly => Unit::Year,
        Bucket::DayOfWeek => return None,
    };
    let start = period_start(d, unit);
    Some(DateRange {
        start,
        end: shift(start, 1, unit)?,
    })
}

/// A date literal: `MM/DD/YYYY` (en-US, one- or two-digit month and day), ISO `YYYY-MM-DD`
/// (optionally followed by a time, which is ignored), or a four-digit year (`2024`, the whole
/// year). Returns the range it denotes.
pub(crate) fn parse_date_literal(text: &str) -> Option<DateRange> {
    let text = text.trim();
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = text.parse().ok()?;
        let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
        return Some(DateRange {
            start,
            end: shift(start, 1, Unit::Year)?,
        });
    }
    if let Some(d) = parse_us_date(text) {
        return day(d);
    }
    let date_part = text.get(..10).unwrap_or(text);
    let rest = text.get(10..).unwrap_or("");
    if (rest.is_empty() || rest.starts_with([' ', 'T']))
        && let Ok(d) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
    {
        return day(d);
    }
    None
}

fn parse_us_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn r(a: NaiveDate, b: NaiveDate) -> Option<DateRange> {
        Some(DateRange { start: a, end: b })
    }

    // 2024-05-15 is a Wednesday.
    const T: (i32, u32, u32) = (2024, 5, 15);

    fn today() -> NaiveDate {
        d(T.0, T.1, T.2)
    }

    #[test]
    fn calendar_periods() {
        let t = today();
        assert_eq!(resolve(RelDate::Today, t), r(t, d(2024, 5, 16)));
        assert_eq!(resolve(RelDate::Yesterday, t), r(d(2024, 5, 14), t));
        assert_eq!(
            resolve(RelDate::This(Unit::Week), t),
            r(d(2024, 5, 12), d(2024, 5, 19))
        );
        assert_eq!(
            resolve(RelDate::Last(Unit::Week), t),
            r(d(2024, 5, 5), d(2024, 5, 12))
        );
        assert_eq!(
            resolve(RelDate::Last(Unit::Month), t),
            r(d(2024, 4, 1), d(2024, 5, 1))
        );
        assert_eq!(
            resolve(RelDate::Last(Unit::Quarter), t),
            r(d(2024, 1, 1), d(2024, 4, 1))
        );
        assert_eq!(
            resolve(RelDate::This(Unit::Quarter), t),
            r(d(2024, 4, 1), d(2024, 7, 1))
        );
        assert_eq!(
            resolve(RelDate::Last(Unit::Year), t),
            r(d(2023, 1, 1), d(2024, 1, 1))
        );
        assert_eq!(
            resolve(RelDate::Next(Unit::Month), t),
            r(d(2024, 6, 1), d(2024, 7, 1))
        );
        assert_eq!(
            resolve(RelDate::Ago(2, Unit::Month), t),
            r(d(2024, 3, 1), d(2024, 4, 1))
        );
        assert_eq!(
            resolve(RelDate::Ago(3, Unit::Day), t),
            r(d(2024, 5, 12), d(2024, 5, 13))
        );
        assert_eq!(
            resolve(RelDate::ToDate(Unit::Quarter), t),
            r(d(2024, 4, 1), d(2024, 5, 16))
        );
    }

    #[test]
    fn rolling_windows() {
        let t = today();
        assert_eq!(
            resolve(RelDate::LastN(7, Unit::Day), t),
            r(d(2024, 5, 9), d(2024, 5, 16))
        );
        assert_eq!(
            resolve(RelDate::LastN(1, Unit::Month), t),
            r(d(2024, 4, 16), d(2024, 5, 16))
        );
        assert_eq!(
            resolve(RelDate::NextN(10, Unit::Day), t),
            r(t, d(2024, 5, 25))
        );
        assert_eq!(resolve(RelDate::LastN(u32::MAX, Unit::Year), t), None);
    }

    #[test]
    fn literals() {
        assert_eq!(
            parse_date_literal("01/30/2014"),
            r(d(2014, 1, 30), d(2014, 1, 31))
        );
        assert_eq!(
            parse_date_literal("1/3/2014"),
            r(d(2014, 1, 3), d(2014, 1, 4))
        );
        assert_eq!(
            parse_date_literal("2014-12-31"),
            r(d(2014, 12, 31), d(2015, 1, 1))
        );
        assert_eq!(parse_date_literal("2024"), r(d(2024, 1, 1), d(2025, 1, 1)));
        assert_eq!(parse_date_literal("13/01/2014"), None);
        assert_eq!(parse_date_literal("east"), None);
        assert_eq!(
            bucket_range(d(2024, 2, 29), Bucket::Quarterly),
            r(d(2024, 1, 1), d(2024, 4, 1))
        );
    }
}
