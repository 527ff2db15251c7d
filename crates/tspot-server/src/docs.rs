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

/// Where the portal lives.
pub const PORTAL_PATH: &str = "/external/swagger";

/// The portal's `swagger-initializer.js`, in place of the one utoipa-swagger-ui writes:
///
/// - `X-Requested-By: ThoughtSpot` (the spec's API key `requestedBy`) is authorized as soon as the
///   document loads, so every "Try it out" of a POST sends it, and so does every curl snippet;
/// - the session is the browser's own `JSESSIONID` cookie: "Try it out" on `session/login` sets
///   it, and the browser sends it with every later call from this origin;
/// - so the Authorize dialog has nothing left to do (and a cookie API key typed into it would not
///   reach the server: browsers do not let pages set `Cookie`), and it is not offered: the button
///   and the padlocks are hidden.
pub const SWAGGER_INITIALIZER: &str = r##"// tspot: the Swagger portal of the ThoughtSpot REST API v1 (crates/tspot-server/src/docs.rs).
window.onload = function () {
  // The Authorize dialog is not offered: sign in with "Try it out" on session/login instead.
  const NoAuthorizeDialog = function () {
    return {
      wrapComponents: {
        authorizeBtn: function () { return function () { return null; }; },
        authorizeOperationBtn: function () { return function () { return null; }; },
      },
    };
  };
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl, NoAuthorizeDialog],
    layout: "StandaloneLayout",
    requestSnippetsEnabled: true,
    onComplete: function () {
      // ThoughtSpot's CSRF guard on every POST, in every call and every curl snippet.
      window.ui.preauthorizeApiKey("requestedBy", "ThoughtSpot");
    },
  });
};
"##;

/// `/openapi.yaml`, `/openapi.json` and the Swagger UI at `/external/swagger`, served from the
/// API's own origin so a "Try it out" login cookie goes along with later calls.
pub fn router() -> Router {
    // utoipa's OpenApi model refuses 3.0.3 documents, so the UI gets the raw JSON.
    let swagger =
        SwaggerUi::new(PORTAL_PATH).external_url_unchecked("/openapi.json", OPENAPI_JSON.clone());
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
        .route(
            &format!("{PORTAL_PATH}/swagger-initializer.js"),
            get(|| async {
                (
                    [(
                        http::header::CONTENT_TYPE,
                        "application/javascript; charset=utf-8",
                    )],
                    SWAGGER_INITIALIZER,
                )
            }),
        )
        .merge(swagger)
}
