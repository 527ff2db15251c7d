use tspot_client::prelude::*;
use tspot_client::types;

use crate::harness::{Server, debug_message, error_json};

#[tokio::test]
async fn add_privilege_returns_the_group_as_json() {
    let server = Server::start().await;
    let group = server
        .admin()
        .await
        .group_add_privilege()
        .body(
            types::GroupPrivilegeForm::builder()
                .privilege(types::Privilege::Datadownloading)
                .group_names(tspot_client::lists::to_param(["Analysts", "All"])),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(group.status(), 200);
    assert_eq!(group.header.name, "Analysts");
    assert_eq!(group.privileges, ["DATADOWNLOADING"]);
    let input = server.api.last_input("groupAddPrivilege");
    assert!(
        input.contains(r#"group_names: ["Analysts", "All"]"#),
        "{input}"
    );
}

#[tokio::test]
async fn remove_privilege_as_the_python_library_sends_it() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let part = |name: &str, value: &str| {
        reqwest::multipart::Part::text(value.to_string()).file_name(name.to_string())
    };
    let form = reqwest::multipart::Form::new()
        .part("privilege", part("privilege", "DATADOWNLOADING"))
        .part("groupNames", part("groupNames", r#"["Analysts"]"#));
    let response = http
        .post(server.endpoint("group/removeprivilege"))
        .header("X-Requested-By", "ThoughtSpot")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the library parses a JSON body");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["header"]["name"], "Analysts");
}

#[tokio::test]
async fn old_docs_bare_group_name_is_accepted_and_privileges_are_spelled_as_listed() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let add = |privilege: &'static str| {
        http.post(server.endpoint("group/addprivilege"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&[("privilege", privilege), ("groupNames", "ALL_GROUP")])
            .send()
    };
    let response = add("USERDATAUPLOADING").await.unwrap();
    assert_eq!(response.status(), 200);
    let input = server.api.last_input("groupAddPrivilege");
    assert!(input.contains("Userdatauploading"), "{input}");
    assert!(input.contains(r#"group_names: ["ALL_GROUP"]"#), "{input}");
    // Request enumerations are closed and spelled as the spec lists them.
    let response = add("userdatauploading").await.unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn unknown_privilege_is_400_before_the_implementation_runs() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("group/addprivilege"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("privilege", "SUPERPOWERS"), ("groupNames", r#"["All"]"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = error_json(response).await;
    assert!(debug_message(&body).contains("privilege"), "{body}");
    assert!(server.api.inputs("groupAddPrivilege").is_empty());
}

#[tokio::test]
async fn remove_privilege_through_the_client() {
    let server = Server::start().await;
    let group = server
        .admin()
        .await
        .group_remove_privilege()
        .body(
            types::GroupPrivilegeForm::builder()
                .privilege(types::Privilege::Jobscheduling)
                .group_names(tspot_client::lists::to_param(["Schedulers"])),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(group.header.name, "Schedulers");
    assert!(group.privileges.is_empty());
    let input = server.api.last_input("groupRemovePrivilege");
    assert!(input.contains("privilege: Jobscheduling"), "{input}");
}
