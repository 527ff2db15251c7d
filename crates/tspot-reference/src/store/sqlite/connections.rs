//! Connections (the databases tables read) in SQLite.

use rusqlite::{Connection, params};

use super::SqliteStore;
use crate::store::{ConnectionRecord, ConnectionStore, StoreResult};

pub(super) fn query_connections(connection: &Connection) -> StoreResult<Vec<ConnectionRecord>> {
    {
        let mut statement = connection.prepare_cached(
            "SELECT id, name, description, engine, location, author_id, owner_id, created, modified \
             FROM connections ORDER BY name",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(ConnectionRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                engine: r.get(3)?,
                location: r.get(4)?,
                author_id: r.get(5)?,
                owner_id: r.get(6)?,
                created: r.get(7)?,
                modified: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl ConnectionStore for SqliteStore {
    fn connections(&self) -> StoreResult<Vec<ConnectionRecord>> {
        self.read(query_connections)
    }

    fn put_connection(&self, c: &ConnectionRecord) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO connections (id, name, description, engine, location, author_id, owner_id, \
             created, modified, modified_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?6) \
             ON CONFLICT (name) DO UPDATE SET engine = ?4, location = ?5, modified = ?9",
            params![c.id, c.name, c.description, c.engine, c.location, c.author_id, c.owner_id, c.created, c.modified],
        )?;
        self.catalog_changed();
        Ok(())
    }
}
