use tspot_client::prelude::*;
use tspot_client::{UserSync, types};

use crate::harness::{Server, debug_message, error_json};

#[tokio::test]
async fn user_list_returns_principals() {
    let server = Server::start().await;
    let users = server
        .admin()
        .await
        .user_list()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(users.len(), 3);
    assert_eq!(
        users[0].principal_type_enum,
        types::PrincipalType::LocalGroup
    );
    assert_eq!(users[1].group_names, ["Administrator", "All"]);
    // Values a newer release adds are kept, not refused.
    assert_eq!(
        users[2].principal_type_enum,
        types::Open::Unknown("SAML_GROUP".into())
    );
    assert_eq!(
        users[2].visibility,
        Some(types::Open::Unknown("HIDDEN".into()))
    );
}

#[tokio::test]
async fn user_list_without_a_session_is_401() {
    let server = Server::start().await;
    let error = server.client().user_list().send().await.unwrap_err();
    assert_eq!(error.status().unwrap(), 401);
}

#[tokio::test]
async fn update_password_through_the_client() {
    let server = Server::start().await;
    let response = server
        .admin()
        .await
        .user_update_password()
        .body(
            types::UserUpdatePasswordForm::builder()
                .name("jdoe")
                .currentpassword("admin")
                .password("n3w-secret"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        server
            .api
            .last_input("userUpdatePassword")
            .contains(r#"password: "n3w-secret""#)
    );
}

#[tokio::test]
async fn update_password_accepts_the_python_library_name_newpassword() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("user/updatepassword"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("name", "jdoe"),
            ("currentpassword", "admin"),
            ("newpassword", "fresh"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        server
            .api
            .last_input("userUpdatePassword")
            .contains(r#"password: "fresh""#)
    );
}

#[tokio::test]
async fn update_password_without_any_new_password_is_400() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("user/updatepassword"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("name", "jdoe"), ("currentpassword", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = error_json(response).await;
    assert_eq!(body["code"], 10002);
    assert!(debug_message(&body).contains("'password'"));
}

#[tokio::test]
async fn transfer_ownership_sends_query_parameters_with_a_json_list() {
    let server = Server::start().await;
    let response = server
        .admin()
        .await
        .user_transfer_ownership()
        .from_user_name("alice")
        .to_user_name("bob")
        .objects_id(tspot_client::lists::to_param(["g1", "g2"]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let input = server.api.last_input("userTransferOwnership");
    assert!(
        input.contains(r#"objects_id: Some(["g1", "g2"])"#),
        "{input}"
    );
}

#[tokio::test]
async fn transfer_ownership_accepts_objectid_and_unquoted_guids() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    // What the Python library sends: a POST with the parameters in the query string, no body, no
    // Content-Type; and a documented example's unquoted GUID list.
    let response = http
        .post(server.endpoint(
            "user/transfer/ownership?fromUserName=a&toUserName=b&objectid=%5B7589cbdb-1%2C+84481cda-2%5D",
        ))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let input = server.api.last_input("userTransferOwnership");
    assert!(
        input.contains(r#"objects_id: Some(["7589cbdb-1", "84481cda-2"])"#),
        "{input}"
    );
}

#[tokio::test]
async fn transfer_ownership_documented_400_reaches_the_client_typed() {
    let server = Server::start().await;
    let error = server
        .admin()
        .await
        .user_transfer_ownership()
        .from_user_name("same")
        .to_user_name("same")
        .send()
        .await
        .unwrap_err();
    match error {
        tspot_client::Error::ErrorResponse(body) => assert_eq!(body.code, 10002),
        other => panic!("{other:?}"),
    }
}

fn principal(name: &str, kind: types::PrincipalType) -> types::Principal {
    types::Principal::builder()
        .name(name)
        .principal_type_enum(kind)
        .group_names(vec!["All".to_string()])
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn user_sync_through_the_handwritten_multipart_call() {
    let server = Server::start().await;
    let sync = UserSync {
        apply_changes: true,
        remove_deleted: true,
        password: Some("welcome".into()),
        ..UserSync::dry_run(vec![
            principal("u1", types::PrincipalType::LocalUser),
            principal("g1", types::PrincipalType::LocalGroup),
        ])
    };
    let result = server
        .admin()
        .await
        .user_sync(&sync)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.users_added, ["u1"]);
    assert_eq!(result.groups_added, ["g1"]);
    assert_eq!(result.users_deleted, ["departed"]);
    let input = server.api.last_input("userSync");
    assert!(input.contains("apply_changes: true"), "{input}");
    assert!(input.contains(r#"password: Some("welcome")"#), "{input}");
}

#[tokio::test]
async fn user_sync_as_the_python_library_sends_it() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    // Every part is a "file" named after its field; the flag is spelt removeDelete.
    let part = |name: &str, value: &str| {
        reqwest::multipart::Part::text(value.to_string()).file_name(name.to_string())
    };
    let form = reqwest::multipart::Form::new()
        .part(
            "principals",
            reqwest::multipart::Part::text(
                r#"[{"name":"u9","principalTypeEnum":"LOCAL_USER","groupNames":[]}]"#,
            )
            .file_name("principals.json")
            .mime_str("application/json")
            .unwrap(),
        )
        .part("applyChanges", part("applyChanges", "false"))
        .part("removeDelete", part("removeDelete", "false"))
        .part("password", part("password", "pw"));
    let response = http
        .post(server.endpoint("user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let input = server.api.last_input("userSync");
    assert!(input.contains("remove_deleted: false"), "{input}");
    assert!(input.contains("apply_changes: false"), "{input}");
}

#[tokio::test]
async fn user_sync_defaults_apply_and_removes_deleted() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let form = reqwest::multipart::Form::new().text("principals", "[]");
    let response = http
        .post(server.endpoint("user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let input = server.api.last_input("userSync");
    assert!(
        input.contains("apply_changes: false"),
        "dry run by default: {input}"
    );
    assert!(
        input.contains("remove_deleted: true"),
        "documented default: {input}"
    );
}

#[tokio::test]
async fn user_sync_with_principals_that_are_not_json_is_400() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let form = reqwest::multipart::Form::new().text("principals", "[{not json");
    let response = http
        .post(server.endpoint("user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = error_json(response).await;
    assert!(debug_message(&body).contains("principals"), "{body}");
}
