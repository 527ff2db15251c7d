//! The joins a query needs: the smallest subtree of the source's join tree that connects the
//! tables it reads, oriented from the table the FROM starts at.

use std::collections::{BTreeSet, HashMap, VecDeque};

use sea_query::{Alias, Expr, ExprTrait, SelectStatement};

use super::{join_type, table_ref};
use crate::error::SearchError;
use crate::model::{JoinKind, Source, SourceTable};

/// One edge of the join tree, oriented from the parent to the child table.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub kind: JoinKind,
    /// `(parent column, child column)`.
    pub on: Vec<(String, String)>,
    /// The child is the join's destination, the "one" side of ThoughtSpot's many-to-one join:
    /// each parent row meets at most one of its rows.
    pub child_is_destination: bool,
}

/// A table joined below `parent`.
#[derive(Debug, Clone)]
pub(crate) struct Joined<'s> {
    pub alias: &'s str,
    pub parent: &'s str,
    pub edge: Edge,
}

#[derive(Debug, Clone)]
pub(crate) struct JoinTree<'s> {
    pub tables: HashMap<&'s str, &'s SourceTable>,
    /// The table the FROM starts at.
    pub top: &'s str,
    /// The joined tables, each after its parent.
    pub joined: Vec<Joined<'s>>,
}

impl<'s> JoinTree<'s> {
    /// The joins that reach `needed`.
    pub fn new(source: &'s Source, needed: &'s BTreeSet<String>) -> Result<Self, SearchError> {
        let Some(root) = source.tables.first() else {
            return Err(SearchError::general("The data source has no tables"));
        };
        let tables: HashMap<&str, &SourceTable> = source
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
                            child_is_destination: true,
                        },
                    )
                } else if j.right == at {
                    (
                        j.left.as_str(),
                        Edge {
                            kind: j.kind.flipped(),
                            on: j.on.iter().map(|(l, r)| (r.clone(), l.clone())).collect(),
                            child_is_destination: false,
                        },
                    )
                } else {
                    continue;
                };
                if !tables.contains_key(child) {
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

        let joined = order
            .into_iter()
            .filter(|child| *child != top && keep.contains(child))
            .map(|child| {
                let (p, edge) = parent
                    .remove(child)
                    .expect("every kept table but the top has a parent");
                Joined {
                    alias: child,
                    parent: p,
                    edge,
                }
            })
            .collect();
        Ok(JoinTree {
            tables,
            top,
            joined,
        })
    }

    /// Whether a joined table has tables joined below it.
    pub fn is_leaf(&self, alias: &str) -> bool {
        !self.joined.iter().any(|j| j.parent == alias)
    }

    /// Adds the FROM and its joins to `q`.
    pub fn add_to(&self, q: &mut SelectStatement) {
        q.from(table_ref(self.tables[self.top]));
        self.add_joins(q);
    }

    /// Adds the joins alone (the FROM is the caller's).
    pub fn add_joins(&self, q: &mut SelectStatement) {
        for j in &self.joined {
            q.join(
                join_type(j.edge.kind),
                table_ref(self.tables[j.alias]),
                on(j.parent, j.alias, &j.edge.on),
            );
        }
    }
}

/// `parent.a = child.b AND ...`.
fn on(parent: &str, child: &str, pairs: &[(String, String)]) -> Expr {
    pairs
        .iter()
        .map(|(pc, cc)| {
            Expr::col((Alias::new(parent), Alias::new(pc.as_str())))
                .equals((Alias::new(child), Alias::new(cc.as_str())))
        })
        .reduce(|a, b| a.and(b))
        .unwrap_or_else(|| Expr::val(true))
}
