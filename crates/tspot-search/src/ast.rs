//! The syntax tree of a search query: a flat list of phrases, as written.

use crate::dates::RelDate;
use crate::model::Aggregation;

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A date bucket bound to a column (`[d].monthly`, `[d] monthly`, `[d].'day of week'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    DayOfWeek,
}

impl Bucket {
    /// The bucket named by a keyword (`daily`, `'day of week'`, ...).
    pub(crate) fn from_name(name: &str) -> Option<Bucket> {
        let norm: Vec<&str> = name.split_whitespace().collect();
        Some(match norm.join(" ").to_lowercase().as_str() {
            "daily" | "day" => Bucket::Daily,
            "weekly" | "week" => Bucket::Weekly,
            "monthly" | "month" => Bucket::Monthly,
            "quarterly" | "quarter" => Bucket::Quarterly,
            "yearly" | "year" => Bucket::Yearly,
            "day of week" => Bucket::DayOfWeek,
            _ => return None,
        })
    }

    /// The output-name prefix: `Month` in `Month(Order Date)`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Bucket::Daily => "Day",
            Bucket::Weekly => "Week",
            Bucket::Monthly => "Month",
            Bucket::Quarterly => "Quarter",
            Bucket::Yearly => "Year",
            Bucket::DayOfWeek => "Day of Week",
        }
    }
}

/// `[name]` with an optional bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRef {
    /// The name inside the brackets.
    pub name: String,
    /// `[name]` as written.
    pub raw: String,
    /// Character position of `[`.
    pub pos: usize,
    /// The bucket, if one is attached.
    pub bucket: Option<Bucket>,
}

/// An optional aggregate keyword and a column: `[sales]`, `unique count [customer]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The aggregate keyword, if written.
    pub agg: Option<Aggregation>,
    /// The column.
    pub column: ColumnRef,
}

/// How a value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `'quoted'` (or a bare `MM/DD/YYYY`).
    Quoted,
    /// A bare number.
    Number,
    /// A bare `true` / `false`.
    Word,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    /// The value (unquoted).
    pub text: String,
    /// As written.
    pub raw: String,
    /// Character position; `None` for runtime-filter values.
    pub pos: Option<usize>,
}

/// Text-matching operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextOp {
    Contains,
    BeginsWith,
    EndsWith,
}

/// A condition written after a term.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `op value, value ...`; bare values are `=`.
    Compare { op: CmpOp, values: Vec<Value> },
    /// `[not] between low and high` (inclusive).
    Between {
        low: Value,
        high: Value,
        negated: bool,
    },
    /// `[not] contains|begins with|ends with value, ...`.
    Text {
        op: TextOp,
        negated: bool,
        values: Vec<Value>,
    },
}

/// A stand-alone date keyword phrase.
#[derive(Debug, Clone, PartialEq)]
pub enum DateKeyword {
    /// `last 30 days`, `this month`, `yesterday`, ...
    Relative(RelDate),
    /// `before value`.
    Before(Value),
    /// `after value`.
    After(Value),
}

/// One phrase of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Phrase {
    /// `term [condition]`; `by term` / `for each term` set `by`.
    Term {
        term: Term,
        condition: Option<Condition>,
        by: bool,
    },
    /// `top [n]` / `bottom [n]`.
    Top {
        bottom: bool,
        n: u64,
        pos: usize,
        raw: String,
    },
    /// `sort by term [ascending|descending]`.
    SortBy { term: Term, descending: bool },
    /// `ranked by term`.
    RankedBy { term: Term },
    /// A date keyword; the planner binds it to a date column.
    Date {
        keyword: DateKeyword,
        pos: usize,
        raw: String,
    },
}
