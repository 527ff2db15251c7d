//! Server side of the ThoughtSpot REST API v1, generated from `spec/thoughtspot-v1.yaml`.
//!
//! This crate holds only the interface: one trait per tag of the spec ([`UserApi`], [`GroupApi`],
//! [`SessionApi`], [`TmlApi`], [`MetadataApi`], [`DataApi`]; one method per operation, named after
//! its operation id, typed inputs in, its success type or an [`ApiError`] out), the [`ApiHooks`]
//! they share, the [`router`] that parses requests the way ThoughtSpot does before calling them
//! (it takes one type implementing every trait: [`ThoughtSpotApi`]), and the documentation
//! routes. The model types are [`types`] (the `tspot-types` crate). Implementations live
//! elsewhere (the reference server is `tspot-reference`).

pub mod context;
pub mod docs;
pub mod observe;
// Formatted by prettyplease in `cargo xtask codegen`, never by rustfmt.
#[rustfmt::skip]
mod generated;
pub mod respond;
pub mod security_headers;
pub mod wire;

use std::sync::Arc;

pub use context::RequestContext;
pub use generated::*;
pub use wire::ApiError;

/// One row of the operation table: what the spec says about an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub operation_id: &'static str,
    pub tag: &'static str,
    /// Alternative security requirements, each a list of scheme names that must all hold.
    pub security: &'static [&'static [&'static str]],
}

/// The whole HTTP surface: every operation, `/openapi.json`, `/openapi.yaml` and the Swagger
/// portal at `/external/swagger`; anything else is a ThoughtSpot-style 404. Every response carries
/// the [`security_headers`] (`nosniff`; `Cache-Control: no-store` on the API) and the request's
/// trace id (`x-callosum-trace-id`); every request gets its ids, log line and metrics
/// ([`observe`]).
pub fn app<A: ThoughtSpotApi>(api: Arc<A>) -> axum::Router {
    app_with(api, axum::Router::new())
}

/// [`app`] with `extra` routes beside the API (health probes, metrics), which get the same
/// headers, request ids, log line and metrics.
pub fn app_with<A: ThoughtSpotApi>(api: Arc<A>, extra: axum::Router) -> axum::Router {
    let routes =
        router(api)
            .merge(docs::router())
            .merge(extra)
            .fallback(|uri: http::Uri| async move {
                ApiError::not_found(format!("No such endpoint: {}", uri.path()))
            });
    observe::apply(security_headers::apply(routes))
}
