//! Planner: resolves phrases against the [`Source`] and decides the shape of the query —
//! output columns (names per ThoughtSpot), grouping, row filters (`WHERE`), aggregate filters
//! (`HAVING`), ordering, top/bottom and the tables needed. Values are typed here and become
//! bound values; identifiers come only from the model.
//!
//! [`columns`] turns columns into expressions and outputs, [`filters`] turns conditions into
//! predicates; this module decides what each phrase means for the query as a whole.

mod columns;
mod filters;

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};

use sea_query::Expr;

use crate::ast::{Bucket, Phrase};
use crate::dialect::Dialect;
use crate::error::SearchError;
use crate::model::{Aggregation, DataType, SearchOptions, Source, SourceColumn};
use crate::{MAX_CONDITIONS, MAX_VALUES};

use columns::Resolved;
pub(crate) use columns::aggregate_name;
use filters::{Lhs, err};

/// What identifies an output column (used to merge repeats like `[sales] [sales]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct OutKey {
    pub column: usize,
    pub agg: Option<Aggregation>,
    pub bucket: Option<Bucket>,
}

/// One output column.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    pub name: String,
    pub data_type: DataType,
    /// The select expression.
    pub select: Expr,
    /// A grouping column (attribute, bucket or measure used as attribute).
    pub group: bool,
    /// Ordering expression when the select value does not sort naturally (day of week).
    pub sort_expr: Option<Expr>,
    pub(crate) key: OutKey,
    /// Aliases of the tables its expression reads.
    pub tables: BTreeSet<String>,
    /// For an aggregated output, the row expression it aggregates (with `key.agg`).
    pub aggregated: Option<Expr>,
}

/// A row filter (`WHERE`) or a group filter (`HAVING`), and the tables it reads.
#[derive(Debug, Clone)]
pub(crate) struct Predicate {
    pub expr: Expr,
    pub tables: BTreeSet<String>,
}

/// An ORDER BY item: output index and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OrderItem {
    pub output: usize,
    pub descending: bool,
}

/// `top n` / `bottom n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TopN {
    pub n: u64,
    pub rank: usize,
    pub bottom: bool,
}

/// The planned query.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub outputs: Vec<Output>,
    pub wheres: Vec<Predicate>,
    pub havings: Vec<Predicate>,
    /// Explicit `sort by` items, in order.
    pub sort: Vec<OrderItem>,
    pub top: Option<TopN>,
    /// Aliases of the tables the query touches.
    pub tables: BTreeSet<String>,
}

/// Resolution context for one search.
pub(crate) struct Planner<'a> {
    source: &'a Source,
    dialect: &'a dyn Dialect,
    options: &'a SearchOptions,
    by_name: HashMap<String, usize>,
    tables: BTreeSet<String>,
    /// Tables read since the innermost [`Planner::tracking`] began.
    touched: BTreeSet<String>,
    /// Comparisons made so far (a list of values compared at once is one).
    conditions: Cell<usize>,
    /// Values compared so far.
    values: Cell<usize>,
    /// Formula terms expanded so far.
    formula_terms: usize,
}

impl<'a> Planner<'a> {
    pub(crate) fn new(
        source: &'a Source,
        dialect: &'a dyn Dialect,
        options: &'a SearchOptions,
    ) -> Result<Self, SearchError> {
        let mut by_name = HashMap::new();
        for (i, c) in source.columns.iter().enumerate() {
            if by_name.insert(c.name.to_lowercase(), i).is_some() {
                return Err(SearchError::general(format!(
                    "The data source has two columns named [{}]",
                    c.name
                )));
            }
        }
        Ok(Planner {
            source,
            dialect,
            options,
            by_name,
            tables: BTreeSet::new(),
            touched: BTreeSet::new(),
            conditions: Cell::new(0),
            values: Cell::new(0),
            formula_terms: 0,
        })
    }

    /// Counts comparisons and values against the search's limits.
    fn count(&self, conditions: usize, values: usize) {
        self.conditions
            .set(self.conditions.get().saturating_add(conditions));
        self.values.set(self.values.get().saturating_add(values));
    }

    /// Runs `build` and returns what it built with the tables it read.
    fn tracking<T>(
        &mut self,
        build: impl FnOnce(&mut Self) -> Result<T, SearchError>,
    ) -> Result<(T, BTreeSet<String>), SearchError> {
        let outer = std::mem::take(&mut self.touched);
        let built = build(self);
        let touched = std::mem::replace(&mut self.touched, outer);
        self.touched.extend(touched.iter().cloned());
        built.map(|value| (value, touched))
    }

    fn over_budget(&self) -> bool {
        self.conditions.get() > MAX_CONDITIONS || self.values.get() > MAX_VALUES
    }

    /// The 400 for a search too big to run: it names the limit.
    fn check_budget(&self) -> Result<(), SearchError> {
        let (conditions, values) = (self.conditions.get(), self.values.get());
        if conditions > MAX_CONDITIONS {
            return Err(SearchError::general(format!(
                "This search has {conditions} conditions; at most {MAX_CONDITIONS} are allowed \
                 (each comparison counts, and each value of a text match or a date list)"
            )));
        }
        if values > MAX_VALUES {
            return Err(SearchError::general(format!(
                "This search compares {values} values; at most {MAX_VALUES} are allowed"
            )));
        }
        Ok(())
    }

    fn col(&self, i: usize) -> &'a SourceColumn {
        &self.source.columns[i]
    }

    /// A column by display name, case-insensitively; TML's table-qualified form
    /// `[TABLE::Column]` falls back to the part after `::`.
    fn lookup(&self, name: &str) -> Option<usize> {
        let find = |n: &str| self.by_name.get(&n.trim().to_lowercase()).copied();
        find(name).or_else(|| name.rsplit_once("::").and_then(|(_, n)| find(n)))
    }

    /// Plans the query.
    pub(crate) fn plan(mut self, phrases: &[Phrase]) -> Result<Plan, SearchError> {
        // Resolve every term first: unknown columns fail in query order.
        let mut resolved: Vec<Option<Resolved<'_>>> = Vec::with_capacity(phrases.len());
        for p in phrases {
            resolved.push(match p {
                Phrase::Term { term, .. }
                | Phrase::SortBy { term, .. }
                | Phrase::RankedBy { term } => Some(self.resolve(term)?),
                _ => None,
            });
        }

        // `by [measure]` groups by the measure when another measure is aggregated.
        let other_aggregates = phrases.iter().zip(&resolved).any(|(p, r)| {
            matches!(p, Phrase::Term { by: false, .. })
                && r.as_ref().is_some_and(|r| r.agg.is_some())
        });
        for (p, r) in phrases.iter().zip(resolved.iter_mut()) {
            if let (Phrase::Term { by: true, term, .. }, Some(r)) = (p, r.as_mut())
                && term.agg.is_none()
                && other_aggregates
            {
                r.agg = None;
            }
        }

        // Bind each date keyword to an adjacent bare date column, else to the query's or the
        // source's only date column.
        let bindable = |k: usize| -> bool {
            matches!(
                phrases.get(k),
                Some(Phrase::Term {
                    condition: None,
                    ..
                })
            ) && resolved[k]
                .as_ref()
                .is_some_and(|r| r.agg.is_none() && self.col(r.column).data_type.is_temporal())
        };
        let mut date_filters: Vec<(usize, usize)> = Vec::new(); // (phrase, column)
        let mut filter_only = vec![false; phrases.len()];
        for (k, p) in phrases.iter().enumerate() {
            let Phrase::Date { raw, pos, .. } = p else {
                continue;
            };
            let adjacent = [k.checked_sub(1), Some(k + 1)]
                .into_iter()
                .flatten()
                .find(|&j| bindable(j));
            let column = match adjacent {
                Some(j) => {
                    let r = resolved[j]
                        .as_ref()
                        .map(|r| (r.column, r.term.column.bucket));
                    let Some((column, bucket)) = r else { continue };
                    if bucket.is_none() {
                        filter_only[j] = true;
                    }
                    column
                }
                None => self.default_date_column(phrases, &resolved, raw, *pos)?,
            };
            date_filters.push((k, column));
        }

        let mut outputs: Vec<Output> = Vec::new();
        let mut wheres = Vec::new();
        let mut havings = Vec::new();
        let mut sort = Vec::new();
        let mut ranked: Option<usize> = None;
        let mut top: Option<(u64, bool, usize, String, usize)> = None; // n, bottom, pos, raw, phrase
        let mut top_rank: Option<usize> = None;

        for (k, p) in phrases.iter().enumerate() {
            match p {
                Phrase::Term { condition, .. } => {
                    let Some(r) = resolved[k].clone() else {
                        continue;
                    };
                    match condition {
                        Some(cond) => {
                            // Without an aggregate keyword a condition filters rows (WHERE),
                            // even on a measure; `sum [x] > 1` filters groups (HAVING).
                            let r = Resolved {
                                agg: r.term.agg,
                                ..r
                            };
                            let (e, tables) = self.tracking(|planner| {
                                let lhs = planner.lhs(&r)?;
                                planner.condition(&lhs, cond)
                            })?;
                            let predicate = Predicate { expr: e, tables };
                            if r.agg.is_some() {
                                havings.push(predicate);
                            } else {
                                wheres.push(predicate);
                            }
                        }
                        None if filter_only[k] => {}
                        None => {
                            let i = self.ensure_output(&mut outputs, &r)?;
                            if top.as_ref().is_some_and(|t| t.4 + 1 == k)
                                && outputs[i].key.agg.is_some()
                            {
                                top_rank = Some(i);
                            }
                        }
                    }
                }
                Phrase::SortBy { descending, .. } => {
                    let Some(r) = resolved[k].clone() else {
                        continue;
                    };
                    let i = self.ensure_output(&mut outputs, &r)?;
                    sort.push(OrderItem {
                        output: i,
                        descending: *descending,
                    });
                }
                Phrase::RankedBy { .. } => {
                    let Some(r) = resolved[k].clone() else {
                        continue;
                    };
                    ranked = Some(self.ensure_output(&mut outputs, &r)?);
                }
                Phrase::Top {
                    bottom,
                    n,
                    pos,
                    raw,
                } => {
                    top = Some((*n, *bottom, *pos, raw.clone(), k));
                }
                Phrase::Date { keyword, raw, pos } => {
                    for &(_, column) in date_filters.iter().filter(|(j, _)| *j == k) {
                        let c = self.col(column);
                        let (expr, tables) =
                            self.tracking(|planner| planner.row_expr(column, &mut Vec::new()))?;
                        let lhs = Lhs {
                            expr,
                            data_type: c.data_type,
                            bucket: None,
                            label: format!("[{}]", c.name),
                        };
                        let (op, operand) = self.date_range(keyword, raw, *pos)?;
                        wheres.push(Predicate {
                            expr: self.compare(&lhs, op, operand),
                            tables,
                        });
                    }
                }
            }
        }

        for f in &self.options.runtime_filters {
            let (expr, tables) = self.tracking(|planner| planner.runtime_filter(f))?;
            wheres.push(Predicate { expr, tables });
        }
        self.check_budget()?;

        if outputs.is_empty() {
            return Err(SearchError::general(
                "The search names no column to show (a column used only in a filter is not shown)",
            ));
        }

        let top = match top {
            None => None,
            Some((n, bottom, pos, raw, _)) => {
                let rank = ranked
                    .or(top_rank)
                    .or_else(|| outputs.iter().position(|o| o.key.agg.is_some()))
                    .ok_or_else(|| {
                        err(
                            format!("'{raw}' needs a measure to rank by"),
                            &raw,
                            Some(pos),
                        )
                    })?;
                Some(TopN { n, rank, bottom })
            }
        };

        Ok(Plan {
            outputs,
            wheres,
            havings,
            sort,
            top,
            tables: self.tables,
        })
    }

    fn default_date_column(
        &self,
        phrases: &[Phrase],
        resolved: &[Option<Resolved<'_>>],
        raw: &str,
        pos: usize,
    ) -> Result<usize, SearchError> {
        let mut in_query: Vec<usize> = phrases
            .iter()
            .zip(resolved)
            .filter_map(|(_, r)| r.as_ref().map(|r| r.column))
            .filter(|&c| self.col(c).data_type.is_temporal())
            .collect();
        in_query.sort_unstable();
        in_query.dedup();
        if let [c] = in_query.as_slice() {
            return Ok(*c);
        }
        let in_source: Vec<usize> = (0..self.source.columns.len())
            .filter(|&c| self.col(c).data_type.is_temporal())
            .collect();
        match (in_query.len(), in_source.as_slice()) {
            (0, [c]) => Ok(*c),
            (0, []) => Err(err(
                format!("'{raw}' needs a date column, and the data source has none"),
                raw,
                Some(pos),
            )),
            _ => Err(err(
                format!("'{raw}' could apply to several date columns: write the column next to it"),
                raw,
                Some(pos),
            )),
        }
    }
}
