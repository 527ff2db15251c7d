//! Metadata objects as the API sees them: loading, access, data sources, TML import and export.

pub mod access;
pub mod export;
pub mod import;
pub mod source;
pub mod tml;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::metrics::CATALOG_CACHE_LOOKUPS;
use crate::store::{ConnectionRecord, ObjectRecord, Store, StoreError};

/// A stored object with its TML parsed.
#[derive(Debug, Clone)]
pub struct Entry {
    pub record: ObjectRecord,
    pub doc: Value,
}

impl Entry {
    /// The object inside the document (`table`, `worksheet`, ... body).
    pub fn body(&self) -> &Value {
        tml::body(&self.doc)
            .map(|(_, body)| body)
            .unwrap_or(&Value::Null)
    }
}

/// Every object (its TML parsed) and connection, as of one store version.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub entries: HashMap<String, Entry>,
    /// Ids by (TML type, name), oldest first: lookups by name don't scan the catalog.
    by_name: HashMap<(String, String), Vec<String>>,
    pub connections: Vec<ConnectionRecord>,
    /// The store's `catalog_version` this was loaded at.
    pub version: u64,
}

/// The parsed catalog, held between requests and reloaded when the store's catalog version
/// moves (TML import, ownership transfer, deletions, connections). Each lookup counts as a reuse
/// or a reload in [`crate::metrics::CATALOG_CACHE_LOOKUPS`].
#[derive(Default)]
pub struct CatalogCache {
    current: Mutex<Option<Arc<Catalog>>>,
}

impl CatalogCache {
    pub fn current(&self, store: &dyn Store) -> Result<Arc<Catalog>, StoreError> {
        // Read before the lock: with a shared store it is a query, which must not serialise
        // every request on the lock.
        let version = store.catalog_version()?;
        // Loading under the lock: concurrent requests after a change wait for one load.
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        // Versions only grow: a catalog at least as new as the version this request sees is
        // current (a request reading an older snapshot uses the newer catalog, as it would
        // after a reload).
        if let Some(catalog) = current.as_ref()
            && catalog.version >= version
        {
            metrics::counter!(CATALOG_CACHE_LOOKUPS, "result" => "reuse").increment(1);
            return Ok(catalog.clone());
        }
        metrics::counter!(CATALOG_CACHE_LOOKUPS, "result" => "reload").increment(1);
        let catalog = Arc::new(Catalog::load(store)?);
        *current = Some(catalog.clone());
        Ok(catalog)
    }
}

impl Catalog {
    pub fn load(store: &dyn Store) -> Result<Catalog, StoreError> {
        let (version, objects, connections) = store.catalog_snapshot()?;
        let mut catalog = Catalog {
            entries: HashMap::with_capacity(objects.len()),
            by_name: HashMap::new(),
            connections,
            version,
        };
        for record in objects {
            let doc = serde_json::from_str(&record.tml).map_err(|e| {
                StoreError::Inconsistent(format!("object {} holds invalid TML: {e}", record.id))
            })?;
            catalog.insert(Entry { record, doc });
        }
        Ok(catalog)
    }

    /// Adds or replaces an object.
    pub fn insert(&mut self, entry: Entry) {
        let id = entry.record.id.clone();
        if let Some(old) = self.entries.get(&id) {
            let key = (old.record.tml_type.clone(), old.record.name.clone());
            if let Some(ids) = self.by_name.get_mut(&key) {
                ids.retain(|other| other != &id);
            }
        }
        let key = (entry.record.tml_type.clone(), entry.record.name.clone());
        let rank = (entry.record.created, id.clone());
        self.entries.insert(id.clone(), entry);
        let ids = self.by_name.entry(key).or_default();
        ids.push(id);
        // Several objects may share a name; the oldest wins, deterministically.
        let entries = &self.entries;
        ids.sort_by_key(|other| {
            entries
                .get(other)
                .map(|e| (e.record.created, e.record.id.clone()))
                .unwrap_or_else(|| rank.clone())
        });
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// An object of `tml_type` by fqn (its GUID) or else by name, preferring `within`
    /// (objects being imported in the same request) when given.
    pub fn find<'a>(&'a self, tml_type: &str, fqn: Option<&str>, name: &str) -> Option<&'a Entry> {
        if let Some(entry) = fqn.and_then(|id| self.entries.get(id))
            && entry.record.tml_type == tml_type
        {
            return Some(entry);
        }
        self.by_name
            .get(&(tml_type.to_string(), name.to_string()))
            .and_then(|ids| ids.first())
            .and_then(|id| self.entries.get(id))
    }

    /// What an answer reads: a worksheet, else a table, by fqn or name.
    pub fn find_source<'a>(&'a self, fqn: Option<&str>, name: &str) -> Option<&'a Entry> {
        self.find("worksheet", fqn, name)
            .or_else(|| self.find("table", fqn, name))
    }

    pub fn connection(&self, name: &str) -> Option<&ConnectionRecord> {
        self.connections.iter().find(|c| c.name == name)
    }
}
