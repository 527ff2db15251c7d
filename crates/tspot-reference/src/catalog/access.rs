//! Who may read an object: its owner, members of the groups it is shared with, and holders of
//! ADMINISTRATION. A `REPORT_BOOK_VIEW` trusted session reads only the object it was issued for
//! (and what that object reads).
//!
//! Every path to data checks the object asked for AND every object it reads, transitively: a
//! Liveboard's visualizations read worksheets or tables, an answer reads one, a worksheet reads
//! tables (spec/authorization.md).

use tspot_server::ApiError;

use super::Catalog;
use super::export::with_associated;
use crate::auth::{Caller, FULL_ACCESS};
use crate::store::{Store, StoreError};

/// The privilege that lets a non-administrator create or change tables over a connection.
pub const DATA_MANAGEMENT: &str = "DATAMANAGEMENT";

/// What the caller may read.
pub struct Access {
    pub admin: bool,
    pub readable: std::collections::BTreeSet<String>,
    /// Set for `REPORT_BOOK_VIEW` sessions.
    pub only: Option<String>,
}

/// The 403 for an object that exists but is not readable (it names only the id asked for).
pub fn forbidden(id: &str) -> ApiError {
    ApiError::forbidden(format!(
        "You do not have access to the object with id '{id}'"
    ))
}

impl Access {
    pub fn can_read(&self, id: &str) -> bool {
        match &self.only {
            Some(only) => only == id,
            None => self.admin || self.readable.contains(id),
        }
    }

    /// Whether the caller may read `id` and every object it reads, transitively. A
    /// `REPORT_BOOK_VIEW` session reads what the object it was issued for reads.
    pub fn can_read_all(&self, catalog: &Catalog, id: &str) -> bool {
        if self.admin || self.only.as_deref() == Some(id) {
            return true;
        }
        self.can_read(id)
            && with_associated(catalog, id)
                .iter()
                .all(|d| self.can_read(d))
    }

    /// Like [`Access::can_read_all`] for an object read through `through` (a visualization's
    /// source read through its Liveboard): a `REPORT_BOOK_VIEW` session issued for `through`
    /// reads it.
    pub fn can_read_all_through(&self, catalog: &Catalog, through: &str, id: &str) -> bool {
        self.only.as_deref() == Some(through) || self.can_read_all(catalog, id)
    }

    /// The 403 unless the caller may read `id` and everything it reads.
    pub fn check_all(&self, catalog: &Catalog, id: &str) -> Result<(), ApiError> {
        if self.can_read_all(catalog, id) {
            Ok(())
        } else {
            Err(forbidden(id))
        }
    }
}

impl Access {
    /// What `caller` may read, from the store (inside the request's trip to the store).
    pub fn load(store: &dyn Store, caller: &Caller) -> Result<Access, StoreError> {
        let only = (caller.session.access_level != FULL_ACCESS)
            .then(|| caller.session.object_id.clone().unwrap_or_default());
        let admin = only.is_none() && caller.is_admin();
        let readable = if admin || only.is_some() {
            Default::default()
        } else {
            store.readable_objects(&caller.user_id)?
        };
        Ok(Access {
            admin,
            readable,
            only,
        })
    }

    /// What a full session of `user_id` may read (TML import runs as a user id).
    pub fn of_user(store: &dyn Store, user_id: &str, admin: bool) -> Result<Access, StoreError> {
        Ok(Access {
            admin,
            readable: if admin {
                Default::default()
            } else {
                store.readable_objects(user_id)?
            },
            only: None,
        })
    }
}
