//! Runtime filters: numbered `col<n>`, `op<n>`, `val<n>` fields (spec
//! `x-tspot-runtime-filters`; spec/README.md, "Wire rules"). OpenAPI cannot name numbered fields, so
//! they are collected here instead of by generated code.

use std::collections::BTreeMap;

use serde::Serialize;

use super::error::ApiError;
use super::fields::Fields;

/// A runtime filter operator: the spec's `RuntimeFilterOperator`, read in any case here.
pub use tspot_types::{Arity, RuntimeFilterOperator as FilterOperator};

/// One runtime filter: `column operator values`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuntimeFilter {
    pub column: String,
    pub operator: FilterOperator,
    pub values: Vec<String>,
}

/// The parts of filter `n` seen so far; the first `col<n>`/`op<n>` wins, as in `Fields::get`.
#[derive(Default)]
struct Parts<'a> {
    column: Option<&'a str>,
    operator: Option<&'a str>,
    values: Vec<String>,
}

/// Collects the filters in numeric order of `n`; gaps in the numbering are allowed.
pub fn collect(fields: &Fields) -> Result<Vec<RuntimeFilter>, ApiError> {
    let mut by_number: BTreeMap<u32, Parts<'_>> = BTreeMap::new();
    for (name, value) in fields.iter() {
        let Some((kind, n)) = split_name(name) else {
            continue;
        };
        let parts = by_number.entry(n).or_default();
        match kind {
            Kind::Col => {
                parts.column.get_or_insert(value);
            }
            Kind::Op => {
                parts.operator.get_or_insert(value);
            }
            Kind::Val => parts.values.push(value.to_owned()),
        }
    }
    by_number.into_iter().map(|(n, p)| build(n, p)).collect()
}

fn build(n: u32, parts: Parts<'_>) -> Result<RuntimeFilter, ApiError> {
    let (column, operator) = match (parts.column, parts.operator) {
        (Some(c), Some(o)) => (c, o),
        (Some(_), None) => return Err(bad(format!("col{n} is given without op{n}"))),
        (None, Some(_)) => return Err(bad(format!("op{n} is given without col{n}"))),
        (None, None) => return Err(bad(format!("val{n} is given without col{n} and op{n}"))),
    };
    if column.trim().is_empty() {
        return Err(bad(format!("col{n} is empty")));
    }
    let operator = FilterOperator::parse_any_case(operator).ok_or_else(|| {
        bad(format!(
            "op{n}: unknown runtime filter operator '{}'",
            operator.trim()
        ))
    })?;
    let arity = operator.arity();
    if !arity.accepts(parts.values.len()) {
        return Err(bad(format!(
            "op{n}={operator} takes {arity} in val{n}, got {}",
            parts.values.len()
        )));
    }
    Ok(RuntimeFilter {
        column: column.to_owned(),
        operator,
        values: parts.values,
    })
}

fn bad(detail: String) -> ApiError {
    ApiError::bad_request(format!("Invalid runtime filter: {detail}"))
}

enum Kind {
    Col,
    Op,
    Val,
}

/// `col12` gives `(Col, 12)`. Names whose number is not a plain positive decimal (`col`,
/// `col0`, `col01`, `colx`) are not filter fields and are left alone.
fn split_name(name: &str) -> Option<(Kind, u32)> {
    let (kind, digits) = if let Some(d) = name.strip_prefix("col") {
        (Kind::Col, d)
    } else if let Some(d) = name.strip_prefix("op") {
        (Kind::Op, d)
    } else if let Some(d) = name.strip_prefix("val") {
        (Kind::Val, d)
    } else {
        return None;
    };
    let canonical = digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    let n: u32 = digits.parse().ok().filter(|_| canonical)?;
    Some((kind, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(pairs: &[(&str, &str)]) -> Result<Vec<RuntimeFilter>, ApiError> {
        Fields::from_pairs(pairs.iter().copied()).runtime_filters()
    }

    fn filter(column: &str, operator: FilterOperator, values: &[&str]) -> RuntimeFilter {
        RuntimeFilter {
            column: column.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn err_message(pairs: &[(&str, &str)]) -> String {
        let e = filters(pairs).unwrap_err();
        assert_eq!(e.status(), http::StatusCode::BAD_REQUEST);
        e.message().to_owned()
    }

    #[test]
    fn operators_serialize_in_their_wire_spelling() {
        for name in FilterOperator::VALUES {
            let op = FilterOperator::parse_any_case(name).unwrap();
            assert_eq!(serde_json::to_value(op).unwrap(), serde_json::json!(name));
        }
    }

    #[test]
    fn none_when_no_filter_fields() {
        assert_eq!(filters(&[("id", "x"), ("vizid", "[]")]).unwrap(), []);
    }

    #[test]
    fn collects_in_numeric_order_with_gaps_and_repeated_values() {
        let got = filters(&[
            ("col10", "region"),
            ("op10", "in"),
            ("val10", "west"),
            ("id", "lb1"),
            ("col2", "sales"),
            ("op2", "BW_INC"),
            ("val2", "10"),
            ("val2", "20"),
            ("val10", "east"),
            ("col1", "state"),
            ("op1", "EQ"),
            ("val1", "CA"),
        ])
        .unwrap();
        assert_eq!(
            got,
            [
                filter("state", FilterOperator::Eq, &["CA"]),
                filter("sales", FilterOperator::BwInc, &["10", "20"]),
                filter("region", FilterOperator::In, &["west", "east"]),
            ]
        );
    }

    #[test]
    fn unrelated_look_alikes_are_ignored() {
        let got = filters(&[
            ("col", "x"),
            ("col0", "x"),
            ("col01", "x"),
            ("colour", "red"),
            ("option", "y"),
            ("value", "z"),
            ("col99999999999", "x"),
        ])
        .unwrap();
        assert_eq!(got, []);
    }

    #[test]
    fn empty_value_is_a_value() {
        let got = filters(&[("col1", "c"), ("op1", "EQ"), ("val1", "")]).unwrap();
        assert_eq!(got, [filter("c", FilterOperator::Eq, &[""])]);
    }

    #[test]
    fn errors() {
        assert!(err_message(&[("col1", "c"), ("val1", "v")]).contains("col1 is given without op1"));
        assert!(err_message(&[("op3", "EQ"), ("val3", "v")]).contains("op3 is given without col3"));
        assert!(err_message(&[("val2", "v")]).contains("val2 is given without col2 and op2"));
        assert!(
            err_message(&[("col1", " "), ("op1", "EQ"), ("val1", "v")]).contains("col1 is empty")
        );
        let m = err_message(&[("col1", "c"), ("op1", "LIKE"), ("val1", "v")]);
        assert!(m.contains("unknown runtime filter operator 'LIKE'"), "{m}");
        let m = err_message(&[("col1", "c"), ("op1", "EQ")]);
        assert!(m.contains("exactly 1 value") && m.contains("got 0"), "{m}");
        let m = err_message(&[("col1", "c"), ("op1", "EQ"), ("val1", "a"), ("val1", "b")]);
        assert!(m.contains("got 2"), "{m}");
        let m = err_message(&[("col1", "c"), ("op1", "BW"), ("val1", "a")]);
        assert!(m.contains("exactly 2 values"), "{m}");
        let m = err_message(&[("col1", "c"), ("op1", "IN")]);
        assert!(m.contains("at least 1 value"), "{m}");
    }

    #[test]
    fn serializes_for_handlers_and_logs() {
        let json = serde_json::to_value(filter("c", FilterOperator::BeginsWith, &["a"])).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"column": "c", "operator": "BEGINS_WITH", "values": ["a"]})
        );
    }
}
