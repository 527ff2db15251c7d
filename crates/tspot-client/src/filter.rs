//! Runtime filters: narrow a Liveboard's data or PDF without changing the Liveboard. ThoughtSpot
//! takes them as numbered parameters `col<n>`, `op<n>`, `val<n>`; [`RuntimeFilter`] is one
//! filter, typed, and [`RuntimeFilters::runtime_filters`] sets a list of them on the
//! `pinboarddata` and `export/pinboard/pdf` builders. (`searchdata` takes none: put the
//! condition in the query, `[Region] = 'west'`.)
//!
//! ```no_run
//! use tspot_client::prelude::*;
//! use tspot_client::{FilterOp, RuntimeFilter, RuntimeFilters};
//! # async fn demo(client: &tspot_client::Client) -> Result<(), tspot_client::ApiError> {
//! let filters = [
//!     RuntimeFilter::new("Region", FilterOp::Eq, ["west"]),
//!     "Category IN Toys, Books".parse::<RuntimeFilter>()?,
//! ];
//! let data = tspot_client::call(
//!     client
//!         .pinboard_data()
//!         .id("6a0d3c1e-5b7f-4c2a-9e41-000000000401")
//!         .runtime_filters(&filters)?
//!         .send(),
//! )
//! .await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

use std::fmt;
use std::str::FromStr;

use crate::ApiError;
use crate::generated::builder;

/// How many runtime filters one request can carry (the spec declares `col1` to `col5`).
pub const MAX_FILTERS: usize = 5;

/// A runtime filter's operator: the spec's `RuntimeFilterOperator` (its `Display` is the wire
/// name, `EQ`, `BEGINS_WITH`, ...; [`FilterOp::arity`] says how many values it takes).
pub use tspot_types::{Arity, RuntimeFilterOperator as FilterOp};

/// The operator written `text`: a wire name in any case (`eq`, `BEGINS_WITH`), or `=`, `!=`,
/// `<`, `<=`, `>`, `>=`.
pub fn parse_op(text: &str) -> Result<FilterOp, ApiError> {
    let symbol = match text {
        "=" => Some(FilterOp::Eq),
        "!=" => Some(FilterOp::Ne),
        "<" => Some(FilterOp::Lt),
        "<=" => Some(FilterOp::Le),
        ">" => Some(FilterOp::Gt),
        ">=" => Some(FilterOp::Ge),
        _ => None,
    };
    symbol
        .or_else(|| FilterOp::parse_any_case(text))
        .ok_or_else(|| {
            ApiError::InvalidRequest(format!(
                "'{text}' is not a runtime filter operator (one of {})",
                FilterOp::VALUES.join(", ")
            ))
        })
}

/// One runtime filter: a column of the Liveboard's data source, an operator and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeFilter {
    /// The column, by its name on the data source (`Region`).
    pub column: String,
    /// The operator.
    pub op: FilterOp,
    /// The values (one, two for a range, any number for `IN`).
    pub values: Vec<String>,
}

impl RuntimeFilter {
    /// A filter on `column`.
    pub fn new<V: Into<String>>(
        column: impl Into<String>,
        op: FilterOp,
        values: impl IntoIterator<Item = V>,
    ) -> RuntimeFilter {
        RuntimeFilter {
            column: column.into(),
            op,
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// Checks the column is named and the number of values suits the operator.
    pub fn check(&self) -> Result<(), ApiError> {
        let invalid = |why: String| Err(ApiError::InvalidRequest(why));
        if self.column.trim().is_empty() {
            return invalid("a runtime filter needs a column".into());
        }
        let count = self.values.len();
        match self.op.arity() {
            Arity::One if count != 1 => {
                invalid(format!("{} takes one value, not {count}", self.op))
            }
            Arity::Two if count != 2 => invalid(format!(
                "{} takes two values (a range), not {count}",
                self.op
            )),
            Arity::AtLeastOne if count == 0 => {
                invalid(format!("{} takes at least one value", self.op))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for RuntimeFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.column, self.op, self.values.join(", "))
    }
}

impl FromStr for RuntimeFilter {
    type Err = ApiError;

    /// `COLUMN OP VALUE`: the column (any words, or `[in brackets]`), then the first word that
    /// is an operator, then the value; operators that take several values take them separated by
    /// commas (`Category IN Toys, Books`, `Sales BW 10, 20`).
    fn from_str(text: &str) -> Result<RuntimeFilter, ApiError> {
        let shape = || {
            ApiError::InvalidRequest(format!(
                "'{text}' is not a runtime filter: write COLUMN OP VALUE, e.g. 'Region EQ west'"
            ))
        };
        let words: Vec<(usize, &str)> = word_offsets(text);
        let (index, op) = words
            .iter()
            .enumerate()
            .skip(1)
            .find_map(|(index, (_, word))| parse_op(word).ok().map(|op| (index, op)))
            .ok_or_else(shape)?;
        let (op_start, op_word) = words[index];
        let column = text[..op_start].trim();
        let column = column
            .strip_prefix('[')
            .and_then(|c| c.strip_suffix(']'))
            .unwrap_or(column)
            .trim();
        let rest = text[op_start + op_word.len()..].trim();
        if rest.is_empty() {
            return Err(shape());
        }
        let values: Vec<String> = match op.arity() {
            Arity::One => vec![rest.to_string()],
            Arity::Two | Arity::AtLeastOne => {
                rest.split(',').map(|v| v.trim().to_string()).collect()
            }
        };
        let filter = RuntimeFilter {
            column: column.to_string(),
            op,
            values,
        };
        filter.check()?;
        Ok(filter)
    }
}

/// The words of `text` with their byte offsets.
fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, &text[s..index]));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

/// Builders of operations that take runtime filters.
pub trait RuntimeFilters: Sized {
    /// Sets `col<n>`, `op<n>` and `val<n>` for each filter, in order. Fails when a filter is
    /// malformed or there are more than [`MAX_FILTERS`].
    fn runtime_filters(self, filters: &[RuntimeFilter]) -> Result<Self, ApiError>;
}

macro_rules! runtime_filters {
    ($builder:ty) => {
        impl RuntimeFilters for $builder {
            fn runtime_filters(mut self, filters: &[RuntimeFilter]) -> Result<Self, ApiError> {
                if filters.len() > MAX_FILTERS {
                    return Err(ApiError::InvalidRequest(format!(
                        "at most {MAX_FILTERS} runtime filters, not {}",
                        filters.len()
                    )));
                }
                for (index, filter) in filters.iter().enumerate() {
                    filter.check()?;
                    let column = filter.column.clone();
                    let op = filter.op.to_string();
                    let values = filter.values.clone();
                    self = match index {
                        0 => self.col1(column).op1(op).val1(values),
                        1 => self.col2(column).op2(op).val2(values),
                        2 => self.col3(column).op3(op).val3(values),
                        3 => self.col4(column).op4(op).val4(values),
                        _ => self.col5(column).op5(op).val5(values),
                    };
                }
                Ok(self)
            }
        }
    };
}

runtime_filters!(builder::PinboardData<'_>);
runtime_filters!(builder::ExportPinboardPdf<'_>);

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> RuntimeFilter {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn filters_parse_from_one_line() {
        assert_eq!(
            parse("Region EQ west"),
            RuntimeFilter::new("Region", FilterOp::Eq, ["west"])
        );
        assert_eq!(
            parse("Product Name begins_with Red Shirt"),
            RuntimeFilter::new("Product Name", FilterOp::BeginsWith, ["Red Shirt"])
        );
        assert_eq!(
            parse("[Category] in Toys, Books"),
            RuntimeFilter::new("Category", FilterOp::In, ["Toys", "Books"])
        );
        assert_eq!(
            parse("Sales >= 10"),
            RuntimeFilter::new("Sales", FilterOp::Ge, ["10"])
        );
        assert_eq!(
            parse("Sales BW_INC 10,20").values,
            ["10".to_string(), "20".to_string()]
        );
    }

    #[test]
    fn malformed_filters_say_why() {
        for (text, why) in [
            ("Region west", "is not a runtime filter"),
            ("EQ west", "is not a runtime filter"),
            ("Region EQ", "is not a runtime filter"),
            ("Sales BW 10", "takes two values"),
        ] {
            let error = text.parse::<RuntimeFilter>().unwrap_err().to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
        assert!(parse_op("LIKE").is_err());
    }
}
