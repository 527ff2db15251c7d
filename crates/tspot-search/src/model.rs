//! The data-source model a query is resolved against, and the caller's options.

/// One searchable data source (a worksheet, view or table): its physical tables, how they join,
/// and the columns a query may name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    /// The physical tables; the first one is the root of the join tree.
    pub tables: Vec<SourceTable>,
    /// Joins between tables, forming a tree from the first table.
    pub joins: Vec<Join>,
    /// The columns a query may name, by display name (unique case-insensitively).
    pub columns: Vec<SourceColumn>,
}

/// A physical table of a [`Source`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTable {
    /// Unique within the source; used as the SQL table alias.
    pub alias: String,
    /// Schema (for SQLite, the attached database name such as `main`), if any.
    pub schema: Option<String>,
    /// The physical table name.
    pub table: String,
}

/// How two tables of a source join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// Alias of the left table.
    pub left: String,
    /// Alias of the right table.
    pub right: String,
    /// Join kind, read from left to right.
    pub kind: JoinKind,
    /// Equality pairs `(left physical column, right physical column)`.
    pub on: Vec<(String, String)>,
}

/// Join kind, read from [`Join::left`] to [`Join::right`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
}

impl JoinKind {
    /// The same join read from right to left.
    pub fn flipped(self) -> JoinKind {
        match self {
            JoinKind::LeftOuter => JoinKind::RightOuter,
            JoinKind::RightOuter => JoinKind::LeftOuter,
            other => other,
        }
    }
}

/// A column a query may name.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceColumn {
    /// Display name, matched case-insensitively by `[name]`.
    pub name: String,
    /// Attribute (groups) or measure (aggregates).
    pub kind: ColumnKind,
    /// Logical type.
    pub data_type: DataType,
    /// Default aggregation of a measure; [`Aggregation::None`] makes a measure behave as an attribute.
    pub aggregation: Aggregation,
    /// Where the values come from.
    pub expr: ColumnExpr,
}

/// Attribute or measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    Attribute,
    Measure,
}

/// Logical column type.
///
/// How values travel: `Int` and `Bool` as integers, `Double` as reals, `Text` as text,
/// `Date`/`DateTime` as **epoch seconds** (integers) in result cells; see the crate docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    Int,
    Double,
    Text,
    Bool,
    Date,
    DateTime,
}

impl DataType {
    /// `Int` or `Double`.
    pub fn is_numeric(self) -> bool {
        matches!(self, DataType::Int | DataType::Double)
    }
    /// `Date` or `DateTime`.
    pub fn is_temporal(self) -> bool {
        matches!(self, DataType::Date | DataType::DateTime)
    }
}

/// Aggregation of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregation {
    Sum,
    Average,
    Count,
    CountDistinct,
    Min,
    Max,
    StdDev,
    Variance,
    None,
}

/// Where a column's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnExpr {
    /// A physical column of one of the source's tables.
    Physical {
        /// Table alias ([`SourceTable::alias`]).
        table: String,
        /// Physical column name.
        column: String,
    },
    /// Row-level arithmetic over other columns of the source by display name:
    /// `[Quantity] * [Unit Price]`, `([Sales] - [Cost]) / 2`. `+ - * /`, parentheses, unary minus
    /// and numeric literals.
    Formula(String),
}

/// Options of one search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchOptions {
    /// "Today" for relative dates (`last 30 days`, `this month`, ...).
    pub today: chrono::NaiveDate,
    /// Extra conditions (the `col<n>`/`op<n>`/`val<n>` runtime filters), ANDed as row filters.
    pub runtime_filters: Vec<RuntimeFilter>,
}

impl SearchOptions {
    /// Options with `today` and no runtime filters.
    pub fn new(today: chrono::NaiveDate) -> Self {
        SearchOptions {
            today,
            runtime_filters: Vec::new(),
        }
    }
}

/// A runtime filter: `col<n>=<column>&op<n>=<operator>&val<n>=<value>...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeFilter {
    /// Display name of the column (case-insensitive).
    pub column: String,
    /// The operator.
    pub operator: FilterOperator,
    /// The values, as sent.
    pub values: Vec<String>,
}

/// Runtime-filter operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterOperator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    BeginsWith,
    EndsWith,
    /// `min < x <= max`
    BwIncMax,
    /// `min <= x < max`
    BwIncMin,
    /// `min <= x <= max`
    BwInc,
    /// `min < x < max`
    Bw,
    /// any of the values
    In,
}

impl FilterOperator {
    /// Parses the wire name (`EQ`, `BW_INC_MAX`, ...), case-insensitively.
    pub fn from_wire(name: &str) -> Option<FilterOperator> {
        Some(match name.to_ascii_uppercase().as_str() {
            "EQ" => FilterOperator::Eq,
            "NE" => FilterOperator::Ne,
            "LT" => FilterOperator::Lt,
            "LE" => FilterOperator::Le,
            "GT" => FilterOperator::Gt,
            "GE" => FilterOperator::Ge,
            "CONTAINS" => FilterOperator::Contains,
            "BEGINS_WITH" => FilterOperator::BeginsWith,
            "ENDS_WITH" => FilterOperator::EndsWith,
            "BW_INC_MAX" => FilterOperator::BwIncMax,
            "BW_INC_MIN" => FilterOperator::BwIncMin,
            "BW_INC" => FilterOperator::BwInc,
            "BW" => FilterOperator::Bw,
            "IN" => FilterOperator::In,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn wire_name(self) -> &'static str {
        match self {
            FilterOperator::Eq => "EQ",
            FilterOperator::Ne => "NE",
            FilterOperator::Lt => "LT",
            FilterOperator::Le => "LE",
            FilterOperator::Gt => "GT",
            FilterOperator::Ge => "GE",
            FilterOperator::Contains => "CONTAINS",
            FilterOperator::BeginsWith => "BEGINS_WITH",
            FilterOperator::EndsWith => "ENDS_WITH",
            FilterOperator::BwIncMax => "BW_INC_MAX",
            FilterOperator::BwIncMin => "BW_INC_MIN",
            FilterOperator::BwInc => "BW_INC",
            FilterOperator::Bw => "BW",
            FilterOperator::In => "IN",
        }
    }
}
