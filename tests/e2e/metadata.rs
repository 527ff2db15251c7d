use tspot_client::prelude::*;
use tspot_client::types;

use crate::harness::{Server, debug_message, error_json};

#[tokio::test]
async fn list_object_headers_with_every_parameter() {
    let server = Server::start().await;
    let headers = server
        .admin()
        .await
        .metadata_list_object_headers()
        .type_(types::MetadataType::LogicalTable)
        .subtypes(tspot_client::lists::of_enums([
            types::MetadataSubtype::Worksheet,
            types::MetadataSubtype::OneToOneLogical,
        ]))
        .category(types::MetadataCategory::My)
        .sort(types::MetadataSort::Modified)
        .sortascending(false)
        .offset(0)
        .batchsize(10)
        .tagname(tspot_client::lists::to_param(["sales"]))
        .pattern("sal%")
        .skipids(tspot_client::lists::to_param(["b"]))
        .fetchids(tspot_client::lists::to_param(["a", "c"]))
        .auto_created(false)
        .send()
        .await
        .unwrap()
        .into_inner();
    let ids: Vec<_> = headers.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["a", "c"]);
    let input = server.api.last_input("metadataListObjectHeaders");
    for expected in [
        "type_: Some(LogicalTable)",
        "subtypes: Some([Worksheet, OneToOneLogical])",
        "category: Some(My)",
        "sort: Modified",
        "sortascending: Some(false)",
        "offset: 0",
        "batchsize: 10",
        r#"tagname: Some(["sales"])"#,
        r#"pattern: Some("sal%")"#,
        r#"skipids: Some(["b"])"#,
        "auto_created: Some(false)",
    ] {
        assert!(input.contains(expected), "{expected} missing from {input}");
    }
}

#[tokio::test]
async fn list_object_headers_defaults_and_lenient_forms() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    // A GET needs no X-Requested-By; old docs send a bare subtype and Python-style quotes.
    let response = http
        .get(server.endpoint(
            "metadata/listobjectheaders?type=LOGICAL_TABLE&subtypes=WORKSHEET&fetchids=['x1']",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let input = server.api.last_input("metadataListObjectHeaders");
    assert!(input.contains("subtypes: Some([Worksheet])"), "{input}");
    assert!(input.contains("sort: Default"), "{input}");
    assert!(input.contains("offset: -1"), "{input}");
    assert!(input.contains("batchsize: -1"), "{input}");
    assert!(input.contains(r#"fetchids: Some(["x1"])"#), "{input}");
}

#[tokio::test]
async fn invalid_subtype_is_400_naming_the_parameter() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .get(
            server.endpoint(
                "metadata/listobjectheaders?type=LOGICAL_TABLE&subtypes=%5B%22NOPE%22%5D",
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = error_json(response).await;
    assert_eq!(body["code"], 10002);
    assert!(debug_message(&body).contains("subtypes"), "{body}");
}

#[tokio::test]
async fn list_viz_headers() {
    let server = Server::start().await;
    let client = server.admin().await;
    let vizzes = client
        .metadata_list_viz_headers()
        .id("lb1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(vizzes[0].viz_type, Some(types::VizType::Headline.into()));
    assert_eq!(vizzes[0].title.as_ref().unwrap().value.text, "Headline");
    assert_eq!(vizzes[1].viz_type, Some(types::VizType::Filter.into()));
    assert!(vizzes[1].title.is_none());
    // A kind a newer release adds is kept, not refused.
    assert_eq!(
        vizzes[2].viz_type,
        Some(types::Open::Unknown("SANKEY_3D".into()))
    );

    let missing = client
        .metadata_list_viz_headers()
        .id("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.status().unwrap(), 404);
}
