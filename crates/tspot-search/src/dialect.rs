//! Everything that differs between SQL engines: date bucketing, epoch conversion, date
//! literals, case-insensitive matching, real division and the statistics aggregates. The
//! parser and planner never write SQL text; they call these hooks and sea-query renders the
//! statement for the dialect's query builder.

use std::fmt;

use chrono::NaiveDate;
use sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr, SelectStatement, Values};

use crate::ast::Bucket;
use crate::dates::WEEK_START;

mod numeric;
mod postgres;
mod render;

pub use numeric::{ShortNumeric, numeric_text};
pub use postgres::Postgres;

/// SQL-engine specifics. Implementations must never put caller text into SQL: values go
/// through [`Expr::val`] (bound); only fixed strings of the implementation may be inlined.
pub trait Dialect: fmt::Debug + Send + Sync {
    /// Renders a statement with this dialect's placeholders, returning the bound values. Every
    /// ORDER BY item must say where NULLs go: first ascending, last descending (SQLite's
    /// order), so that results sort alike on every engine.
    fn build(&self, stmt: &SelectStatement) -> (String, Values);

    /// A date as a bound value comparable with the engine's stored dates.
    fn date_value(&self, d: NaiveDate) -> Expr;

    /// A date or timestamp expression as integer epoch seconds (UTC), `NULL` for `NULL`.
    fn epoch_seconds(&self, e: Expr) -> Expr;

    /// The first day of the bucket containing `e` (a date-valued expression) as
    /// [`Dialect::epoch_seconds`], what a bucket's cells hold, for every bucket but
    /// [`Bucket::DayOfWeek`].
    fn bucket_epoch(&self, e: Expr, bucket: Bucket) -> Expr;

    /// `e` as a value the engine computes rather than reads from an index: a GROUP BY over it
    /// then scans and sorts instead of walking an index and fetching each row where it lies.
    fn computed(&self, e: Expr) -> Expr {
        e
    }

    /// The English weekday name of `e` (`Sunday` ... `Saturday`).
    fn day_of_week_name(&self, e: Expr) -> Expr;

    /// ISO weekday number of `e`: 1 = Monday ... 7 = Sunday.
    fn iso_day_of_week(&self, e: Expr) -> Expr;

    /// 0 ... 6 counted from the first day of the week ([`WEEK_START`]), for ordering.
    fn week_day_index(&self, e: Expr) -> Expr;

    /// The column side of a case-insensitive comparison (`=`, `!=`, `<`, `IN`, ...).
    fn ci_column(&self, e: Expr) -> Expr;

    /// The value side of a case-insensitive comparison.
    fn ci_value(&self, e: Expr) -> Expr;

    /// Case-insensitive `LIKE` with `\` as the escape character; `pattern` is bound.
    fn like_ci(&self, e: Expr, pattern: String) -> Expr;

    /// `e` as a floating-point number (for real division and statistics).
    fn to_real(&self, e: Expr) -> Expr;

    /// Sample variance aggregate of `e`.
    fn variance(&self, e: Expr) -> Expr {
        let x = self.to_real(e);
        let n = x.clone().count();
        let s = x.clone().sum();
        let ss = x.clone().mul(x).sum();
        ss.sub(s.clone().mul(s).div(n.clone()))
            .div(n.sub(Expr::val(1)))
    }

    /// Sample standard deviation aggregate of `e`.
    fn stddev(&self, e: Expr) -> Expr;
}

/// SQLite (3.39 or later), with dates stored as ISO-8601 text (`YYYY-MM-DD` or
/// `YYYY-MM-DD HH:MM:SS`).
///
/// `standard deviation` needs a `sqrt` SQL function: SQLite has one when built with
/// `SQLITE_ENABLE_MATH_FUNCTIONS`; otherwise register one (rusqlite: feature `functions`,
/// `Connection::create_scalar_function("sqrt", 1, ...)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sqlite;

fn template(sql: impl Into<String>, args: Vec<Expr>) -> Expr {
    Expr::cust_with_exprs(sql.into(), args)
}

impl Dialect for Sqlite {
    fn build(&self, stmt: &SelectStatement) -> (String, Values) {
        stmt.build(render::Render::sqlite())
    }

    fn date_value(&self, d: NaiveDate) -> Expr {
        Expr::val(d.format("%Y-%m-%d").to_string())
    }

    fn epoch_seconds(&self, e: Expr) -> Expr {
        // One call per row where strftime('%s') needs a cast too (3.38 and later).
        template("unixepoch(?)", vec![e])
    }

    fn bucket_epoch(&self, e: Expr, bucket: Bucket) -> Expr {
        // unixepoch() applies the bucket's date modifiers itself: one date parse per row
        // instead of date() and strftime() (the demo's monthly sales 72 -> 46 ms at 100k rows).
        match bucket {
            Bucket::Daily | Bucket::DayOfWeek => template("unixepoch(?, 'start of day')", vec![e]),
            Bucket::Weekly => template(
                format!(
                    "unixepoch(?, 'start of day', '-6 days', 'weekday {}')",
                    WEEK_START.num_days_from_sunday()
                ),
                vec![e],
            ),
            Bucket::Monthly => template("unixepoch(?, 'start of month')", vec![e]),
            Bucket::Quarterly => template(
                "unixepoch(?, 'start of month', '-' || ((CAST(strftime('%m', ?) AS INTEGER) - 1) % 3) || ' months')",
                vec![e.clone(), e],
            ),
            Bucket::Yearly => template("unixepoch(?, 'start of year')", vec![e]),
        }
    }

    fn computed(&self, e: Expr) -> Expr {
        // SQLite groups an indexed column by walking the index to skip a sort, and fetches every
        // row at random on the way: the demo's sales by category 32 -> 11 ms at 100k rows.
        template("+?", vec![e])
    }

    fn day_of_week_name(&self, e: Expr) -> Expr {
        template(
            "(CASE CAST(strftime('%w', ?) AS INTEGER) WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' \
             WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday' WHEN 4 THEN 'Thursday' \
             WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday' END)",
            vec![e],
        )
    }

    fn iso_day_of_week(&self, e: Expr) -> Expr {
        template(
            "((CAST(strftime('%w', ?) AS INTEGER) + 6) % 7 + 1)",
            vec![e],
        )
    }

    fn week_day_index(&self, e: Expr) -> Expr {
        template(
            format!(
                "((CAST(strftime('%w', ?) AS INTEGER) + {}) % 7)",
                7 - WEEK_START.num_days_from_sunday()
            ),
            vec![e],
        )
    }

    fn ci_column(&self, e: Expr) -> Expr {
        // NOCASE folds ASCII case as LOWER() does, but keeps the column a column for the
        // planner: `region = ? COLLATE NOCASE` can start a join at the filtered dimension,
        // `lower(region) = lower(?)` cannot (measured on the demo: 2.8x slower).
        template("? COLLATE NOCASE", vec![e])
    }

    fn ci_value(&self, e: Expr) -> Expr {
        e
    }

    fn like_ci(&self, e: Expr, pattern: String) -> Expr {
        // SQLite's LIKE ignores (ASCII) case, like NOCASE does.
        e.like(LikeExpr::new(pattern).escape('\\'))
    }

    fn to_real(&self, e: Expr) -> Expr {
        e.cast_as(Alias::new("REAL"))
    }

    fn stddev(&self, e: Expr) -> Expr {
        Func::cust(Alias::new("sqrt")).arg(self.variance(e)).into()
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE` pattern with `\` as the escape character.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
