//! What operators and orchestrators call besides the API: `/healthz`, `/readyz` and `/metrics`,
//! none of which needs a session, and each of which logs its request line at DEBUG (probes and
//! scrapes come every few seconds).
//!
//! Metrics are rendered in the Prometheus text format by `metrics-exporter-prometheus` (without
//! its default features: no HTTP listener or push gateway of its own, no TLS stack; our listener
//! serves the text). The libraries only record through the `metrics` facade, which costs nothing
//! when no recorder is installed: `tspot serve` installs one only when `--metrics-listen` is given.
//! (`prometheus-client` would have needed a registry handed through every crate that records.)

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tspot_reference::Reference;
use tspot_server::observe::Quiet;

/// Request latency buckets, in seconds: a cached user/list takes well under a millisecond, a PDF
/// export or a search over a large table seconds.
const REQUEST_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Query time buckets, in seconds, up to the default `--query-budget` (30 s).
const QUERY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0,
];
/// How often the recorder drops stale histogram samples.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the process's Prometheus recorder, registers every metric's help text and starts
/// its upkeep. Call once, inside the runtime.
pub fn install_metrics() -> Result<PrometheusHandle, String> {
    let failed = |e: &dyn std::fmt::Display| format!("cannot set up the metrics: {e}");
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(tspot_server::observe::REQUEST_DURATION.into()),
            &REQUEST_BUCKETS,
        )
        .and_then(|b| {
            b.set_buckets_for_metric(
                Matcher::Full(tspot_reference::metrics::ENGINE_QUERY_DURATION.into()),
                &QUERY_BUCKETS,
            )
        })
        .map_err(|e| failed(&e))?
        .build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).map_err(|e| failed(&e))?;
    tspot_server::observe::describe_metrics();
    tspot_reference::metrics::describe();
    metrics::describe_gauge!(
        BUILD_INFO,
        "The tspot version serving (always 1; the version is the label)"
    );
    metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(handle)
}

/// Always 1, labelled with the version.
pub const BUILD_INFO: &str = "tspot_build_info";

/// `/healthz` and `/readyz`.
pub fn probes(reference: Arc<Reference>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(reference)
}

/// `/metrics`.
pub fn metrics_route(handle: PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(render_metrics))
        .with_state(handle)
}

/// 200 while the process serves requests at all.
async fn healthz() -> Response {
    quiet(StatusCode::OK, Json(serde_json::json!({"status": "alive"})))
}

/// 200 when the store answers, else 503; the body names each check's state (the data
/// connections' too, which never make it 503).
async fn readyz(State(reference): State<Arc<Reference>>) -> Response {
    let readiness = reference.readiness().await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    quiet(status, Json(readiness.body))
}

async fn render_metrics(State(handle): State<PrometheusHandle>) -> Response {
    let text = handle.render();
    let mut response = quiet(StatusCode::OK, text);
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

fn quiet(status: StatusCode, body: impl IntoResponse) -> Response {
    let mut response = (status, Extension(Quiet), body).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
