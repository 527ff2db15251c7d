//! What every request leaves behind for operators: one trace id (and one incident id) per request,
//! the request's log line, and the request metrics.
//!
//! [`apply`] wraps a router (after its routes and fallback) in two layers:
//!
//! - the outer one (`observe`) creates the request's [`RequestIds`], keeps them in the request's
//!   extensions and in a task-local for the request's future (so that an [`crate::ApiError`]
//!   rendered anywhere in the request carries them in its body), sets `x-callosum-trace-id` on
//!   every response, and records the request metrics (see [`describe_metrics`]);
//! - the inner one is tower-http's `TraceLayer`: one span per request (`request`, with the method,
//!   the path without its query string, the peer, `trace_id` and `incident_id`), so that every
//!   line logged while the request runs carries its ids, and one line when the response is ready
//!   (`status`, `ms`): at INFO, or at DEBUG for responses marked [`Quiet`] (health probes, metric
//!   scrapes), which would otherwise flood the log.
//!
//! Work a request hands to another thread (`spawn_blocking`) keeps the span and the ids when the
//! closure is wrapped in [`carry`].

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue};
use tracing::Span;
use uuid::Uuid;

use crate::OPERATIONS;

/// The response header that carries the request's trace id (the error body's `trace_id_guid`).
pub const TRACE_HEADER: HeaderName = HeaderName::from_static("x-callosum-trace-id");

/// Requests answered, by `operation` and `status` (counter).
pub const REQUESTS_TOTAL: &str = "tspot_http_requests_total";
/// Time from the request head to the response head, by `operation` (histogram, seconds).
pub const REQUEST_DURATION: &str = "tspot_http_request_duration_seconds";
/// Requests being handled now (gauge).
pub const REQUESTS_IN_FLIGHT: &str = "tspot_http_requests_in_flight";

/// The `operation` label of a request that matched no route.
pub const UNMATCHED: &str = "unmatched";

tokio::task_local! {
    static REQUEST: RequestIds;
}

/// The ids of one request: the trace id in the `x-callosum-trace-id` header and every error
/// body's `trace_id_guid`, the incident id in an error body's `incident_id_guid`; both are on
/// every log line of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestIds {
    pub trace_id: Uuid,
    pub incident_id: Uuid,
}

impl RequestIds {
    pub fn new() -> RequestIds {
        RequestIds {
            trace_id: Uuid::new_v4(),
            incident_id: Uuid::new_v4(),
        }
    }

    /// The ids of the request being served by the calling task (or by a closure that [`carry`]
    /// wrapped); `None` outside requests.
    pub fn current() -> Option<RequestIds> {
        REQUEST.try_with(|ids| *ids).ok()
    }

    /// Runs `future` as part of the request with these ids.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        REQUEST.scope(self, future).await
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        RequestIds::new()
    }
}

/// `work` wrapped so that, run on another thread (`tokio::task::spawn_blocking`), it logs in the
/// calling request's span and sees the request's ids.
pub fn carry<T>(work: impl FnOnce() -> T) -> impl FnOnce() -> T {
    let span = Span::current();
    let ids = RequestIds::current();
    move || {
        let _entered = span.enter();
        match ids {
            Some(ids) => REQUEST.sync_scope(ids, work),
            None => work(),
        }
    }
}

/// A response extension: the request's log line goes out at DEBUG instead of INFO. For health
/// probes and metric scrapes, which arrive every few seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiet;

/// The `operation` label of a request: the operation id for the API (under either prefix), the
/// matched route for any other route (`/openapi.json`, `/healthz`), [`UNMATCHED`] otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation(pub &'static str);

/// Operation ids by path without the `/callosum/v1` prefix.
static OPERATION_IDS: LazyLock<std::collections::HashMap<&'static str, &'static str>> =
    LazyLock::new(|| {
        OPERATIONS
            .iter()
            .map(|op| (op.path, op.operation_id))
            .collect()
    });

/// Matched routes that are not operations, leaked once each so that labels stay `&'static`;
/// bounded by the router's routes.
static OTHER_ROUTES: LazyLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
    LazyLock::new(Default::default);

fn operation_of(request: &Request) -> &'static str {
    let Some(matched) = request.extensions().get::<MatchedPath>() else {
        return UNMATCHED;
    };
    let path = matched.as_str();
    let api_path = path.strip_prefix("/callosum/v1").unwrap_or(path);
    if let Some(id) = OPERATION_IDS.get(api_path) {
        return id;
    }
    let mut others = OTHER_ROUTES.lock().unwrap_or_else(|p| p.into_inner());
    match others.get(path) {
        Some(known) => known,
        None => {
            let leaked: &'static str = Box::leak(path.to_owned().into_boxed_str());
            others.insert(leaked);
            leaked
        }
    }
}

/// `router` with the request ids, the request log line and the request metrics. Apply it last,
/// after every route, the fallback and every other layer.
pub fn apply(router: Router) -> Router {
    let trace = tower_http::trace::TraceLayer::new_for_http()
        .make_span_with(request_span)
        .on_request(())
        .on_response(log_response)
        .on_failure(());
    router
        .layer(trace)
        .layer(axum::middleware::from_fn(observe))
}

/// The span of one request. At ERROR level so that it is enabled whatever the log filter lets
/// through: a WARN line of a request keeps its ids under `TSPOT_LOG=warn` too. A span writes
/// nothing by itself.
fn request_span(request: &Request) -> Span {
    let ids = request
        .extensions()
        .get::<RequestIds>()
        .copied()
        .unwrap_or_default();
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0);
    let operation = request
        .extensions()
        .get::<Operation>()
        .map_or(UNMATCHED, |op| op.0);
    // Never the query string: it may hold a secret key or a password.
    tracing::error_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        operation = %operation,
        peer = peer.map(tracing::field::display),
        trace_id = %ids.trace_id,
        incident_id = %ids.incident_id,
    )
}

fn log_response(response: &Response, latency: Duration, _span: &Span) {
    let status = response.status().as_u16();
    let ms = latency.as_millis() as u64;
    if response.extensions().get::<Quiet>().is_some() {
        tracing::debug!(status, ms, "request");
    } else {
        tracing::info!(status, ms, "request");
    }
}

async fn observe(mut request: Request, next: Next) -> Response {
    let ids = RequestIds::new();
    let operation = operation_of(&request);
    request.extensions_mut().insert(ids);
    request.extensions_mut().insert(Operation(operation));
    let started = Instant::now();
    let in_flight = InFlight::start();
    let mut response = ids.scope(next.run(request)).await;
    drop(in_flight);
    metrics::histogram!(REQUEST_DURATION, "operation" => operation)
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        REQUESTS_TOTAL,
        "operation" => operation,
        "status" => response.status().as_u16().to_string()
    )
    .increment(1);
    if let Ok(value) = HeaderValue::from_str(&ids.trace_id.to_string()) {
        response.headers_mut().insert(TRACE_HEADER, value);
    }
    response
}

/// One request in [`REQUESTS_IN_FLIGHT`], also when its future is dropped half-way.
struct InFlight;

impl InFlight {
    fn start() -> InFlight {
        metrics::gauge!(REQUESTS_IN_FLIGHT).increment(1.0);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!(REQUESTS_IN_FLIGHT).decrement(1.0);
    }
}

/// Registers the help text of the request metrics with the installed recorder.
pub fn describe_metrics() {
    use metrics::Unit;
    metrics::describe_counter!(
        REQUESTS_TOTAL,
        Unit::Count,
        "Requests answered, by operation (the operation id, or the route) and HTTP status"
    );
    metrics::describe_histogram!(
        REQUEST_DURATION,
        Unit::Seconds,
        "Time from a request's head to its response's head, by operation"
    );
    metrics::describe_gauge!(
        REQUESTS_IN_FLIGHT,
        Unit::Count,
        "Requests being handled now"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use crate::ApiError;

    fn router() -> Router {
        let routes = Router::new()
            .route(
                "/callosum/v1/tspublic/v1/user/list",
                get(|| async {
                    let inside = RequestIds::current().expect("ids inside the request");
                    let from_thread = tokio::task::spawn_blocking(carry(RequestIds::current))
                        .await
                        .expect("joined");
                    assert_eq!(from_thread, Some(inside));
                    ApiError::not_found("no such user")
                }),
            )
            .route("/healthz", get(|| async { (axum::Extension(Quiet), "ok") }))
            .fallback(|| async { ApiError::not_found("nothing here") });
        apply(routes)
    }

    async fn call(path: &str) -> (http::HeaderMap, serde_json::Value) {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = router().oneshot(request).await.expect("infallible");
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (headers, body)
    }

    #[tokio::test]
    async fn an_error_body_carries_the_trace_id_of_the_response_header() {
        for path in ["/callosum/v1/tspublic/v1/user/list", "/no/such/path"] {
            let (headers, body) = call(path).await;
            let trace = headers[TRACE_HEADER].to_str().expect("ascii");
            assert_eq!(body["trace_id_guid"], trace, "{path}");
            assert_eq!(
                body["incident_id_guid"],
                headers["x-callosum-incident-id"].to_str().expect("ascii"),
                "{path}"
            );
            assert!(Uuid::parse_str(trace).is_ok());
        }
        let (headers, _) = call("/healthz").await;
        assert!(headers.contains_key(TRACE_HEADER));
        assert!(RequestIds::current().is_none(), "no ids outside requests");
    }

    #[tokio::test]
    async fn matched_routes_name_the_operation() {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = {
            let seen = seen.clone();
            move |request: Request, next: Next| {
                let seen = seen.clone();
                async move {
                    seen.lock()
                        .unwrap()
                        .push(request.extensions().get::<Operation>().map(|op| op.0));
                    next.run(request).await
                }
            }
        };
        let routes = Router::new()
            .route("/callosum/v1/tspublic/v1/user/list", get(|| async {}))
            .route("/tspublic/v1/user/list", get(|| async {}))
            .route("/healthz", get(|| async {}))
            .layer(axum::middleware::from_fn(record));
        let app = apply(routes);
        for path in [
            "/callosum/v1/tspublic/v1/user/list",
            "/tspublic/v1/user/list",
            "/healthz",
            "/elsewhere",
        ] {
            let request = Request::get(path).body(Body::empty()).expect("request");
            app.clone().oneshot(request).await.expect("infallible");
        }
        assert_eq!(
            *seen.lock().unwrap(),
            [
                Some("userList"),
                Some("userList"),
                Some("/healthz"),
                Some(UNMATCHED)
            ]
        );
    }
}
