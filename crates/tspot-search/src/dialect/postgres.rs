//! PostgreSQL, and the engines that speak its dialect (see `ENGINES.md`).

use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, Func, SelectStatement, Values};

use super::render::Render;
use super::{Dialect, template};
use crate::ast::Bucket;
use crate::dates::WEEK_START;

/// PostgreSQL (14 or later), with dates stored as `date`, `timestamp` or `timestamptz`.
///
/// The SQL uses `$n` placeholders, each cast to its value's type (`CAST($1 AS BIGINT)`,
/// `DOUBLE PRECISION`, `TEXT`, `BOOLEAN`), so a driver binds `i64`, `f64`, text and `bool` as
/// they are. Result cells follow the SQLite contract: integers for `Int`, `Bool` (0/1 after
/// reading a `boolean`), `Date` and `DateTime` (**epoch seconds**, UTC); `Double` cells may be
/// `numeric` (an `AVG`, a `SUM` of `bigint` or `numeric`) and need converting. A `timestamptz`
/// is bucketed and converted in the session's `TimeZone`: set it to `UTC`.
///
/// Case-insensitive matching is `lower()` and `ILIKE`; statistics are the sample ones
/// (`stddev_samp`, `var_samp`), as for SQLite; text sorts in the collation of its column
/// (byte order, as SQLite, needs `COLLATE "C"`: see the crate's README).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Postgres;

/// Days to add to `EXTRACT(DOW ...)` (0 = Sunday) before `% 7` to count from [`WEEK_START`].
fn from_week_start() -> u32 {
    7 - WEEK_START.num_days_from_sunday()
}

impl Dialect for Postgres {
    fn build(&self, stmt: &SelectStatement) -> (String, Values) {
        stmt.build(Render::postgres())
    }

    fn date_value(&self, d: NaiveDate) -> Expr {
        // A text value (cast to TEXT by the renderer), then a date.
        template(
            "CAST($1 AS DATE)",
            vec![Expr::val(d.format("%Y-%m-%d").to_string())],
        )
    }

    fn epoch_seconds(&self, e: Expr) -> Expr {
        // FLOOR: whole seconds down, as SQLite's unixepoch() (a cast would round).
        template("CAST(FLOOR(EXTRACT(EPOCH FROM $1)) AS BIGINT)", vec![e])
    }

    fn bucket_epoch(&self, e: Expr, bucket: Bucket) -> Expr {
        self.epoch_seconds(bucket_start(e, bucket))
    }

    fn day_of_week_name(&self, e: Expr) -> Expr {
        // Not TO_CHAR(x, 'Day'): that is padded and follows lc_time.
        template(
            "(CASE CAST(EXTRACT(DOW FROM $1) AS INTEGER) WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' \
             WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday' \
             WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday' END)",
            vec![e],
        )
    }

    fn iso_day_of_week(&self, e: Expr) -> Expr {
        // From DOW rather than ISODOW, which Redshift lacks.
        template(
            "((CAST(EXTRACT(DOW FROM $1) AS INTEGER) + 6) % 7 + 1)",
            vec![e],
        )
    }

    fn week_day_index(&self, e: Expr) -> Expr {
        template(
            format!(
                "((CAST(EXTRACT(DOW FROM $1) AS INTEGER) + {}) % 7)",
                from_week_start()
            ),
            vec![e],
        )
    }

    fn ci_column(&self, e: Expr) -> Expr {
        Func::lower(e).into()
    }

    fn ci_value(&self, e: Expr) -> Expr {
        Func::lower(e).into()
    }

    fn like_ci(&self, e: Expr, pattern: String) -> Expr {
        // Written out: sea-query parenthesises `ILIKE`'s pattern when it has an ESCAPE, which
        // PostgreSQL refuses. E'\\' is one backslash whatever standard_conforming_strings says.
        template("($1 ILIKE $2 ESCAPE E'\\\\')", vec![e, Expr::val(pattern)])
    }

    fn to_real(&self, e: Expr) -> Expr {
        e.cast_as(Alias::new("DOUBLE PRECISION"))
    }

    fn variance(&self, e: Expr) -> Expr {
        Func::cust(Alias::new("var_samp"))
            .arg(self.to_real(e))
            .into()
    }

    fn stddev(&self, e: Expr) -> Expr {
        Func::cust(Alias::new("stddev_samp"))
            .arg(self.to_real(e))
            .into()
    }
}

/// The first day of the bucket containing `e`, a `date`.
fn bucket_start(e: Expr, bucket: Bucket) -> Expr {
    let trunc = |unit: &str| {
        template(
            format!("CAST(DATE_TRUNC('{unit}', CAST($1 AS TIMESTAMP)) AS DATE)"),
            vec![e.clone()],
        )
    };
    match bucket {
        Bucket::Daily | Bucket::DayOfWeek => template("CAST($1 AS DATE)", vec![e]),
        // DATE_TRUNC('week') starts on Monday; weeks here start on WEEK_START.
        Bucket::Weekly => template(
            format!(
                "(CAST($1 AS DATE) - (CAST(EXTRACT(DOW FROM $1) AS INTEGER) + {}) % 7)",
                from_week_start()
            ),
            vec![e],
        ),
        Bucket::Monthly => trunc("month"),
        Bucket::Quarterly => trunc("quarter"),
        Bucket::Yearly => trunc("year"),
    }
}
