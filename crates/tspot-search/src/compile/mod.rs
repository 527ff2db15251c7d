//! SQL compiler: a [`Plan`] to sea-query statements — FROM with only the joins the query
//! needs, WHERE, GROUP BY, HAVING, ORDER BY and the top/bottom limit, plus the row count.

mod reshape;
mod tree;

use sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, TableRef,
};

use crate::dialect::Dialect;
use crate::error::SearchError;
use crate::model::{JoinKind, Source, SourceTable};
use crate::plan::{OrderItem, Plan, Predicate};
use tree::JoinTree;

/// The compiled statements.
#[derive(Debug, Clone)]
pub(crate) struct Built {
    /// The whole result, ordered (with `LIMIT n` for top/bottom).
    pub full: SelectStatement,
    /// `SELECT COUNT(*)` over the whole result.
    pub count: SelectStatement,
    /// For top/bottom without `sort by`: `full` already ends in `LIMIT n`, and paging must
    /// stay within those `n` rows.
    pub cap: Option<u64>,
}

fn output_alias(i: usize) -> Alias {
    Alias::new(format!("c{i}"))
}

/// A column position for GROUP BY / ORDER BY (an integer literal, never user text).
fn ordinal(i: usize) -> Expr {
    Expr::Constant(sea_query::Value::BigInt(Some(i as i64 + 1)))
}

fn table_ref(t: &SourceTable) -> TableRef {
    let table = Alias::new(t.table.as_str());
    let alias = Alias::new(t.alias.as_str());
    match &t.schema {
        Some(schema) => TableRef::from((Alias::new(schema.as_str()), table)).alias(alias),
        None => TableRef::from(table).alias(alias),
    }
}

fn join_type(kind: JoinKind) -> JoinType {
    match kind {
        JoinKind::Inner => JoinType::InnerJoin,
        JoinKind::LeftOuter => JoinType::LeftJoin,
        JoinKind::RightOuter => JoinType::RightJoin,
        JoinKind::FullOuter => JoinType::FullOuterJoin,
    }
}

/// ORDER BY for `items`, then the grouping columns ascending (so pages are stable).
fn add_order(q: &mut SelectStatement, plan: &Plan, items: &[OrderItem], use_sort_expr: bool) {
    let mut used: Vec<usize> = Vec::new();
    let grouping = plan
        .outputs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.group)
        .map(|(i, _)| OrderItem {
            output: i,
            descending: false,
        });
    for item in items.iter().copied().chain(grouping) {
        if used.contains(&item.output) {
            continue;
        }
        used.push(item.output);
        let target = match (&plan.outputs[item.output].sort_expr, use_sort_expr) {
            (Some(e), true) => e.clone(),
            _ => ordinal(item.output),
        };
        q.order_by_expr(
            target,
            if item.descending {
                Order::Desc
            } else {
                Order::Asc
            },
        );
    }
}

/// GROUP BY the grouping outputs, by position: attributes alone give their distinct
/// combinations; with no grouping column every output is an aggregate and the result is one row.
fn group_by_outputs(q: &mut SelectStatement, plan: &Plan) {
    let groups: Vec<Expr> = plan
        .outputs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.group)
        .map(|(i, _)| ordinal(i))
        .collect();
    if !groups.is_empty() {
        q.add_group_by(groups);
    }
}

/// The query without its order: the outputs, the joins, the filters and the grouping.
fn lazy(plan: &Plan, tree: &JoinTree<'_>, wheres: &[Predicate]) -> SelectStatement {
    let mut q = Query::select();
    for (i, o) in plan.outputs.iter().enumerate() {
        q.expr_as(o.select.clone(), output_alias(i));
    }
    tree.add_to(&mut q);
    for w in wheres {
        q.and_where(w.expr.clone());
    }
    group_by_outputs(&mut q, plan);
    for h in &plan.havings {
        q.and_having(h.expr.clone());
    }
    q
}

/// Builds the statements for a plan.
pub(crate) fn build(
    plan: &Plan,
    source: &Source,
    dialect: &dyn Dialect,
) -> Result<Built, SearchError> {
    let mut tree = JoinTree::new(source, &plan.tables)?;
    let mut wheres = plan.wheres.clone();
    reshape::semi_joins(plan, &mut tree, &mut wheres);
    let mut q =
        reshape::eager(plan, &tree, &wheres, dialect).unwrap_or_else(|| lazy(plan, &tree, &wheres));

    let (full, cap) = match plan.top {
        None => {
            add_order(&mut q, plan, &plan.sort, true);
            (q, None)
        }
        Some(top) => {
            let rank = [OrderItem {
                output: top.rank,
                descending: !top.bottom,
            }];
            add_order(&mut q, plan, &rank, true);
            q.limit(top.n);
            if plan.sort.is_empty() {
                (q, Some(top.n))
            } else {
                // Top n first, then sort those rows.
                let t = Alias::new("t");
                let mut outer = Query::select();
                for i in 0..plan.outputs.len() {
                    outer.expr_as(Expr::col((t.clone(), output_alias(i))), output_alias(i));
                }
                outer.from_subquery(q, t);
                add_order(&mut outer, plan, &plan.sort, false);
                (outer, None)
            }
        }
    };

    let mut inner = full.clone();
    if cap.is_none() && plan.top.is_none() {
        inner.clear_order_by();
    }
    let mut count = Query::select();
    count
        .expr(Expr::col(Asterisk).count())
        .from_subquery(inner, Alias::new("q"));

    Ok(Built { full, count, cap })
}
