//! Headers that every response carries, whatever answered it (an operation, the documentation
//! routes or the 404 fallback).
//!
//! - `X-Content-Type-Options: nosniff` everywhere: a browser never guesses a type other than the
//!   one declared, so a JSON error that echoes input is never run as HTML or script.
//! - `Cache-Control: no-store` on the API (`/tspublic/v1/...` and `/callosum/v1/tspublic/v1/...`):
//!   its answers carry data, login tokens and sessions, which no cache (a browser's, a proxy's)
//!   may keep. A `Cache-Control` that a handler set is left as it is. The documentation routes
//!   (the OpenAPI document and the Swagger portal's static assets) keep their caching.

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};

/// The path prefixes of the API; anything below them is an API response.
pub const API_PREFIXES: [&str; 2] = ["/tspublic/v1/", "/callosum/v1/tspublic/v1/"];

/// `router` with the headers added to every response, its fallback's included. Apply it last, after
/// every route and the fallback.
pub fn apply(router: Router) -> Router {
    router.layer(axum::middleware::from_fn(add_headers))
}

/// Whether `path` is below one of the [`API_PREFIXES`].
pub fn is_api_path(path: &str) -> bool {
    API_PREFIXES.iter().any(|prefix| path.starts_with(prefix))
}

async fn add_headers(request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if api && !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    fn router() -> Router {
        let routes = Router::new()
            .route("/tspublic/v1/session/info", get(|| async { "{}" }))
            .route(
                "/callosum/v1/tspublic/v1/export/pinboard/pdf",
                get(|| async { ([(CACHE_CONTROL, "private, max-age=60")], "%PDF") }),
            )
            .route("/external/swagger/index.css", get(|| async { "body {}" }))
            .route(
                "/external/swagger/swagger-ui.js",
                get(|| async { ([(CACHE_CONTROL, "max-age=3600")], "") }),
            )
            .fallback(|| async { (http::StatusCode::NOT_FOUND, "{}") });
        apply(routes)
    }

    async fn headers(path: &str) -> http::HeaderMap {
        let request = Request::get(path).body(Body::empty()).expect("request");
        router()
            .oneshot(request)
            .await
            .expect("infallible")
            .headers()
            .clone()
    }

    #[tokio::test]
    async fn api_answers_are_never_stored_and_never_sniffed() {
        for path in [
            "/tspublic/v1/session/info",
            // The fallback's 404 below the API prefix is an API answer too.
            "/callosum/v1/tspublic/v1/no/such/endpoint",
        ] {
            let headers = headers(path).await;
            assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
            assert_eq!(headers[CACHE_CONTROL], "no-store", "{path}");
        }
    }

    #[tokio::test]
    async fn a_handlers_cache_control_is_kept() {
        let headers = headers("/callosum/v1/tspublic/v1/export/pinboard/pdf").await;
        assert_eq!(headers[CACHE_CONTROL], "private, max-age=60");
        assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff");
    }

    #[tokio::test]
    async fn documentation_assets_keep_their_caching() {
        let css = headers("/external/swagger/index.css").await;
        assert_eq!(css[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(!css.contains_key(CACHE_CONTROL));
        let script = headers("/external/swagger/swagger-ui.js").await;
        assert_eq!(script[CACHE_CONTROL], "max-age=3600");
        let elsewhere = headers("/no/such/page").await;
        assert_eq!(elsewhere[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(!elsewhere.contains_key(CACHE_CONTROL));
    }

    #[test]
    fn api_paths_are_the_two_prefixes() {
        assert!(is_api_path("/tspublic/v1/user/list"));
        assert!(is_api_path("/callosum/v1/tspublic/v1/user/list"));
        assert!(!is_api_path("/openapi.json"));
        assert!(!is_api_path("/external/swagger/"));
        assert!(!is_api_path("/tspublic/v2/user/list"));
    }
}
