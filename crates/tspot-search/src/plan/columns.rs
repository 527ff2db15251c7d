//! Columns as SQL: row-level expressions (physical columns, formulas), aggregates, and the
//! output columns with the names ThoughtSpot gives them.

use sea_query::{Expr, ExprTrait};

use super::filters::{Lhs, err};
use super::{OutKey, Output, Planner};
use crate::ast::{Bucket, Term};
use crate::error::SearchError;
use crate::formula::{ArithOp, Formula, parse_formula};
use crate::model::{Aggregation, ColumnExpr, ColumnKind, DataType};

/// A term resolved against the source.
#[derive(Debug, Clone)]
pub(super) struct Resolved<'t> {
    pub term: &'t Term,
    pub column: usize,
    pub agg: Option<Aggregation>,
}

/// Output name of an aggregated column (reference 7.5).
pub(crate) fn aggregate_name(agg: Aggregation, column: &str) -> String {
    match agg {
        Aggregation::Sum => format!("Total {column}"),
        Aggregation::Average => format!("Average {column}"),
        Aggregation::Count => format!("Number of {column}"),
        Aggregation::CountDistinct => format!("Unique Number of {column}"),
        Aggregation::Min => format!("Minimum {column}"),
        Aggregation::Max => format!("Maximum {column}"),
        Aggregation::StdDev => format!("Standard Deviation {column}"),
        Aggregation::Variance => format!("Variance {column}"),
        Aggregation::None => column.to_string(),
    }
}

pub(super) fn aggregate_type(agg: Aggregation, input: DataType) -> DataType {
    match agg {
        Aggregation::Sum | Aggregation::Min | Aggregation::Max | Aggregation::None => input,
        Aggregation::Count | Aggregation::CountDistinct => DataType::Int,
        Aggregation::Average | Aggregation::StdDev | Aggregation::Variance => DataType::Double,
    }
}

impl Planner<'_> {
    /// The row-level expression of a column; records the tables it needs.
    pub(super) fn row_expr(
        &mut self,
        i: usize,
        stack: &mut Vec<usize>,
    ) -> Result<Expr, SearchError> {
        let column = self.col(i);
        match &column.expr {
            ColumnExpr::Physical { table, column } => {
                if !self.source.tables.iter().any(|t| &t.alias == table) {
                    return Err(SearchError::general(format!(
                        "Column [{}] names table '{table}', which the data source does not have",
                        self.col(i).name
                    )));
                }
                self.tables.insert(table.clone());
                self.touched.insert(table.clone());
                Ok(Expr::col((
                    sea_query::Alias::new(table.as_str()),
                    sea_query::Alias::new(column.as_str()),
                )))
            }
            ColumnExpr::Formula(text) => {
                if stack.contains(&i) {
                    return Err(SearchError::general(format!(
                        "Formula of column [{}] refers to itself",
                        column.name
                    )));
                }
                if stack.len() >= crate::MAX_FORMULA_NESTING {
                    return Err(SearchError::general(format!(
                        "Formula of column [{}] nests formula columns more than {} deep",
                        column.name,
                        crate::MAX_FORMULA_NESTING
                    )));
                }
                let formula = parse_formula(text).map_err(|e| {
                    SearchError::general(format!(
                        "Invalid formula of column [{}]: {e}",
                        column.name
                    ))
                })?;
                stack.push(i);
                let expr = self.formula_expr(&formula, i, stack);
                stack.pop();
                expr
            }
        }
    }

    pub(super) fn formula_expr(
        &mut self,
        f: &Formula,
        owner: usize,
        stack: &mut Vec<usize>,
    ) -> Result<Expr, SearchError> {
        self.formula_terms += 1;
        if self.formula_terms > crate::MAX_FORMULA_EXPANSION {
            return Err(SearchError::general(format!(
                "This search expands formula columns to more than {} terms",
                crate::MAX_FORMULA_EXPANSION
            )));
        }
        Ok(match f {
            Formula::Int(n) => Expr::val(*n),
            Formula::Real(x) => Expr::val(*x),
            Formula::Column(name) => {
                let i = self.lookup(name).ok_or_else(|| {
                    SearchError::general(format!(
                        "Formula of column [{}] refers to unknown column [{name}]",
                        self.col(owner).name
                    ))
                })?;
                self.row_expr(i, stack)?
            }
            Formula::Neg(inner) => Expr::val(0).sub(self.formula_expr(inner, owner, stack)?),
            Formula::Binary(l, op, r) => {
                let l = self.formula_expr(l, owner, stack)?;
                let r = self.formula_expr(r, owner, stack)?;
                match op {
                    ArithOp::Add => l.add(r),
                    ArithOp::Sub => l.sub(r),
                    ArithOp::Mul => l.mul(r),
                    ArithOp::Div => self.dialect.to_real(l).div(r),
                }
            }
        })
    }

    pub(super) fn resolve<'t>(&self, term: &'t Term) -> Result<Resolved<'t>, SearchError> {
        let column = self.lookup(&term.column.name).ok_or_else(|| {
            err(
                format!("Unknown column {}", term.column.raw),
                &term.column.raw,
                Some(term.column.pos),
            )
        })?;
        let c = self.col(column);
        if term.column.bucket.is_some() && !c.data_type.is_temporal() {
            return Err(err(
                format!(
                    "Column {} is not a date, so it has no date buckets",
                    term.column.raw
                ),
                &term.column.raw,
                Some(term.column.pos),
            ));
        }
        let agg = match term.agg {
            Some(agg) => {
                let numeric_only = matches!(
                    agg,
                    Aggregation::Sum
                        | Aggregation::Average
                        | Aggregation::StdDev
                        | Aggregation::Variance
                );
                if numeric_only && !c.data_type.is_numeric() {
                    return Err(err(
                        format!(
                            "Column {} is not numeric, so it cannot be aggregated that way",
                            term.column.raw
                        ),
                        &term.column.raw,
                        Some(term.column.pos),
                    ));
                }
                if term.column.bucket.is_some() {
                    return Err(err(
                        format!(
                            "An aggregate of a date bucket is not supported: {}",
                            term.column.raw
                        ),
                        &term.column.raw,
                        Some(term.column.pos),
                    ));
                }
                Some(agg)
            }
            None if c.kind == ColumnKind::Measure
                && c.aggregation != Aggregation::None
                && term.column.bucket.is_none() =>
            {
                Some(c.aggregation)
            }
            None => None,
        };
        Ok(Resolved { term, column, agg })
    }

    pub(super) fn aggregate(&self, row: Expr, agg: Aggregation) -> Expr {
        match agg {
            Aggregation::Sum => row.sum(),
            Aggregation::Average => row.avg(),
            Aggregation::Count => row.count(),
            Aggregation::CountDistinct => row.count_distinct(),
            Aggregation::Min => row.min(),
            Aggregation::Max => row.max(),
            Aggregation::StdDev => self.dialect.stddev(row),
            Aggregation::Variance => self.dialect.variance(row),
            Aggregation::None => row,
        }
    }

    pub(super) fn output_for(&mut self, r: &Resolved<'_>) -> Result<Output, SearchError> {
        let c = self.col(r.column);
        let (row, tables) = self.tracking(|planner| planner.row_expr(r.column, &mut Vec::new()))?;
        let key = OutKey {
            column: r.column,
            agg: r.agg,
            bucket: r.term.column.bucket,
        };
        let d = self.dialect;
        Ok(match (r.agg, r.term.column.bucket) {
            (Some(agg), _) => {
                let data_type = aggregate_type(agg, c.data_type);
                let value = self.aggregate(row.clone(), agg);
                Output {
                    name: aggregate_name(agg, &c.name),
                    data_type,
                    select: if data_type.is_temporal() {
                        d.epoch_seconds(value)
                    } else {
                        value
                    },
                    group: false,
                    sort_expr: None,
                    key,
                    tables,
                    aggregated: Some(row),
                }
            }
            (None, Some(Bucket::DayOfWeek)) => Output {
                name: format!("{}({})", Bucket::DayOfWeek.label(), c.name),
                data_type: DataType::Text,
                select: d.day_of_week_name(row.clone()),
                group: true,
                // The weekday index is the same on every row of a group.
                sort_expr: Some(d.week_day_index(row).min()),
                key,
                tables,
                aggregated: None,
            },
            (None, Some(bucket)) => Output {
                name: format!("{}({})", bucket.label(), c.name),
                data_type: DataType::Date,
                select: d.bucket_epoch(row, bucket),
                group: true,
                sort_expr: None,
                key,
                tables,
                aggregated: None,
            },
            (None, None) => Output {
                name: c.name.clone(),
                data_type: c.data_type,
                select: if c.data_type.is_temporal() {
                    d.epoch_seconds(row)
                } else {
                    row
                },
                group: true,
                sort_expr: None,
                key,
                tables,
                aggregated: None,
            },
        })
    }

    /// Index of the output for `r`, adding it when missing.
    pub(super) fn ensure_output(
        &mut self,
        outputs: &mut Vec<Output>,
        r: &Resolved<'_>,
    ) -> Result<usize, SearchError> {
        let out = self.output_for(r)?;
        if let Some(i) = outputs.iter().position(|o| o.key == out.key) {
            return Ok(i);
        }
        outputs.push(out);
        Ok(outputs.len() - 1)
    }

    /// The left-hand side of a condition on a resolved term.
    pub(super) fn lhs(&mut self, r: &Resolved<'_>) -> Result<Lhs, SearchError> {
        let c = self.col(r.column);
        let row = self.row_expr(r.column, &mut Vec::new())?;
        let label = r.term.column.raw.clone();
        Ok(match (r.agg, r.term.column.bucket) {
            (Some(agg), _) => Lhs {
                expr: self.aggregate(row, agg),
                data_type: aggregate_type(agg, c.data_type),
                bucket: None,
                label,
            },
            (None, Some(Bucket::DayOfWeek)) => Lhs {
                expr: self.dialect.iso_day_of_week(row),
                data_type: DataType::Int,
                bucket: Some(Bucket::DayOfWeek),
                label,
            },
            (None, bucket) => Lhs {
                expr: row,
                data_type: c.data_type,
                bucket,
                label,
            },
        })
    }
}
