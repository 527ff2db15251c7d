//! The baseline of `cargo xtask bench`: a bare axum server with no state, no store and no
//! logging. `bare-handler ADDR:PORT` answers a POST to `.../session/login` with a 401 JSON error,
//! as a refused login does, and any other GET or POST with a small fixed JSON array (about the
//! size of tspot's user/list with the demo).

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;

const LIST: &str = r#"[{"activate":false,"created":1700000000000,"displayName":"Administrator","groupNames":["Administrator","All"],"mail":"","modified":1700000000000,"name":"tsadmin","principalTypeEnum":"LOCAL_USER","visibility":"DEFAULT"},{"activate":false,"created":1700000000000,"displayName":"Administration Group","groupNames":["All"],"modified":1700000000000,"name":"Administrator","principalTypeEnum":"LOCAL_GROUP","visibility":"DEFAULT"},{"activate":false,"created":1700000000000,"description":"Every user and group is a member","displayName":"All","groupNames":[],"modified":1700000000000,"name":"All","principalTypeEnum":"LOCAL_GROUP","visibility":"DEFAULT"}]"#;

const REFUSED: &str = r#"{"type":"Error","code":10002,"incident_id_guid":"00000000-0000-0000-0000-000000000000","message":"Invalid username or password","debug":""}"#;

async fn list(_body: Bytes) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], LIST)
}

async fn refuse(_body: Bytes) -> impl IntoResponse {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        REFUSED,
    )
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let listen = std::env::args()
        .nth(1)
        .ok_or("usage: bare-handler ADDR:PORT")?;
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let app = Router::new()
        .route("/callosum/v1/tspublic/v1/session/login", post(refuse))
        .fallback(list);
    axum::serve(listener, app)
        .await
        .map_err(|e| format!("the server failed: {e}"))
}
