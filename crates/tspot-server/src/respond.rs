//! Building responses for the generated `IntoResponse` impls.

use axum::response::{IntoResponse, Response};
use http::{HeaderName, HeaderValue, StatusCode, header};

use crate::wire::ApiError;

pub fn empty(status: StatusCode) -> Response {
    status.into_response()
}

pub fn json<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(error) => {
            ApiError::internal(format!("cannot serialize response: {error}")).into_response()
        }
    }
}

pub fn bytes(status: StatusCode, content_type: &'static str, body: bytes::Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

pub fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let content_type = if content_type == "text/plain" {
        "text/plain; charset=utf-8"
    } else {
        content_type
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Appends a header (several `Set-Cookie` lines stay separate). A value that is not a valid
/// header is a bug in the implementation, reported as a 500 rather than sent half-formed.
pub fn with_header(mut response: Response, name: &'static str, value: &str) -> Response {
    match HeaderValue::from_str(value) {
        Ok(value) => {
            response
                .headers_mut()
                .append(HeaderName::from_static(name), value);
            response
        }
        Err(_) => {
            ApiError::internal(format!("invalid value for response header {name}")).into_response()
        }
    }
}
