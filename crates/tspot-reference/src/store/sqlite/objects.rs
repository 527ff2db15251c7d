//! Metadata objects, their visualizations, columns, tags, sharing and favorites in SQLite.

use std::collections::BTreeSet;

use rusqlite::{Connection, params};

use super::connections::query_connections;
use super::{SqliteStore, split_names, write_tx};
use crate::store::{
    ColumnRecord, ConnectionRecord, ObjectRecord, ObjectStore, ObjectWrite, StoreResult, TagRecord,
    VizRecord,
};

const OBJECT_COLUMNS: &str = "o.id, o.type, o.subtype, o.tml_type, o.name, o.description, \
     o.author_id, o.owner_id, o.created, o.modified, o.modified_by, o.is_auto_created, o.tml, \
     (SELECT group_concat(name, char(31)) FROM (SELECT t.name AS name FROM object_tags ot \
      JOIN tags t ON t.id = ot.tag_id WHERE ot.object_id = o.id ORDER BY t.name))";

fn object_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ObjectRecord> {
    let tags: Option<String> = row.get(13)?;
    Ok(ObjectRecord {
        id: row.get(0)?,
        type_: row.get(1)?,
        subtype: row.get(2)?,
        tml_type: row.get(3)?,
        name: row.get(4)?,
        description: row.get(5)?,
        author_id: row.get(6)?,
        owner_id: row.get(7)?,
        created: row.get(8)?,
        modified: row.get(9)?,
        modified_by: row.get(10)?,
        is_auto_created: row.get(11)?,
        tml: row.get(12)?,
        tags: split_names(tags),
    })
}

fn query_objects(
    connection: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> StoreResult<Vec<ObjectRecord>> {
    let sql = format!("SELECT {OBJECT_COLUMNS} FROM objects o {filter} ORDER BY o.created, o.id");
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(args, object_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the rows keyed by `(object_id, key)` in `table`, keeping the GUIDs of keys that
/// stay, so visualization and column ids survive a re-import.
fn replace_keyed(
    tx: &Connection,
    table: &str,
    key: &str,
    object_id: &str,
    keys: &[String],
) -> StoreResult<()> {
    let existing: std::collections::HashMap<String, String> = {
        let mut statement = tx.prepare(&format!(
            "SELECT {key}, id FROM {table} WHERE object_id = ?1"
        ))?;
        let rows = statement.query_map([object_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute(
        &format!("DELETE FROM {table} WHERE object_id = ?1"),
        [object_id],
    )?;
    for (position, name) in keys.iter().enumerate() {
        let id = existing
            .get(name)
            .cloned()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        tx.execute(
            &format!(
                "INSERT INTO {table} (id, object_id, {key}, position) VALUES (?1, ?2, ?3, ?4)"
            ),
            params![id, object_id, name, position as i64],
        )?;
    }
    Ok(())
}

impl ObjectStore for SqliteStore {
    fn put_objects(&self, writes: &[ObjectWrite], actor: &str, now: i64) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        for w in writes {
            tx.execute(
                "INSERT INTO objects (id, type, subtype, tml_type, name, description, author_id, \
                 owner_id, created, modified, modified_by, tml) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8, ?7, ?9) \
                 ON CONFLICT (id) DO UPDATE SET type = ?2, subtype = ?3, tml_type = ?4, name = ?5, \
                 description = ?6, modified = ?8, modified_by = ?7, tml = ?9",
                params![
                    w.id,
                    w.type_,
                    w.subtype,
                    w.tml_type,
                    w.name,
                    w.description,
                    actor,
                    now,
                    w.tml
                ],
            )?;
            tx.execute(
                "DELETE FROM object_dependencies WHERE object_id = ?1",
                [&w.id],
            )?;
            for dependency in &w.depends_on {
                tx.execute(
                    "INSERT OR IGNORE INTO object_dependencies (object_id, depends_on) VALUES (?1, ?2)",
                    [&w.id, dependency],
                )?;
            }
            replace_keyed(&tx, "visualizations", "tml_id", &w.id, &w.visualizations)?;
            replace_keyed(&tx, "logical_columns", "name", &w.id, &w.columns)?;
            tx.execute("DELETE FROM object_tags WHERE object_id = ?1", [&w.id])?;
            for tag in &w.tags {
                tx.execute(
                    "INSERT OR IGNORE INTO tags (id, name, created) VALUES (?1, ?2, ?3)",
                    params![uuid::Uuid::new_v4().to_string(), tag, now],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO object_tags (object_id, tag_id) \
                     SELECT ?1, id FROM tags WHERE name = ?2",
                    [&w.id, tag],
                )?;
            }
            for principal in &w.shared_with {
                tx.execute(
                    "INSERT OR IGNORE INTO object_shares (object_id, principal_id) VALUES (?1, ?2)",
                    [&w.id, principal],
                )?;
            }
        }
        tx.commit()?;
        self.catalog_changed();
        Ok(())
    }

    fn objects(&self) -> StoreResult<Vec<ObjectRecord>> {
        self.read(|c| query_objects(c, "", &[]))
    }

    fn object(&self, id: &str) -> StoreResult<Option<ObjectRecord>> {
        Ok(self
            .read(|c| query_objects(c, "WHERE o.id = ?1", &[&id]))?
            .into_iter()
            .next())
    }

    fn visualizations(&self, object_id: &str) -> StoreResult<Vec<VizRecord>> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, object_id, tml_id, position FROM visualizations WHERE object_id = ?1 \
             ORDER BY position",
            )?;
            let rows = statement.query_map([object_id], |r| {
                Ok(VizRecord {
                    id: r.get(0)?,
                    object_id: r.get(1)?,
                    tml_id: r.get(2)?,
                    position: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn logical_columns(&self) -> StoreResult<Vec<ColumnRecord>> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, object_id, name FROM logical_columns ORDER BY object_id, position",
            )?;
            let rows = statement.query_map([], |r| {
                Ok(ColumnRecord {
                    id: r.get(0)?,
                    object_id: r.get(1)?,
                    name: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn tags(&self) -> StoreResult<Vec<TagRecord>> {
        self.read(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT id, name, color, created FROM tags ORDER BY name")?;
            let rows = statement.query_map([], |r| {
                Ok(TagRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    color: r.get(2)?,
                    created: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn readable_objects(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|connection| {
        let mut statement = connection.prepare_cached(
            "WITH RECURSIVE ancestors(id) AS ( \
                 SELECT ?1 \
                 UNION SELECT m.group_id FROM memberships m JOIN ancestors a ON m.member_id = a.id) \
             SELECT id FROM objects WHERE owner_id = ?1 \
             UNION SELECT object_id FROM object_shares WHERE principal_id IN (SELECT id FROM ancestors)",
        )?;
        let rows = statement.query_map([user_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn favorites(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|connection| {
            let mut statement =
                connection.prepare_cached("SELECT object_id FROM favorites WHERE user_id = ?1")?;
            let rows = statement.query_map([user_id], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn transfer_objects(
        &self,
        from: &str,
        to: &str,
        ids: Option<&[String]>,
        now: i64,
    ) -> StoreResult<usize> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let moved = match ids {
            None => tx.execute(
                "UPDATE objects SET owner_id = ?2, modified = ?3 WHERE owner_id = ?1",
                params![from, to, now],
            )?,
            Some(ids) => {
                let mut moved = 0;
                for id in ids {
                    moved += tx.execute(
                        "UPDATE objects SET owner_id = ?2, modified = ?3 WHERE owner_id = ?1 AND id = ?4",
                        params![from, to, now, id],
                    )?;
                }
                moved
            }
        };
        tx.commit()?;
        self.catalog_changed();
        Ok(moved)
    }

    fn catalog_snapshot(&self) -> StoreResult<(u64, Vec<ObjectRecord>, Vec<ConnectionRecord>)> {
        let version = self
            .catalog_version
            .load(std::sync::atomic::Ordering::Acquire);
        let load = |c: &Connection| -> StoreResult<_> {
            Ok((query_objects(c, "", &[])?, query_connections(c)?))
        };
        let (objects, connections) = match &self.readers {
            Some(pool) => {
                let connection = pool.get()?;
                load(&connection)?
            }
            None => load(&self.lock())?,
        };
        Ok((version, objects, connections))
    }
}
