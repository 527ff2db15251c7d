//! The one error type at the HTTP boundary, rendered as Callosum's error body
//! (the spec's "Errors" section, `ErrorResponse`) so clients that `json.loads(body["debug"])`
//! keep working.

use axum::response::{IntoResponse, Response};
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::observe::{RequestIds, TRACE_HEADER};

/// The header real clusters send with the incident id of the error body.
const INCIDENT_HEADER: HeaderName = HeaderName::from_static("x-callosum-incident-id");

/// Callosum's numeric codes (the spec's "Errors" section).
const CODE_INTERNAL: i64 = 10000;
const CODE_BAD_REQUEST: i64 = 10002;
const CODE_AUTH: i64 = 10003;
const CODE_NOT_FOUND: i64 = 10004;

/// An HTTP status, a stable ThoughtSpot error code and a message that is safe to show the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: i64,
    message: String,
    // A Vec, not a HeaderMap, keeps `Result<_, ApiError>` small (clippy::result_large_err).
    headers: Vec<(HeaderName, HeaderValue)>,
    // Fixed at construction so the id logged by `internal` is the one the client sees: the
    // request's incident id inside a request (see `observe`), a new one outside.
    incident_id: Uuid,
}

impl ApiError {
    pub fn new(status: StatusCode, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
            incident_id: RequestIds::current().map_or_else(Uuid::new_v4, |ids| ids.incident_id),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, CODE_BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, CODE_AUTH, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, CODE_AUTH, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, CODE_NOT_FOUND, message)
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            CODE_BAD_REQUEST,
            message,
        )
    }

    pub fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, CODE_BAD_REQUEST, message)
    }

    /// 405 with the `Allow` header RFC 9110 requires.
    pub fn method_not_allowed(allow: &[Method]) -> Self {
        let list = allow
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let mut err = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            CODE_BAD_REQUEST,
            format!("Method not allowed; allowed methods: {list}"),
        );
        if let Ok(value) = HeaderValue::from_str(&list) {
            err.headers.push((ALLOW, value));
        }
        err
    }

    /// 500 whose detail goes only to the log; the client gets the incident id to quote.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let mut err = Self::new(StatusCode::INTERNAL_SERVER_ERROR, CODE_INTERNAL, "");
        let id = err.incident_id;
        tracing::error!(incident_id = %id, "internal error: {detail}");
        err.message = format!("Internal error; incident id {id}");
        err
    }

    /// Adds a response header (for example `WWW-Authenticate`).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> i64 {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Extra response headers, such as `Allow` on a 405.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    pub fn incident_id(&self) -> Uuid {
        self.incident_id
    }

    /// The error-code name Callosum prints in `debug` ("Error Code: INVALID_ARGUMENT"), as the
    /// spec's examples show them per status.
    pub fn code_name(&self) -> &'static str {
        match self.status.as_u16() {
            401 => "AUTHENTICATION_FAILURE",
            403 => "ACCESS_DENIED",
            404 => "OBJECT_NOT_FOUND",
            status if status >= 500 => "INTERNAL_ERROR",
            _ => "INVALID_ARGUMENT",
        }
    }

    /// The response body with the given ids. `debug` is a string holding a JSON array with one
    /// entry in Callosum's layout: "Error Code: NAME Incident Id: ID\nError Message: MESSAGE".
    pub fn body_json(&self, incident: &str, trace: &str) -> Value {
        let entry = format!(
            "Error Code: {} Incident Id: {incident}\nError Message: {}",
            self.code_name(),
            self.message
        );
        let debug = Value::Array(vec![Value::String(entry)]).to_string();
        json!({
            "code": self.code,
            "incident_id_guid": incident,
            "incident_id": incident,
            "trace_id_guid": trace,
            "debug": debug,
        })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    /// The error body and headers. Inside a request, its ids are the request's: the trace id of
    /// the `x-callosum-trace-id` header and of every log line of the request.
    fn into_response(self) -> Response {
        let request = RequestIds::current();
        let incident = request
            .map_or(self.incident_id, |ids| ids.incident_id)
            .to_string();
        let trace = request
            .map_or_else(Uuid::new_v4, |ids| ids.trace_id)
            .to_string();
        let body = self.body_json(&incident, &trace).to_string();
        let mut headers = HeaderMap::new();
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        // Hyphenated UUIDs are plain ASCII, so these conversions cannot fail in practice.
        if let Ok(v) = HeaderValue::from_str(&incident) {
            headers.insert(INCIDENT_HEADER, v);
        }
        if let Ok(v) = HeaderValue::from_str(&trace) {
            headers.insert(TRACE_HEADER, v);
        }
        (self.status, headers, body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_set_status_and_code() {
        let cases = [
            (ApiError::bad_request("m"), 400, 10002),
            (ApiError::unauthorized("m"), 401, 10003),
            (ApiError::forbidden("m"), 403, 10003),
            (ApiError::not_found("m"), 404, 10004),
            (ApiError::unsupported_media_type("m"), 415, 10002),
            (ApiError::payload_too_large("m"), 413, 10002),
            (ApiError::method_not_allowed(&[Method::GET]), 405, 10002),
            (ApiError::internal("boom"), 500, 10000),
            (ApiError::new(StatusCode::CONFLICT, 12325, "m"), 409, 12325),
        ];
        for (err, status, code) in cases {
            assert_eq!(err.status().as_u16(), status, "{err}");
            assert_eq!(err.code(), code, "{err}");
        }
    }

    #[test]
    fn debug_names_the_error_code_as_callosum_does() {
        let cases = [
            (ApiError::bad_request("m"), "INVALID_ARGUMENT"),
            (ApiError::payload_too_large("m"), "INVALID_ARGUMENT"),
            (ApiError::unauthorized("m"), "AUTHENTICATION_FAILURE"),
            (ApiError::forbidden("m"), "ACCESS_DENIED"),
            (ApiError::not_found("m"), "OBJECT_NOT_FOUND"),
            (ApiError::internal("boom"), "INTERNAL_ERROR"),
            (
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, 10000, "busy"),
                "INTERNAL_ERROR",
            ),
        ];
        for (err, name) in cases {
            let body = err.body_json("i", "t");
            let debug: Vec<String> = serde_json::from_str(body["debug"].as_str().unwrap()).unwrap();
            assert!(
                debug[0].starts_with(&format!(
                    "Error Code: {name} Incident Id: i\nError Message: "
                )),
                "{debug:?}"
            );
        }
    }

    #[test]
    fn body_has_debug_as_json_text() {
        let err = ApiError::bad_request("Missing parameter: username");
        let body = err.body_json("i-1", "t-1");
        assert_eq!(
            body,
            json!({
                "code": 10002,
                "incident_id_guid": "i-1",
                "incident_id": "i-1",
                "trace_id_guid": "t-1",
                "debug": "[\"Error Code: INVALID_ARGUMENT Incident Id: i-1\\nError Message: Missing parameter: username\"]",
            })
        );
        let debug: Vec<String> = serde_json::from_str(body["debug"].as_str().unwrap()).unwrap();
        assert_eq!(
            debug,
            [
                "Error Code: INVALID_ARGUMENT Incident Id: i-1\nError Message: Missing parameter: username"
            ]
        );
    }

    #[test]
    fn debug_escapes_quotes_and_newlines() {
        let err = ApiError::bad_request("bad \"x\"\nline");
        let body = err.body_json("i", "t");
        let debug: Vec<String> = serde_json::from_str(body["debug"].as_str().unwrap()).unwrap();
        assert_eq!(
            debug,
            ["Error Code: INVALID_ARGUMENT Incident Id: i\nError Message: bad \"x\"\nline"]
        );
    }

    #[test]
    fn internal_hides_detail() {
        let err = ApiError::internal("db password=secret");
        assert!(!err.message().contains("secret"));
        assert_eq!(
            err.message(),
            format!("Internal error; incident id {}", err.incident_id())
        );
    }

    #[test]
    fn method_not_allowed_sets_allow() {
        let err = ApiError::method_not_allowed(&[Method::GET, Method::POST]);
        assert_eq!(
            err.headers(),
            [(ALLOW, HeaderValue::from_static("GET, POST"))]
        );
        assert!(err.message().contains("GET, POST"));
    }

    #[test]
    fn display_names_status_code_and_message() {
        let err = ApiError::not_found("no such user");
        assert_eq!(err.to_string(), "404 Not Found (10004): no such user");
    }

    #[tokio::test]
    async fn inside_a_request_the_ids_are_the_requests() {
        let ids = RequestIds::new();
        let (err, resp) = ids
            .scope(async {
                let err = ApiError::internal("boom");
                (err.clone(), err.into_response())
            })
            .await;
        assert_eq!(err.incident_id(), ids.incident_id);
        let headers = resp.headers().clone();
        assert_eq!(headers[TRACE_HEADER], ids.trace_id.to_string().as_str());
        assert_eq!(
            headers[INCIDENT_HEADER],
            ids.incident_id.to_string().as_str()
        );
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["trace_id_guid"], ids.trace_id.to_string().as_str());
        assert_eq!(
            body["incident_id_guid"],
            ids.incident_id.to_string().as_str()
        );
    }

    #[tokio::test]
    async fn response_has_json_body_and_id_headers() {
        let err = ApiError::method_not_allowed(&[Method::POST]);
        let incident = err.incident_id().to_string();
        let resp = err.into_response();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        let headers = resp.headers().clone();
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        assert_eq!(headers[ALLOW], "POST");
        assert_eq!(headers[INCIDENT_HEADER], incident.as_str());
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["code"], 10002);
        assert_eq!(body["incident_id_guid"], incident.as_str());
        assert_eq!(body["incident_id"], incident.as_str());
        assert_eq!(
            body["trace_id_guid"],
            headers[TRACE_HEADER].to_str().unwrap()
        );
        assert!(Uuid::parse_str(body["trace_id_guid"].as_str().unwrap()).is_ok());
        assert_eq!(
            body["debug"],
            format!(
                "[\"Error Code: INVALID_ARGUMENT Incident Id: {incident}\\nError Message: Method not allowed; allowed methods: POST\"]"
            )
        );
    }
}
