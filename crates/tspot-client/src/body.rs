//! Reading the raw bodies progenitor hands back as a [`ByteStream`]: the PDF export and the
//! trusted-authentication token (`text/plain`).

#![warn(missing_docs)]

use futures_util::StreamExt;

use crate::generated::ByteStream;

/// Reads a whole body into memory.
pub async fn read_bytes(stream: ByteStream) -> Result<Vec<u8>, reqwest::Error> {
    let mut stream = stream.into_inner();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk?);
    }
    Ok(bytes)
}

/// Reads a whole text body (such as a login token); invalid UTF-8 is replaced, not an error.
pub async fn read_text(stream: ByteStream) -> Result<String, reqwest::Error> {
    Ok(String::from_utf8_lossy(&read_bytes(stream).await?).into_owned())
}
