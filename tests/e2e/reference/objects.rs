//! Object operations before any metadata object exists: unknown ids answer as ThoughtSpot does.

use tspot_client::prelude::*;
use tspot_client::types;

use super::{RefServer, failure, group, user};

#[tokio::test]
async fn unknown_objects_are_404_and_unknown_sources_400() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    assert_eq!(
        failure(admin.pinboard_data().id("nope").send().await),
        (404, 10004)
    );
    assert_eq!(
        failure(admin.metadata_list_viz_headers().id("nope").send().await).0,
        404
    );
    assert_eq!(
        failure(admin.export_pinboard_pdf().id("nope").send().await).0,
        404
    );
    let export = admin
        .metadata_tml_export()
        .body(types::TmlExportForm::builder().export_ids(r#"["nope"]"#))
        .send()
        .await;
    assert_eq!(failure(export).0, 404);
    let search = admin
        .search_data()
        .query_string("[sales]")
        .data_source_guid("nope")
        .send()
        .await;
    assert_eq!(failure(search), (400, 10002));
}

#[tokio::test]
async fn list_object_headers_lists_users_and_groups() {
    let server = RefServer::start().await;
    server
        .add(vec![
            group("Sales", &[]),
            user("ann", &["Sales"]),
            user("bob", &[]),
        ])
        .await;
    let admin = server.admin().await;
    let users = admin
        .metadata_list_object_headers()
        .type_(types::MetadataType::User)
        .sort(types::MetadataSort::Name)
        .sortascending(false)
        .send()
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = users.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["tsadmin", "bob", "ann"]);
    let page = admin
        .metadata_list_object_headers()
        .type_(types::MetadataType::User)
        .pattern("%b%")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        page.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        ["bob"]
    );
    let groups = admin
        .metadata_list_object_headers()
        .type_(types::MetadataType::UserGroup)
        .offset(1)
        .batchsize(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "All");
    let tables = admin
        .metadata_list_object_headers()
        .type_(types::MetadataType::LogicalTable)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(tables.is_empty());
}
