//! Starts the generated router, backed by [`FakeApi`], on a real TCP port.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::fake::{ADMIN, ADMIN_PASSWORD, FakeApi};

pub struct Server {
    pub api: Arc<FakeApi>,
    pub url: String,
}

impl Server {
    pub async fn start() -> Server {
        let api = Arc::new(FakeApi::default());
        let app = tspot_server::app(api.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Server {
            api,
            url: format!("http://{addr}"),
        }
    }

    /// A generated client, not signed in.
    pub fn client(&self) -> tspot_client::Client {
        tspot_client::Client::for_server(&self.url).unwrap()
    }

    /// A generated client signed in as the admin.
    pub async fn admin(&self) -> tspot_client::Client {
        let client = self.client();
        client.login(ADMIN, ADMIN_PASSWORD).await.unwrap();
        client
    }

    /// `/callosum/v1/tspublic/v1/<endpoint>`, the URL real clients use.
    pub fn endpoint(&self, endpoint: &str) -> String {
        format!("{}/callosum/v1/tspublic/v1/{endpoint}", self.url)
    }

    /// A plain HTTP client with a cookie jar, signed in, that sends exactly what a test says:
    /// no default headers, no redirects followed.
    pub async fn raw_admin(&self) -> reqwest::Client {
        let http = raw();
        let response = http
            .post(self.endpoint("session/login"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&[("username", ADMIN), ("password", ADMIN_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        http
    }
}

pub fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The error body of a response, with the per-request ids replaced so it can be snapshotted.
pub async fn error_json(response: reqwest::Response) -> serde_json::Value {
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "error bodies are JSON"
    );
    let mut body: serde_json::Value = response.json().await.unwrap();
    if let Some(incident) = body["incident_id_guid"].as_str().map(str::to_owned) {
        // The incident id is also in `debug`, as Callosum writes it.
        if let Some(debug) = body.get_mut("debug") {
            let redacted = debug.as_str().unwrap().replace(&incident, "[uuid]");
            *debug = serde_json::json!(redacted);
        }
    }
    for key in ["incident_id_guid", "incident_id", "trace_id_guid"] {
        if let Some(value) = body.get_mut(key) {
            assert!(uuid::Uuid::parse_str(value.as_str().unwrap()).is_ok());
            *value = serde_json::json!("[uuid]");
        }
    }
    body
}

/// The message inside an error body's `debug` string.
pub fn debug_message(body: &serde_json::Value) -> String {
    messages_of(body["debug"].as_str().unwrap())
}

/// The messages of a `debug` string as tspot-client reads them, after checking Callosum's layout
/// ("Error Code: NAME Incident Id: ID\nError Message: TEXT") of every entry.
pub fn messages_of(debug: &str) -> String {
    let entries: Vec<String> = serde_json::from_str(debug).unwrap();
    assert!(
        entries
            .iter()
            .all(|e| e.starts_with("Error Code: ") && e.contains("\nError Message: ")),
        "not in Callosum's layout: {debug}"
    );
    tspot_client::debug_messages(debug).join("\n")
}
