//! The spec itself, and the Swagger portal that ThoughtSpot serves at `/external/swagger`.

use std::sync::LazyLock;

use axum::Router;
use axum::routing::get;
use utoipa_swagger_ui::SwaggerUi;

/// The spec as written.
pub const OPENAPI_YAML: &str = include_str!("../../../spec/thoughtspot-v1.yaml");

/// The spec as JSON (tests check that it converts).
pub static OPENAPI_JSON: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_yaml_ng::from_str(OPENAPI_YAML).unwrap_or_else(|error| {
        // Unreachable for a committed spec: `cargo xtask codegen` parses the same text.
        tracing::error!(%error, "spec/thoughtspot-v1.yaml does not parse");
        serde_json::Value::Null
    })
});

/// `/openapi.yaml`, `/openapi.json` and the Swagger UI at `/external/swagger`, served from the
/// API's own origin so a "Try it out" login cookie goes along with later calls.
pub fn router() -> Router {
    // utoipa's OpenApi model refuses 3.0.3 documents, so the UI gets the raw JSON.
    let swagger = SwaggerUi::new("/external/swagger")
        .external_url_unchecked("/openapi.json", OPENAPI_JSON.clone());
    Router::new()
        .route(
            "/openapi.yaml",
            get(|| async {
                (
                    [(http::header::CONTENT_TYPE, "application/yaml")],
                    OPENAPI_YAML,
                )
            }),
        )
        .merge(swagger)
}
