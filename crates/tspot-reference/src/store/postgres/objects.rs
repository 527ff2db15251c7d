//! Metadata objects, their visualizations, columns, tags, sharing and favorites in PostgreSQL.
//! Every change bumps the catalog version in its transaction.

use std::collections::{BTreeSet, HashMap};

use postgres::types::ToSql;
use postgres::{GenericClient, IsolationLevel, Row};

use super::connections::query_connections;
use super::{CATALOG, PostgresStore, bump, version};
use crate::store::{
    ColumnRecord, ConnectionRecord, ObjectRecord, ObjectStore, ObjectWrite, StoreResult, TagRecord,
    VizRecord,
};

const OBJECT_COLUMNS: &str = "o.id, o.type, o.subtype, o.tml_type, o.name, o.description, \
     o.author_id, o.owner_id, o.created, o.modified, o.modified_by, o.is_auto_created, o.tml, \
     ARRAY(SELECT t.name FROM object_tags ot JOIN tags t ON t.id = ot.tag_id \
           WHERE ot.object_id = o.id ORDER BY t.name COLLATE \"C\")";

fn object_from_row(row: &Row) -> ObjectRecord {
    ObjectRecord {
        id: row.get(0),
        type_: row.get(1),
        subtype: row.get(2),
        tml_type: row.get(3),
        name: row.get(4),
        description: row.get(5),
        author_id: row.get(6),
        owner_id: row.get(7),
        created: row.get(8),
        modified: row.get(9),
        modified_by: row.get(10),
        is_auto_created: row.get(11),
        tml: row.get(12),
        tags: row.get(13),
    }
}

fn query_objects(
    c: &mut impl GenericClient,
    filter: &str,
    args: &[&(dyn ToSql + Sync)],
) -> StoreResult<Vec<ObjectRecord>> {
    let sql = format!(
        "SELECT {OBJECT_COLUMNS} FROM objects o {filter} ORDER BY o.created, o.id COLLATE \"C\""
    );
    Ok(c.query(&sql, args)?.iter().map(object_from_row).collect())
}

/// Replaces the rows keyed by `(object_id, key)` in `table`, keeping the GUIDs of keys that
/// stay, so visualization and column ids survive a re-import.
fn replace_keyed(
    c: &mut impl GenericClient,
    table: &str,
    key: &str,
    object_id: &str,
    keys: &[String],
) -> StoreResult<()> {
    let existing: HashMap<String, String> = c
        .query(
            &format!("SELECT {key}, id FROM {table} WHERE object_id = $1"),
            &[&object_id],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    c.execute(
        &format!("DELETE FROM {table} WHERE object_id = $1"),
        &[&object_id],
    )?;
    for (position, name) in keys.iter().enumerate() {
        let id = existing
            .get(name)
            .cloned()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        c.execute(
            &format!(
                "INSERT INTO {table} (id, object_id, {key}, position) VALUES ($1, $2, $3, $4)"
            ),
            &[&id, &object_id, name, &(position as i64)],
        )?;
    }
    Ok(())
}

fn put_object(
    c: &mut impl GenericClient,
    w: &ObjectWrite,
    actor: &str,
    now: i64,
) -> StoreResult<()> {
    c.execute(
        "INSERT INTO objects (id, type, subtype, tml_type, name, description, author_id, \
         owner_id, created, modified, modified_by, tml) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8, $7, $9) \
         ON CONFLICT (id) DO UPDATE SET type = $2, subtype = $3, tml_type = $4, name = $5, \
         description = $6, modified = $8, modified_by = $7, tml = $9",
        &[
            &w.id,
            &w.type_,
            &w.subtype,
            &w.tml_type,
            &w.name,
            &w.description,
            &actor,
            &now,
            &w.tml,
        ],
    )?;
    c.execute(
        "DELETE FROM object_dependencies WHERE object_id = $1",
        &[&w.id],
    )?;
    for dependency in &w.depends_on {
        c.execute(
            "INSERT INTO object_dependencies (object_id, depends_on) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
            &[&w.id, dependency],
        )?;
    }
    replace_keyed(c, "visualizations", "tml_id", &w.id, &w.visualizations)?;
    replace_keyed(c, "logical_columns", "name", &w.id, &w.columns)?;
    c.execute("DELETE FROM object_tags WHERE object_id = $1", &[&w.id])?;
    for tag in &w.tags {
        c.execute(
            "INSERT INTO tags (id, name, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&uuid::Uuid::new_v4().to_string(), tag, &now],
        )?;
        c.execute(
            "INSERT INTO object_tags (object_id, tag_id) SELECT $1, id FROM tags WHERE name = $2 \
             ON CONFLICT DO NOTHING",
            &[&w.id, tag],
        )?;
    }
    for principal in &w.shared_with {
        c.execute(
            "INSERT INTO object_shares (object_id, principal_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
            &[&w.id, principal],
        )?;
    }
    Ok(())
}

impl ObjectStore for PostgresStore {
    fn put_objects(&self, writes: &[ObjectWrite], actor: &str, now: i64) -> StoreResult<()> {
        self.write(|tx| {
            for w in writes {
                put_object(tx, w, actor, now)?;
            }
            bump(tx, CATALOG)
        })
    }

    fn objects(&self) -> StoreResult<Vec<ObjectRecord>> {
        self.read(|c| query_objects(c, "", &[]))
    }

    fn object(&self, id: &str) -> StoreResult<Option<ObjectRecord>> {
        Ok(self
            .read(|c| query_objects(c, "WHERE o.id = $1", &[&id]))?
            .into_iter()
            .next())
    }

    fn visualizations(&self, object_id: &str) -> StoreResult<Vec<VizRecord>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, object_id, tml_id, position FROM visualizations WHERE object_id = $1 \
                 ORDER BY position",
                &[&object_id],
            )?
            .iter()
            .map(|r| VizRecord {
                id: r.get(0),
                object_id: r.get(1),
                tml_id: r.get(2),
                position: r.get(3),
            })
            .collect())
        })
    }

    fn logical_columns(&self) -> StoreResult<Vec<ColumnRecord>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, object_id, name FROM logical_columns \
                 ORDER BY object_id COLLATE \"C\", position",
                &[],
            )?
            .iter()
            .map(|r| ColumnRecord {
                id: r.get(0),
                object_id: r.get(1),
                name: r.get(2),
            })
            .collect())
        })
    }

    fn tags(&self) -> StoreResult<Vec<TagRecord>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, name, color, created FROM tags ORDER BY name COLLATE \"C\"",
                &[],
            )?
            .iter()
            .map(|r| TagRecord {
                id: r.get(0),
                name: r.get(1),
                color: r.get(2),
                created: r.get(3),
            })
            .collect())
        })
    }

    fn readable_objects(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|c| {
            Ok(c.query(
                "WITH RECURSIVE ancestors(id) AS ( \
                     SELECT $1::text \
                     UNION SELECT m.group_id FROM memberships m JOIN ancestors a ON m.member_id = a.id) \
                 SELECT id FROM objects WHERE owner_id = $1 \
                 UNION SELECT object_id FROM object_shares \
                 WHERE principal_id IN (SELECT id FROM ancestors)",
                &[&user_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn favorites(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT object_id FROM favorites WHERE user_id = $1",
                &[&user_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn transfer_objects(
        &self,
        from: &str,
        to: &str,
        ids: Option<&[String]>,
        now: i64,
    ) -> StoreResult<usize> {
        self.write(|tx| {
            let moved = match ids {
                None => tx.execute(
                    "UPDATE objects SET owner_id = $2, modified = $3 WHERE owner_id = $1",
                    &[&from, &to, &now],
                )?,
                Some(ids) => tx.execute(
                    "UPDATE objects SET owner_id = $2, modified = $3 \
                     WHERE owner_id = $1 AND id = ANY($4)",
                    &[&from, &to, &now, &ids],
                )?,
            };
            bump(tx, CATALOG)?;
            Ok(moved as usize)
        })
    }

    fn catalog_snapshot(&self) -> StoreResult<(u64, Vec<ObjectRecord>, Vec<ConnectionRecord>)> {
        // A fresh snapshot of its own: the version and the rows agree.
        let mut connection = self.pool().get()?;
        let mut tx = connection
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let version = version(&mut tx, CATALOG)?;
        let objects = query_objects(&mut tx, "", &[])?;
        let connections = query_connections(&mut tx)?;
        tx.commit()?;
        Ok((version, objects, connections))
    }
}
