//! SQL compiler: a [`Plan`] to sea-query statements — FROM with only the joins the query
//! needs, WHERE, GROUP BY, HAVING, ORDER BY and the top/bottom limit, plus the row count.

use std::collections::{BTreeSet, HashMap, VecDeque};

use sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, TableRef,
};

use crate::error::SearchError;
use crate::model::{JoinKind, Source, SourceTable};
use crate::plan::{OrderItem, Plan};

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

/// One edge of the join tree, oriented from the parent to the child table.
#[derive(Debug, Clone)]
struct Edge {
    kind: JoinKind,
    /// `(parent column, child column)`.
    on: Vec<(String, String)>,
}

/// Adds FROM and the joins needed to reach `needed` (the smallest subtree of the join tree
/// that connects them).
fn add_from(
    q: &mut SelectStatement,
    source: &Source,
    needed: &BTreeSet<String>,
) -> Result<(), SearchError> {
    let Some(root) = source.tables.first() else {
        return Err(SearchError::general("The data source has no tables"));
    };
    let by_alias: HashMap<&str, &SourceTable> = source
        .tables
        .iter()
        .map(|t| (t.alias.as_str(), t))
        .collect();

    // Orient the join tree from the root.
    let mut parent: HashMap<&str, (&str, Edge)> = HashMap::new();
    let mut seen: BTreeSet<&str> = BTreeSet::from([root.alias.as_str()]);
    let mut queue = VecDeque::from([root.alias.as_str()]);
    let mut order = vec![root.alias.as_str()];
    while let Some(at) = queue.pop_front() {
        for j in &source.joins {
            let (child, edge) = if j.left == at {
                (
                    j.right.as_str(),
                    Edge {
                        kind: j.kind,
                        on: j.on.clone(),
                    },
                )
            } else if j.right == at {
                (
                    j.left.as_str(),
                    Edge {
                        kind: j.kind.flipped(),
                        on: j.on.iter().map(|(l, r)| (r.clone(), l.clone())).collect(),
                    },
                )
            } else {
                continue;
            };
            if !by_alias.contains_key(child) {
                return Err(SearchError::general(format!(
                    "A join names table '{child}', which the data source does not have"
                )));
            }
            if seen.insert(child) {
                parent.insert(child, (at, edge));
                queue.push_back(child);
                order.push(child);
            }
        }
    }

    // Tables on the paths from the root to the needed ones.
    let mut keep: BTreeSet<&str> = BTreeSet::new();
    for t in needed {
        if !seen.contains(t.as_str()) {
            return Err(SearchError::general(format!(
                "Table '{t}' is not joined to '{}' in the data source",
                root.alias
            )));
        }
        let mut at = t.as_str();
        while keep.insert(at) {
            match parent.get(at) {
                Some((p, _)) => at = p,
                None => break,
            }
        }
    }
    // Drop a root that is only a bridge to a single needed branch.
    let mut top = root.alias.as_str();
    loop {
        let children: Vec<&str> = keep
            .iter()
            .copied()
            .filter(|c| parent.get(c).is_some_and(|(p, _)| *p == top))
            .collect();
        if needed.contains(top) || children.len() != 1 {
            break;
        }
        keep.remove(top);
        top = children[0];
    }

    q.from(table_ref(by_alias[top]));
    for child in order {
        if child == top || !keep.contains(child) {
            continue;
        }
        let (p, edge) = &parent[child];
        let cond = edge
            .on
            .iter()
            .map(|(pc, cc)| {
                Expr::col((Alias::new(*p), Alias::new(pc.as_str())))
                    .equals((Alias::new(child), Alias::new(cc.as_str())))
            })
            .reduce(|a, b| a.and(b))
            .unwrap_or_else(|| Expr::val(true));
        q.join(join_type(edge.kind), table_ref(by_alias[child]), cond);
    }
    Ok(())
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

/// Builds the statements for a plan.
pub(crate) fn build(plan: &Plan, source: &Source) -> Result<Built, SearchError> {
    let mut q = Query::select();
    for (i, o) in plan.outputs.iter().enumerate() {
        q.expr_as(o.select.clone(), output_alias(i));
    }
    add_from(&mut q, source, &plan.tables)?;
    for w in &plan.wheres {
        q.and_where(w.clone());
    }
    let groups: Vec<Expr> = plan
        .outputs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.group)
        .map(|(i, _)| ordinal(i))
        .collect();
    // Grouping columns group (attributes alone give their distinct combinations); with no
    // grouping column every output is an aggregate and the result is one row.
    if !groups.is_empty() {
        q.add_group_by(groups);
    }
    for h in &plan.havings {
        q.and_having(h.clone());
    }

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
