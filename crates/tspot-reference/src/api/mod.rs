//! The reference server's implementation of the API: one module per tag of the spec, each
//! implementing that tag's trait (`user` implements `UserApi`, ...) under the trait's own method
//! names; the domain lives in `analytics`, `catalog`, `store` and `sync`.

mod data;
mod group;
mod metadata;
mod session;
mod tml;
mod user;

pub(crate) use tml::import_as_admin;

use tspot_server::{ApiError, ApiHooks, RequestContext};

use crate::Reference;
use crate::catalog::access::{self, Access};
use crate::catalog::{Catalog, Entry};

impl ApiHooks for Reference {
    async fn authenticate(&self, ctx: &mut RequestContext) -> Result<(), ApiError> {
        self.authenticate_request(ctx).await
    }

    fn body_limit(&self, operation_id: &'static str) -> usize {
        self.config.body_limits.for_operation(operation_id)
    }
}

fn no_such_object(id: &str) -> ApiError {
    ApiError::not_found(format!("No object with id '{id}' exists"))
}

/// A readable Liveboard or answer, or the error ThoughtSpot gives: a 403 names only the id the
/// caller sent. What its visualizations read is checked per visualization
/// (`analytics::liveboard::select`).
fn readable<'a>(catalog: &'a Catalog, access: &Access, id: &str) -> Result<&'a Entry, ApiError> {
    let entry = catalog.get(id).ok_or_else(|| no_such_object(id))?;
    if !access.can_read(id) {
        return Err(access::forbidden(id));
    }
    Ok(entry)
}
