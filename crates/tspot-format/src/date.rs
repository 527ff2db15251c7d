//! Dates: ISO-8601 for dates and date-times, ThoughtSpot's names for date buckets. Searches
//! return dates and date buckets as epoch seconds (UTC); a bucket's value is its first day.

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March first
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Year, month, day and seconds into the day of `epoch_seconds` (UTC).
fn parts(epoch_seconds: i64) -> (i64, u32, u32, i64) {
    let (year, month, day) = civil_from_days(epoch_seconds.div_euclid(86_400));
    (year, month, day, epoch_seconds.rem_euclid(86_400))
}

/// A year with at least four digits (ISO-8601), a minus sign before the year 0.
fn year_text(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// The UTC date of `epoch_seconds` in ISO-8601: `YYYY-MM-DD`.
pub fn date(epoch_seconds: i64) -> String {
    let (year, month, day, _) = parts(epoch_seconds);
    format!("{}-{month:02}-{day:02}", year_text(year))
}

/// The UTC date and time of `epoch_seconds` in ISO-8601: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn datetime(epoch_seconds: i64) -> String {
    let (year, month, day, seconds) = parts(epoch_seconds);
    format!(
        "{}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        year_text(year),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date bucket, as a search names it in its output column: `Month(Order Date)` for
/// `[Order Date].monthly`. (`Day of Week(...)` columns hold weekday names, not dates, and are
/// no bucket here.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `Day(...)`, `[d].daily`.
    Day,
    /// `Week(...)`, `[d].weekly`.
    Week,
    /// `Month(...)`, `[d].monthly`.
    Month,
    /// `Quarter(...)`, `[d].quarterly`.
    Quarter,
    /// `Year(...)`, `[d].yearly`.
    Year,
}

impl Bucket {
    /// The bucket a result column's name says it holds: `Month(Order Date)` → `Month`; the
    /// prefix is matched without regard to case. `None` for any other name.
    pub fn from_column_name(name: &str) -> Option<Bucket> {
        let name = name.trim();
        let (prefix, rest) = name.split_once('(')?;
        let inner = rest.strip_suffix(')')?;
        if inner.trim().is_empty() {
            return None;
        }
        [
            Bucket::Day,
            Bucket::Week,
            Bucket::Month,
            Bucket::Quarter,
            Bucket::Year,
        ]
        .into_iter()
        .find(|b| b.prefix().eq_ignore_ascii_case(prefix.trim()))
    }

    /// The name's prefix: `Month` in `Month(Order Date)`.
    pub fn prefix(self) -> &'static str {
        match self {
            Bucket::Day => "Day",
            Bucket::Week => "Week",
            Bucket::Month => "Month",
            Bucket::Quarter => "Quarter",
            Bucket::Year => "Year",
        }
    }

    /// The bucket holding `epoch_seconds` (usually its first day, as searches return it), as
    /// ThoughtSpot shows it: `Nov 2026` (monthly), `Q4 2026` (quarterly, calendar quarters),
    /// `2026` (yearly); weekly (the week's first day) and daily as ISO dates, `2026-11-02`.
    pub fn format(self, epoch_seconds: i64) -> String {
        let (year, month, _, _) = parts(epoch_seconds);
        match self {
            Bucket::Day | Bucket::Week => date(epoch_seconds),
            Bucket::Month => format!("{} {}", MONTHS[month as usize - 1], year_text(year)),
            Bucket::Quarter => format!("Q{} {}", (month - 1) / 3 + 1, year_text(year)),
            Bucket::Year => year_text(year),
        }
    }
}

/// A date value of the result column `column_name`: the bucket's text when the name says it is
/// a date bucket ([`Bucket::from_column_name`]), else the ISO date.
pub fn date_in_column(column_name: &str, epoch_seconds: i64) -> String {
    match Bucket::from_column_name(column_name) {
        Some(bucket) => bucket.format(epoch_seconds),
        None => date(epoch_seconds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days since 1970-01-01, counted the slow way.
    fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let month_days = |y: i64, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut days = 0i64;
        if year >= 1970 {
            days += (1970..year)
                .map(|y| if leap(y) { 366 } else { 365 })
                .sum::<i64>();
        } else {
            days -= (year..1970)
                .map(|y| if leap(y) { 366 } else { 365 })
                .sum::<i64>();
        }
        days += (1..month).map(|m| month_days(year, m)).sum::<i64>();
        days + i64::from(day) - 1
    }

    #[test]
    fn calendar_matches_a_slow_count() {
        for (y, m, d) in [
            (1970, 1, 1),
            (1969, 12, 31),
            (2000, 2, 29),
            (1900, 3, 1),
            (2024, 12, 31),
            (2026, 11, 1),
            (1600, 1, 1),
            (2400, 2, 29),
        ] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        // Every day of 1999..2001 round-trips.
        let start = days_from_civil(1999, 1, 1);
        for offset in 0..(3 * 366) {
            let (y, m, d) = civil_from_days(start + offset);
            assert_eq!(days_from_civil(y, m, d), start + offset);
        }
    }

    #[test]
    fn iso_dates_and_datetimes() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(1_714_566_896), "2024-05-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(datetime(1_714_566_896), "2024-05-01T12:34:56Z");
        assert_eq!(datetime(-1), "1969-12-31T23:59:59Z");
        assert_eq!(date(-62_167_219_200), "0000-01-01");
        assert_eq!(date(-62_167_219_201), "-0001-12-31");
        assert_eq!(date(253_402_300_800), "10000-01-01");
    }

    #[test]
    fn buckets_from_column_names() {
        assert_eq!(
            Bucket::from_column_name("Month(Order Date)"),
            Some(Bucket::Month)
        );
        assert_eq!(
            Bucket::from_column_name("Quarter(Order Date)"),
            Some(Bucket::Quarter)
        );
        assert_eq!(Bucket::from_column_name("year(d)"), Some(Bucket::Year));
        assert_eq!(
            Bucket::from_column_name(" Week (Ship Date (UTC)) "),
            Some(Bucket::Week)
        );
        assert_eq!(
            Bucket::from_column_name("Day(Order Date)"),
            Some(Bucket::Day)
        );
        assert_eq!(Bucket::from_column_name("Day of Week(Order Date)"), None);
        assert_eq!(Bucket::from_column_name("Total Sales"), None);
        assert_eq!(Bucket::from_column_name("Month()"), None);
        assert_eq!(Bucket::from_column_name("Month(Order Date"), None);
        assert_eq!(Bucket::from_column_name("Order Date"), None);
    }

    #[test]
    fn buckets_as_thoughtspot_shows_them() {
        let nov_2026 = 1_793_491_200; // 2026-11-01
        assert_eq!(Bucket::Month.format(nov_2026), "Nov 2026");
        assert_eq!(Bucket::Quarter.format(nov_2026), "Q4 2026");
        assert_eq!(Bucket::Quarter.format(0), "Q1 1970");
        assert_eq!(Bucket::Year.format(nov_2026), "2026");
        assert_eq!(Bucket::Week.format(nov_2026 + 86_400), "2026-11-02");
        assert_eq!(Bucket::Day.format(nov_2026), "2026-11-01");
        assert_eq!(date_in_column("Month(Order Date)", nov_2026), "Nov 2026");
        assert_eq!(date_in_column("Order Date", nov_2026), "2026-11-01");
        assert_eq!(date_in_column("Min Order Date", nov_2026), "2026-11-01");
    }
}
