//! Reading a POST body into fields, by Content-Type.
//!
//! Real clients send bodies ThoughtSpot's docs never mention: the Python library POSTs with no
//! Content-Type and no body, and sends every multipart field as a "file" part (spec/README.md,
//! "Wire rules"), so only an empty body is accepted whatever its type, and file parts are text.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http::HeaderMap;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};

use super::Fields;
use crate::wire::error::ApiError;

/// Largest body an operation reads unless its implementation says otherwise
/// (`ApiHooks::body_limit`); TML imports of big worksheets stay well below it.
pub const DEFAULT_BODY_LIMIT: usize = 32 * 1024 * 1024;

const SUPPORTED: &str = "application/x-www-form-urlencoded or multipart/form-data";

/// Appends the body's fields to `fields`.
pub(super) async fn read_into(
    fields: &mut Fields,
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
) -> Result<(), ApiError> {
    let bytes = collect(headers, body, limit).await?;
    if bytes.is_empty() {
        return Ok(());
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(content_type) = content_type else {
        return Err(ApiError::unsupported_media_type(format!(
            "A request body needs a Content-Type; send {SUPPORTED}"
        )));
    };
    match essence(&content_type).as_str() {
        "application/x-www-form-urlencoded" => {
            fields.extend_urlencoded(&bytes);
            Ok(())
        }
        "multipart/form-data" => read_multipart(fields, &content_type, bytes).await,
        "application/json" => Err(ApiError::unsupported_media_type(format!(
            "JSON request bodies are not supported by the v1 API; send {SUPPORTED}"
        ))),
        other => Err(ApiError::unsupported_media_type(format!(
            "Unsupported Content-Type '{other}'; send {SUPPORTED}"
        ))),
    }
}

/// The media type without parameters, lower-cased: `Multipart/Form-Data; boundary=x` gives
/// `multipart/form-data`.
fn essence(content_type: &str) -> String {
    let end = content_type.find(';').unwrap_or(content_type.len());
    content_type[..end].trim().to_ascii_lowercase()
}

/// The whole body, refusing more than `limit` bytes without reading them all.
async fn collect(
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let mut stream = body.into_data_stream();
    let mut buf = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::bad_request(format!("Could not read the request body: {e}")))?;
        if buf.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

fn too_large(limit: usize) -> ApiError {
    let shown = if limit >= 1024 * 1024 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit.div_ceil(1024))
    };
    ApiError::payload_too_large(format!(
        "Request body is larger than this operation accepts ({shown})"
    ))
}

/// Every named part becomes a text field, whether or not it has a `filename`.
async fn read_multipart(
    fields: &mut Fields,
    content_type: &str,
    bytes: Bytes,
) -> Result<(), ApiError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| ApiError::bad_request(format!("Malformed multipart Content-Type: {e}")))?;
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        // A part without a name cannot be looked up, so it is skipped as a servlet would.
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let data = field.bytes().await.map_err(malformed)?;
        let value = String::from_utf8(Vec::from(data)).map_err(|_| {
            ApiError::bad_request(format!("Multipart part '{name}' is not valid UTF-8 text"))
        })?;
        fields.push(name, value);
    }
    Ok(())
}

fn malformed(e: multer::Error) -> ApiError {
    ApiError::bad_request(format!("Malformed multipart body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http::HeaderValue;
    use http::StatusCode;

    fn headers(content_type: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(ct) = content_type {
            h.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        h
    }

    async fn read(
        content_type: Option<&'static str>,
        body: impl Into<Body>,
    ) -> Result<Fields, ApiError> {
        Fields::from_request(
            &headers(content_type),
            None,
            body.into(),
            false,
            DEFAULT_BODY_LIMIT,
        )
        .await
    }

    fn pairs(fields: &Fields) -> Vec<(&str, &str)> {
        fields.iter().collect()
    }

    const BOUNDARY_CT: &str = "multipart/form-data; boundary=XyZ";

    /// A multipart body as `requests` builds it from `files=`: every part has a filename.
    fn python_multipart() -> String {
        [
            "--XyZ\r\n",
            "Content-Disposition: form-data; name=\"privilege\"; filename=\"privilege\"\r\n\r\n",
            "DATADOWNLOADING\r\n",
            "--XyZ\r\n",
            "Content-Disposition: form-data; name=\"groupNames\"; filename=\"groupNames\"\r\n\r\n",
            "[\"All\", \"Analysts\"]\r\n",
            "--XyZ\r\n",
            "Content-Disposition: form-data; name=\"principals\"; filename=\"principals.json\"\r\n",
            "Content-Type: application/json\r\n\r\n",
            "[{\"name\": \"a\",\r\n \"type\": \"LOCAL_USER\"}]\r\n",
            "--XyZ\r\n",
            "Content-Disposition: form-data; name=\"password\"\r\n\r\n",
            "pw\r\n",
            "--XyZ--\r\n",
        ]
        .concat()
    }

    #[tokio::test]
    async fn urlencoded_with_and_without_charset() {
        for ct in [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "Application/X-WWW-Form-Urlencoded",
        ] {
            let f = read(Some(ct), "username=ts+admin&password=p%26w&rememberme=true")
                .await
                .unwrap();
            assert_eq!(
                pairs(&f),
                [
                    ("username", "ts admin"),
                    ("password", "p&w"),
                    ("rememberme", "true")
                ],
                "{ct}"
            );
        }
    }

    #[tokio::test]
    async fn multipart_file_parts_are_text_fields() {
        let f = read(Some(BOUNDARY_CT), python_multipart()).await.unwrap();
        assert_eq!(
            pairs(&f),
            [
                ("privilege", "DATADOWNLOADING"),
                ("groupNames", "[\"All\", \"Analysts\"]"),
                (
                    "principals",
                    "[{\"name\": \"a\",\r\n \"type\": \"LOCAL_USER\"}]"
                ),
                ("password", "pw"),
            ]
        );
    }

    #[tokio::test]
    async fn multipart_non_utf8_part_is_400() {
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\n".to_vec();
        body.extend_from_slice(&[0xff, 0xfe, b'x']);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        let e = read(Some(BOUNDARY_CT), body).await.unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert!(e.message().contains("'p'"), "{e}");
    }

    #[tokio::test]
    async fn malformed_multipart_is_400() {
        let bodies: [&[u8]; 4] = [
            b"garbage without any boundary",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
            b"--XyZ\r\nbroken header line without colon\r\n\r\nx\r\n--XyZ--\r\n",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"",
        ];
        for body in bodies {
            let e = read(Some(BOUNDARY_CT), body).await.unwrap_err();
            assert_eq!(e.status(), StatusCode::BAD_REQUEST, "{e}");
            assert_eq!(e.code(), 10002);
        }
        let e = read(Some("multipart/form-data"), "x").await.unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST, "{e}");
    }

    #[tokio::test]
    async fn empty_body_gives_no_fields_whatever_the_type() {
        for ct in [
            None,
            Some("application/json"),
            Some("text/plain"),
            Some("multipart/form-data"),
            Some("application/x-www-form-urlencoded"),
        ] {
            let f = read(ct, Body::empty()).await.unwrap();
            assert!(f.is_empty(), "{ct:?}");
        }
    }

    #[tokio::test]
    async fn unsupported_bodies_are_415() {
        let cases = [
            (Some("application/json"), "JSON"),
            (Some("application/json; charset=utf-8"), "JSON"),
            (Some("text/plain"), "text/plain"),
            (Some("application/xml"), "application/xml"),
            (None, "Content-Type"),
        ];
        for (ct, needle) in cases {
            let e = read(ct, "{\"a\": 1}").await.unwrap_err();
            assert_eq!(e.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
            assert!(e.message().contains(needle), "{e}");
            assert!(e.message().contains("multipart/form-data"), "{e}");
        }
    }

    #[tokio::test]
    async fn oversized_bodies_are_413() {
        let mut h = headers(Some("application/x-www-form-urlencoded"));
        h.insert(CONTENT_LENGTH, HeaderValue::from_static("40000000"));
        let e = Fields::from_request(&h, None, Body::from("a=b"), false, DEFAULT_BODY_LIMIT)
            .await
            .unwrap_err();
        assert_eq!(e.status(), StatusCode::PAYLOAD_TOO_LARGE);

        let big = vec![b'a'; DEFAULT_BODY_LIMIT + 1];
        let e = read(Some("application/x-www-form-urlencoded"), big)
            .await
            .unwrap_err();
        assert_eq!(e.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn query_is_merged_first_only_when_asked() {
        let ct = Some("application/x-www-form-urlencoded");
        let query = Some("id=from-query&batchsize=10");
        let body = "id=from-body&offset=5";
        let merged = Fields::from_request(
            &headers(ct),
            query,
            Body::from(body),
            true,
            DEFAULT_BODY_LIMIT,
        )
        .await
        .unwrap();
        assert_eq!(merged.get(&["id"]), Some("from-query"));
        assert_eq!(merged.get(&["offset"]), Some("5"));
        assert_eq!(merged.get(&["batchsize"]), Some("10"));
        assert_eq!(
            merged.get_all("id").collect::<Vec<_>>(),
            ["from-query", "from-body"]
        );

        let body_only = Fields::from_request(
            &headers(ct),
            query,
            Body::from(body),
            false,
            DEFAULT_BODY_LIMIT,
        )
        .await
        .unwrap();
        assert_eq!(body_only.get(&["id"]), Some("from-body"));
        assert!(!body_only.contains("batchsize"));
    }

    #[tokio::test]
    async fn query_only_post_with_no_content_type() {
        let query = Some("query_string=%5Bsales%5D+%5Bregion%5D&data_source_guid=ds1");
        let f = Fields::from_request(
            &HeaderMap::new(),
            query,
            Body::empty(),
            true,
            DEFAULT_BODY_LIMIT,
        )
        .await
        .unwrap();
        assert_eq!(f.get(&["query_string"]), Some("[sales] [region]"));
        assert_eq!(f.get(&["data_source_guid"]), Some("ds1"));
    }

    #[test]
    fn essence_strips_parameters() {
        assert_eq!(
            essence("Multipart/Form-Data; boundary=x"),
            "multipart/form-data"
        );
        assert_eq!(essence(" text/plain "), "text/plain");
        assert_eq!(essence(""), "");
    }
}
