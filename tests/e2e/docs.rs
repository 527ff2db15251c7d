//! The spec and the Swagger portal, served by the router.

use crate::harness::{Server, raw};

#[tokio::test]
async fn serves_the_spec_as_json_and_yaml() {
    let server = Server::start().await;
    let yaml = raw()
        .get(format!("{}/openapi.yaml", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        yaml,
        std::fs::read_to_string(crate::spec::SPEC_PATH).unwrap()
    );
    let json: serde_json::Value = raw()
        .get(format!("{}/openapi.json", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let from_yaml: serde_json::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(json, from_yaml);
}

#[tokio::test]
async fn serves_the_swagger_portal_offline() {
    let server = Server::start().await;
    let http = raw();
    let page = http
        .get(format!("{}/external/swagger/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let config = http
        .get(format!(
            "{}/external/swagger/swagger-initializer.js",
            server.url
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(config.contains("/openapi.json"), "{config}");
}
