use tspot_client::prelude::*;
use tspot_client::types;

use crate::harness::Server;

#[tokio::test]
async fn import_json_array_through_the_client() {
    let server = Server::start().await;
    let documents = [
        "guid: g1\nanswer:\n  name: First answer\n",
        r#"{"guid": "g2", "answer": {"name": "Second, with \"quotes\""}}"#,
    ];
    let result = server
        .admin()
        .await
        .metadata_tml_import()
        .body(
            types::TmlImportForm::builder()
                .import_objects(tspot_client::lists::to_param(documents))
                .import_policy(types::TmlImportPolicy::AllOrNone),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = result
        .object
        .iter()
        .map(|o| o.response.header.as_ref().unwrap().name.clone())
        .collect();
    assert_eq!(names, ["First answer", "Second, with \"quotes\""]);
    assert!(
        server
            .api
            .last_input("metadataTmlImport")
            .contains("AllOrNone")
    );
}

#[tokio::test]
async fn import_python_literal_list_as_the_library_sends_it() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    // Python's repr() of ['guid: g1\nanswer:\n  name: Bob\'s "x"\n'] with escapes, as lib 1.8.8 sends.
    let import_objects = r#"['guid: g1\nanswer:\n  name: Bob\'s "x"\n']"#;
    let response = http
        .post(server.endpoint("metadata/tml/import"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("Accept", "text/plain")
        .form(&[
            ("import_objects", import_objects),
            ("import_policy", "VALIDATE_ONLY"),
            ("force_create", "false"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["object"][0]["response"]["header"]["name"],
        "Bob's \"x\""
    );
    assert_eq!(body["object"][0]["response"]["status"]["status_code"], "OK");
}

#[tokio::test]
async fn import_reports_per_object_errors_inside_a_200() {
    let server = Server::start().await;
    let result = server
        .admin()
        .await
        .metadata_tml_import()
        .body(types::TmlImportForm::builder().import_objects(r#"["just text"]"#))
        .send()
        .await
        .unwrap();
    assert_eq!(result.status(), 200);
    let status = &result.object[0].response.status;
    assert_eq!(status.status_code, types::TmlStatusCode::Error);
    assert_eq!(status.error_code, Some(14501));
}

#[tokio::test]
async fn export_as_json_and_yaml() {
    let server = Server::start().await;
    let client = server.admin().await;
    for (format, probe) in [
        (types::TmlFormat::Json, "{\"answer\""),
        (types::TmlFormat::Yaml, "guid: "),
    ] {
        let result = client
            .metadata_tml_export()
            .body(
                types::TmlExportForm::builder()
                    .export_ids(tspot_client::lists::to_param([
                        "a09a3787-e546-42cb-888f-c17260dd1229",
                    ]))
                    .formattype(format)
                    .export_associated(true)
                    .export_fqn(true),
            )
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            result.object[0].info.filename.as_deref(),
            Some("Exported.answer.tml")
        );
        let edoc = result.object[0].edoc.as_deref().unwrap();
        assert!(edoc.starts_with(probe), "{edoc}");
    }
    let input = server.api.last_input("metadataTmlExport");
    assert!(input.contains("export_associated: true"), "{input}");
    assert!(
        input.contains("export_schema_version: \"v1\""),
        "default applied: {input}"
    );
}
