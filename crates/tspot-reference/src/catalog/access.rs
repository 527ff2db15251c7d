//! Who may read an object: its owner, members of the groups it is shared with, and holders of
//! ADMINISTRATION. A `REPORT_BOOK_VIEW` trusted session reads only the object it was issued for.

use tspot_server::ApiError;

use crate::auth::{Caller, FULL_ACCESS};
use crate::store::{Store, StoreError};

/// What the caller may read.
pub struct Access {
    pub admin: bool,
    pub readable: std::collections::BTreeSet<String>,
    /// Set for `REPORT_BOOK_VIEW` sessions.
    pub only: Option<String>,
}

impl Access {
    pub fn can_read(&self, id: &str) -> bool {
        match &self.only {
            Some(only) => only == id,
            None => self.admin || self.readable.contains(id),
        }
    }

    /// The 403 for an object that exists but is not readable.
    pub fn check(&self, id: &str) -> Result<(), ApiError> {
        if self.can_read(id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "You do not have access to the object with id '{id}'"
            )))
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
}
