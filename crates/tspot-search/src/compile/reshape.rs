//! Two rewrites that keep a query's answer and spare the engine work on star schemas, where a
//! fact table joins many-to-one to its dimensions:
//!
//! - **semi-joins**: a dimension that only filters becomes `fact.key IN (SELECT key FROM
//!   dimension WHERE ...)`, so the engine scans the fact table once instead of probing it
//!   through an index row by row (SQLite: the demo's total sales 27 -> 12 ms at 100k rows);
//! - **eager aggregation**: the fact table is aggregated by its join keys (and its own grouping
//!   columns) before the dimensions join, so the joins and the final grouping see a few rows
//!   per key instead of every fact row (sales by store 88 -> 37 ms).
//!
//! Each applies only where it is exact: semi-joins on an inner join to the join's destination
//! (the "one" side ThoughtSpot's many-to-one joins declare); eager aggregation for SUM, COUNT,
//! MIN, MAX and AVERAGE read from the fact table alone, which stay the same when a fact row's
//! aggregate meets the same dimension rows the row itself would have met.

use std::collections::BTreeSet;

use sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};

use super::tree::JoinTree;
use super::{group_by_outputs, ordinal, output_alias, table_ref};
use crate::dialect::Dialect;
use crate::model::{Aggregation, JoinKind};
use crate::plan::{Plan, Predicate};

/// Replaces filter-only dimensions by `IN` subqueries, leaves first, until none is left.
pub(crate) fn semi_joins(plan: &Plan, tree: &mut JoinTree<'_>, wheres: &mut Vec<Predicate>) {
    let reads = |alias: &str| {
        plan.outputs.iter().any(|o| o.tables.contains(alias))
            || plan.havings.iter().any(|h| h.tables.contains(alias))
    };
    while let Some(at) = tree.joined.iter().position(|j| {
        let filters = wheres.iter().filter(|w| w.tables.contains(j.alias));
        j.edge.child_is_destination
            && j.edge.kind == JoinKind::Inner
            && j.edge.on.len() == 1
            && tree.is_leaf(j.alias)
            && !reads(j.alias)
            && filters.clone().count() > 0
            && filters.into_iter().all(|w| w.tables.len() == 1)
    }) {
        let dimension = tree.joined.remove(at);
        let (parent_column, key) = &dimension.edge.on[0];
        let mut keys = Query::select();
        keys.expr(Expr::col((
            Alias::new(dimension.alias),
            Alias::new(key.as_str()),
        )))
        .from(table_ref(tree.tables[dimension.alias]));
        let (own, others): (Vec<Predicate>, Vec<Predicate>) = std::mem::take(wheres)
            .into_iter()
            .partition(|w| w.tables.contains(dimension.alias));
        for w in own {
            keys.and_where(w.expr);
        }
        *wheres = others;
        wheres.push(Predicate {
            expr: Expr::col((
                Alias::new(dimension.parent),
                Alias::new(parent_column.as_str()),
            ))
            .in_subquery(keys),
            tables: BTreeSet::from([dimension.parent.to_string()]),
        });
    }
}

/// An aggregate in two steps: what each key's rows give (named `name`, `name_n`...) and how the
/// group combines them, for the aggregations that combine exactly.
fn in_two_steps(
    agg: Aggregation,
    row: &Expr,
    fact: &str,
    name: &str,
    dialect: &dyn Dialect,
) -> Option<(Vec<(Expr, String)>, Expr)> {
    let partial =
        |suffix: &str| Expr::col((Alias::new(fact), Alias::new(format!("{name}{suffix}"))));
    let one = |inner: Expr, outer: Expr| Some((vec![(inner, name.to_string())], outer));
    match agg {
        Aggregation::Sum => one(row.clone().sum(), partial("").sum()),
        // A group always has rows, but a search without grouping columns over no rows counts 0.
        Aggregation::Count => one(
            row.clone().count(),
            Func::coalesce([partial("").sum(), Expr::val(0)]).into(),
        ),
        Aggregation::Min => one(row.clone().min(), partial("").min()),
        Aggregation::Max => one(row.clone().max(), partial("").max()),
        // The sum over the count of non-NULL values, as AVG divides; no value gives NULL.
        Aggregation::Average => Some((
            vec![
                (row.clone().sum(), name.to_string()),
                (row.clone().count(), format!("{name}_n")),
            ],
            dialect.to_real(partial("").sum()).div(partial("_n").sum()),
        )),
        _ => None,
    }
}

/// The query with the fact table (the FROM's table) aggregated before its joins, or `None`
/// when that would not give the same answer or there is nothing to gain.
pub(crate) fn eager(
    plan: &Plan,
    tree: &JoinTree<'_>,
    wheres: &[Predicate],
    dialect: &dyn Dialect,
) -> Option<SelectStatement> {
    let fact = tree.top;
    let touches = |tables: &BTreeSet<String>| tables.contains(fact);
    let only_fact = |tables: &BTreeSet<String>| tables.iter().all(|t| t == fact);
    let from_fact: Vec<_> = tree.joined.iter().filter(|j| j.parent == fact).collect();
    if from_fact.is_empty()
        || !plan.havings.is_empty()
        || !plan.outputs.iter().any(|o| !o.group)
        || from_fact
            .iter()
            .any(|j| !matches!(j.edge.kind, JoinKind::Inner | JoinKind::LeftOuter))
    {
        return None;
    }

    // Inside: the fact's join columns under their own names, so the joins read them unchanged.
    let mut inner = Query::select();
    inner.from(table_ref(tree.tables[fact]));
    // The inner GROUP BY: join columns as the dialect computes them (SQLite would walk their
    // index), the fact's own grouping outputs by position.
    let mut group_by: Vec<Expr> = Vec::new();
    let mut join_columns: Vec<&str> = Vec::new();
    for (column, _) in from_fact.iter().flat_map(|j| &j.edge.on) {
        if !join_columns.contains(&column.as_str()) {
            join_columns.push(column);
        }
    }
    for column in join_columns {
        if column.starts_with("tspot_") {
            return None;
        }
        let key = Expr::col((Alias::new(fact), Alias::new(column)));
        inner.expr_as(key.clone(), Alias::new(column));
        group_by.push(dialect.computed(key));
    }

    let mut outer = Query::select();
    let mut partials = Vec::new();
    for (i, o) in plan.outputs.iter().enumerate() {
        if o.sort_expr.is_some() {
            return None;
        }
        let select = if o.group {
            if !touches(&o.tables) {
                o.select.clone()
            } else if only_fact(&o.tables) {
                let name = format!("tspot_k{i}");
                inner.expr_as(o.select.clone(), Alias::new(name.as_str()));
                group_by.push(ordinal(group_by.len()));
                Expr::col((Alias::new(fact), Alias::new(name)))
            } else {
                return None;
            }
        } else {
            let (agg, row) = (o.key.agg?, o.aggregated.as_ref()?);
            if o.tables.is_empty() || !only_fact(&o.tables) || o.data_type.is_temporal() {
                return None;
            }
            let (parts, combined) = in_two_steps(agg, row, fact, &format!("tspot_m{i}"), dialect)?;
            partials.extend(parts);
            combined
        };
        outer.expr_as(select, output_alias(i));
    }
    // The partial aggregates after the keys, whose positions the GROUP BY names.
    for (select, name) in partials {
        inner.expr_as(select, Alias::new(name));
    }
    for w in wheres {
        if !touches(&w.tables) {
            outer.and_where(w.expr.clone());
        } else if only_fact(&w.tables) {
            inner.and_where(w.expr.clone());
        } else {
            return None;
        }
    }
    inner.add_group_by(group_by);

    outer.from_subquery(inner, Alias::new(fact));
    tree.add_joins(&mut outer);
    group_by_outputs(&mut outer, plan);
    Some(outer)
}
