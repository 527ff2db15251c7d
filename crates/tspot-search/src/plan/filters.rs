//! Conditions as SQL predicates: values typed by their column (numbers, case-insensitive
//! text, date ranges), comparisons, lists, text matching, date keywords and runtime filters.
//! Every value is bound.

use sea_query::{BinOper, Expr, ExprTrait};

use super::Planner;
use crate::ast::{Bucket, CmpOp, Condition, DateKeyword, TextOp, Value, ValueKind};
use crate::dates::{self, DateRange};
use crate::dialect::escape_like;
use crate::error::SearchError;
use crate::model::{DataType, FilterOperator, RuntimeFilter};

/// A typed right-hand side.
#[derive(Debug, Clone)]
pub(super) enum Operand {
    Scalar(sea_query::Value),
    Range(DateRange),
}

/// What a condition compares: an expression and the type of its values.
#[derive(Debug, Clone)]
pub(super) struct Lhs {
    pub expr: Expr,
    pub data_type: DataType,
    /// For a bucketed column, the bucket (values name a period or a weekday).
    pub bucket: Option<Bucket>,
    /// The column as written (`[Order Date]`), for messages.
    pub label: String,
}

pub(super) fn err(message: impl Into<String>, token: &str, pos: Option<usize>) -> SearchError {
    SearchError {
        message: message.into(),
        token: Some(token.to_string()),
        position: pos,
    }
}

pub(super) fn bin(l: Expr, op: BinOper, r: Expr) -> Expr {
    l.binary(op, r)
}

pub(super) fn all(mut exprs: Vec<Expr>) -> Expr {
    let first = exprs.remove(0);
    exprs.into_iter().fold(first, |acc, e| acc.and(e))
}

pub(super) fn any(mut exprs: Vec<Expr>) -> Expr {
    let first = exprs.remove(0);
    exprs.into_iter().fold(first, |acc, e| acc.or(e))
}

impl Planner<'_> {
    /// `lhs = any of` / `none of` the parts, unless the search is already over its budget of
    /// conditions: then the parts are dropped unjoined (a chain of thousands would nest that deep)
    /// and [`Planner::plan`] refuses the search.
    fn join(&self, parts: Vec<Expr>, negated: bool) -> Expr {
        if self.over_budget() {
            return Expr::val(true);
        }
        if negated { all(parts) } else { any(parts) }
    }

    pub(super) fn operand(&self, lhs: &Lhs, v: &Value) -> Result<Operand, SearchError> {
        self.count(0, 1);
        let text = v.text.trim();
        if lhs.bucket == Some(Bucket::DayOfWeek) {
            let n = match text.to_lowercase().as_str() {
                "monday" | "mon" | "1" => 1,
                "tuesday" | "tue" | "2" => 2,
                "wednesday" | "wed" | "3" => 3,
                "thursday" | "thu" | "4" => 4,
                "friday" | "fri" | "5" => 5,
                "saturday" | "sat" | "6" => 6,
                "sunday" | "sun" | "7" => 7,
                _ => {
                    return Err(err(
                        format!(
                            "{} is not a day of the week (a weekday name, or 1 = Monday ... 7 = Sunday) for {}",
                            v.raw, lhs.label
                        ),
                        &v.raw,
                        v.pos,
                    ));
                }
            };
            return Ok(Operand::Scalar(sea_query::Value::BigInt(Some(n))));
        }
        match lhs.data_type {
            DataType::Date | DataType::DateTime => {
                let range = dates::parse_date_literal(text).ok_or_else(|| {
                    err(
                        format!(
                            "{} is not a date (MM/DD/YYYY or a year) for {}",
                            v.raw, lhs.label
                        ),
                        &v.raw,
                        v.pos,
                    )
                })?;
                // A day names its whole bucket (`[d].monthly = '03/15/2024'` is March).
                let is_year = text.len() == 4;
                Ok(Operand::Range(match lhs.bucket {
                    Some(b) if !is_year => dates::bucket_range(range.start, b).unwrap_or(range),
                    _ => range,
                }))
            }
            DataType::Int | DataType::Double => {
                let bad = || {
                    err(
                        format!("{} is not a number, and {} is numeric", v.raw, lhs.label),
                        &v.raw,
                        v.pos,
                    )
                };
                if lhs.data_type == DataType::Int
                    && let Ok(n) = text.parse::<i64>()
                {
                    return Ok(Operand::Scalar(sea_query::Value::BigInt(Some(n))));
                }
                let x: f64 = text.parse().map_err(|_| bad())?;
                if !x.is_finite() || text.chars().any(|c| c.is_alphabetic()) {
                    return Err(bad());
                }
                Ok(Operand::Scalar(sea_query::Value::Double(Some(x))))
            }
            DataType::Bool => {
                let b = match text.to_lowercase().as_str() {
                    "true" | "yes" | "1" => true,
                    "false" | "no" | "0" => false,
                    _ => {
                        return Err(err(
                            format!("{} is not true or false for {}", v.raw, lhs.label),
                            &v.raw,
                            v.pos,
                        ));
                    }
                };
                Ok(Operand::Scalar(sea_query::Value::Bool(Some(b))))
            }
            DataType::Text => Ok(Operand::Scalar(sea_query::Value::String(Some(
                v.text.clone(),
            )))),
        }
    }

    pub(super) fn compare(&self, lhs: &Lhs, op: CmpOp, rhs: Operand) -> Expr {
        // A date range is two comparisons for = and !=.
        let ranged = matches!(rhs, Operand::Range(_)) && matches!(op, CmpOp::Eq | CmpOp::Ne);
        self.count(if ranged { 2 } else { 1 }, 0);
        match rhs {
            Operand::Scalar(v) => {
                let (l, r) = if lhs.data_type == DataType::Text && lhs.bucket.is_none() {
                    (
                        self.dialect.ci_column(lhs.expr.clone()),
                        self.dialect.ci_value(Expr::val(v)),
                    )
                } else {
                    (lhs.expr.clone(), Expr::val(v))
                };
                let op = match op {
                    CmpOp::Eq => BinOper::Equal,
                    CmpOp::Ne => BinOper::NotEqual,
                    CmpOp::Lt => BinOper::SmallerThan,
                    CmpOp::Le => BinOper::SmallerThanOrEqual,
                    CmpOp::Gt => BinOper::GreaterThan,
                    CmpOp::Ge => BinOper::GreaterThanOrEqual,
                };
                bin(l, op, r)
            }
            Operand::Range(range) => {
                let l = lhs.expr.clone();
                let start = self.dialect.date_value(range.start);
                let end = self.dialect.date_value(range.end);
                match op {
                    CmpOp::Eq => bin(l.clone(), BinOper::GreaterThanOrEqual, start).and(bin(
                        l,
                        BinOper::SmallerThan,
                        end,
                    )),
                    CmpOp::Ne => bin(l.clone(), BinOper::SmallerThan, start).or(bin(
                        l,
                        BinOper::GreaterThanOrEqual,
                        end,
                    )),
                    CmpOp::Lt => bin(l, BinOper::SmallerThan, start),
                    CmpOp::Le => bin(l, BinOper::SmallerThan, end),
                    CmpOp::Gt => bin(l, BinOper::GreaterThanOrEqual, end),
                    CmpOp::Ge => bin(l, BinOper::GreaterThanOrEqual, start),
                }
            }
        }
    }

    pub(super) fn one_value<'v>(
        &self,
        op_name: &str,
        values: &'v [Value],
    ) -> Result<&'v Value, SearchError> {
        match values {
            [v] => Ok(v),
            [_, second, ..] => Err(err(
                format!("'{op_name}' takes one value, found {}", second.raw),
                &second.raw,
                second.pos,
            )),
            [] => Err(SearchError::general(format!("'{op_name}' needs a value"))),
        }
    }

    /// `lhs = any of values` (`negated`: none of them).
    pub(super) fn membership(
        &self,
        lhs: &Lhs,
        values: &[Value],
        negated: bool,
    ) -> Result<Expr, SearchError> {
        let operands = values
            .iter()
            .map(|v| self.operand(lhs, v))
            .collect::<Result<Vec<_>, _>>()?;
        let op = if negated { CmpOp::Ne } else { CmpOp::Eq };
        if let [only] = operands.as_slice() {
            return Ok(self.compare(lhs, op, only.clone()));
        }
        let scalars: Option<Vec<sea_query::Value>> = operands
            .iter()
            .map(|o| match o {
                Operand::Scalar(v) => Some(v.clone()),
                Operand::Range(_) => None,
            })
            .collect();
        Ok(match scalars {
            Some(vals) => {
                // One flat list: one condition however many values.
                self.count(1, 0);
                let text = lhs.data_type == DataType::Text && lhs.bucket.is_none();
                let l = if text {
                    self.dialect.ci_column(lhs.expr.clone())
                } else {
                    lhs.expr.clone()
                };
                let items: Vec<Expr> = vals
                    .into_iter()
                    .map(|v| {
                        if text {
                            self.dialect.ci_value(Expr::val(v))
                        } else {
                            Expr::val(v)
                        }
                    })
                    .collect();
                if negated {
                    l.is_not_in(items)
                } else {
                    l.is_in(items)
                }
            }
            None => {
                let parts: Vec<Expr> = operands
                    .into_iter()
                    .map(|o| self.compare(lhs, op, o))
                    .collect();
                self.join(parts, negated)
            }
        })
    }

    pub(super) fn text_match(
        &self,
        lhs: &Lhs,
        op: TextOp,
        negated: bool,
        values: &[Value],
    ) -> Result<Expr, SearchError> {
        if lhs.data_type != DataType::Text || lhs.bucket.is_some() {
            let word = match op {
                TextOp::Contains => "contains",
                TextOp::BeginsWith => "begins with",
                TextOp::EndsWith => "ends with",
            };
            return Err(err(
                format!(
                    "'{word}' needs a text column, and {} is not text",
                    lhs.label
                ),
                &lhs.label,
                None,
            ));
        }
        self.count(values.len(), values.len());
        let parts: Vec<Expr> = values
            .iter()
            .map(|v| {
                let body = escape_like(&v.text);
                let pattern = match op {
                    TextOp::Contains => format!("%{body}%"),
                    TextOp::BeginsWith => format!("{body}%"),
                    TextOp::EndsWith => format!("%{body}"),
                };
                let m = self.dialect.like_ci(lhs.expr.clone(), pattern);
                if negated { m.not() } else { m }
            })
            .collect();
        Ok(self.join(parts, negated))
    }

    pub(super) fn condition(&self, lhs: &Lhs, cond: &Condition) -> Result<Expr, SearchError> {
        match cond {
            Condition::Compare { op, values } => match op {
                CmpOp::Eq => self.membership(lhs, values, false),
                CmpOp::Ne => self.membership(lhs, values, true),
                op => {
                    let name = match op {
                        CmpOp::Lt => "<",
                        CmpOp::Le => "<=",
                        CmpOp::Gt => ">",
                        _ => ">=",
                    };
                    let v = self.one_value(name, values)?;
                    Ok(self.compare(lhs, *op, self.operand(lhs, v)?))
                }
            },
            Condition::Between { low, high, negated } => {
                let e = self
                    .compare(lhs, CmpOp::Ge, self.operand(lhs, low)?)
                    .and(self.compare(lhs, CmpOp::Le, self.operand(lhs, high)?));
                Ok(if *negated { e.not() } else { e })
            }
            Condition::Text {
                op,
                negated,
                values,
            } => self.text_match(lhs, *op, *negated, values),
        }
    }

    pub(super) fn runtime_filter(&mut self, f: &RuntimeFilter) -> Result<Expr, SearchError> {
        let column = self.lookup(&f.column).ok_or_else(|| SearchError {
            message: format!("Unknown column [{}] in a runtime filter", f.column),
            token: Some(f.column.clone()),
            position: None,
        })?;
        let c = self.col(column);
        let lhs = Lhs {
            expr: self.row_expr(column, &mut Vec::new())?,
            data_type: c.data_type,
            bucket: None,
            label: format!("[{}]", c.name),
        };
        let values: Vec<Value> = f
            .values
            .iter()
            .map(|v| Value {
                kind: ValueKind::Quoted,
                text: runtime_value(v, c.data_type),
                raw: format!("'{v}'"),
                pos: None,
            })
            .collect();
        let wrong = |n: &str| {
            SearchError::general(format!(
                "Runtime filter {} on [{}] needs {n}, got {}",
                f.operator.wire_name(),
                c.name,
                f.values.len()
            ))
        };
        let two = || -> Result<(&Value, &Value), SearchError> {
            match values.as_slice() {
                [a, b] => Ok((a, b)),
                _ => Err(wrong("two values")),
            }
        };
        let cmp = |op: CmpOp, v: &Value| -> Result<Expr, SearchError> {
            Ok(self.compare(&lhs, op, self.operand(&lhs, v)?))
        };
        use FilterOperator as F;
        match f.operator {
            F::Eq | F::In => {
                if values.is_empty() {
                    return Err(wrong("at least one value"));
                }
                self.membership(&lhs, &values, false)
            }
            F::Ne => {
                if values.is_empty() {
                    return Err(wrong("at least one value"));
                }
                self.membership(&lhs, &values, true)
            }
            F::Lt | F::Le | F::Gt | F::Ge => {
                let [v] = values.as_slice() else {
                    return Err(wrong("one value"));
                };
                let op = match f.operator {
                    F::Lt => CmpOp::Lt,
                    F::Le => CmpOp::Le,
                    F::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                cmp(op, v)
            }
            F::Contains | F::BeginsWith | F::EndsWith => {
                if values.is_empty() {
                    return Err(wrong("at least one value"));
                }
                let op = match f.operator {
                    F::Contains => TextOp::Contains,
                    F::BeginsWith => TextOp::BeginsWith,
                    _ => TextOp::EndsWith,
                };
                self.text_match(&lhs, op, false, &values)
            }
            F::BwIncMax => {
                let (a, b) = two()?;
                Ok(cmp(CmpOp::Gt, a)?.and(cmp(CmpOp::Le, b)?))
            }
            F::BwIncMin => {
                let (a, b) = two()?;
                Ok(cmp(CmpOp::Ge, a)?.and(cmp(CmpOp::Lt, b)?))
            }
            F::BwInc => {
                let (a, b) = two()?;
                Ok(cmp(CmpOp::Ge, a)?.and(cmp(CmpOp::Le, b)?))
            }
            F::Bw => {
                let (a, b) = two()?;
                Ok(cmp(CmpOp::Gt, a)?.and(cmp(CmpOp::Lt, b)?))
            }
        }
    }

    pub(super) fn date_range(
        &self,
        keyword: &DateKeyword,
        raw: &str,
        pos: usize,
    ) -> Result<(CmpOp, Operand), SearchError> {
        match keyword {
            DateKeyword::Relative(rel) => {
                let range = dates::resolve(*rel, self.options.today).ok_or_else(|| {
                    err(
                        format!("'{raw}' is out of the calendar's range"),
                        raw,
                        Some(pos),
                    )
                })?;
                Ok((CmpOp::Eq, Operand::Range(range)))
            }
            DateKeyword::Before(v) | DateKeyword::After(v) => {
                let range = dates::parse_date_literal(&v.text).ok_or_else(|| {
                    err(
                        format!("{} is not a date (MM/DD/YYYY or a year)", v.raw),
                        &v.raw,
                        v.pos,
                    )
                })?;
                let op = if matches!(keyword, DateKeyword::Before(_)) {
                    CmpOp::Lt
                } else {
                    CmpOp::Gt
                };
                Ok((op, Operand::Range(range)))
            }
        }
    }
}

/// Runtime-filter values for date columns may also be epoch seconds or milliseconds.
fn runtime_value(v: &str, data_type: DataType) -> String {
    let t = v.trim();
    if data_type.is_temporal()
        && t.len() > 4
        && t.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = t.parse::<i64>()
        && let Some(dt) =
            chrono::DateTime::from_timestamp(if t.len() >= 13 { n / 1000 } else { n }, 0)
    {
        return dt.date_naive().format("%Y-%m-%d").to_string();
    }
    v.to_string()
}
