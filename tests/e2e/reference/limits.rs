//! Sessions that end at once, and bodies that are never read for nothing.

use std::time::Duration;

use tspot_client::prelude::*;
use tspot_client::{UserSync, types};

use super::{ADMIN_PASSWORD, RefServer, failure, password_form, user};

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions_at_once() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let laptop = server.signed_in("ann", "pw-ann").await;
    let phone = server.signed_in("ann", "pw-ann").await;
    // Both sessions are in use (and cached) before the change.
    assert!(laptop.user_list().send().await.is_ok());
    assert!(phone.user_list().send().await.is_ok());
    laptop
        .user_update_password()
        .body(password_form("ann", "pw-ann", "n3w-pass"))
        .send()
        .await
        .unwrap();
    // The caller's own session stays; the other one is refused from the next request on.
    assert!(laptop.user_list().send().await.is_ok());
    assert_eq!(failure(phone.user_list().send().await), (401, 10003));

    // An administrator's reset ends every session of the user, the laptop's too.
    let admin = server.admin().await;
    admin
        .user_update_password()
        .body(password_form("ann", ADMIN_PASSWORD, "reset-by-admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(failure(laptop.user_list().send().await), (401, 10003));
    assert!(admin.user_list().send().await.is_ok());
}

#[tokio::test]
async fn deleting_a_user_ends_their_sessions_at_once() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    assert!(ann.user_list().send().await.is_ok());
    let admin = server.admin().await;
    let everyone_but_ann: Vec<types::Principal> = admin
        .user_list()
        .send()
        .await
        .unwrap()
        .into_inner()
        .into_iter()
        .filter(|p| p.name != "ann")
        .collect();
    let sync = UserSync {
        apply_changes: true,
        remove_deleted: true,
        password: None,
        principals: everyone_but_ann,
    };
    let result = admin.user_sync(&sync).await.unwrap().into_inner();
    assert_eq!(result.users_deleted, ["ann"]);
    assert_eq!(failure(ann.user_list().send().await), (401, 10003));
}

#[tokio::test]
async fn a_bogus_session_is_refused_before_its_body_is_read() {
    let server = RefServer::start().await;
    // Announce 30 MB, send 1 KiB, then stall: the answer must come without the rest.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    sender.send(Ok(vec![b'a'; 1024])).await.unwrap();
    let stream = futures_util::stream::unfold(receiver, |mut r| async move {
        r.recv().await.map(|chunk| (chunk, r))
    });
    let request = reqwest::Client::new()
        .post(server.endpoint("metadata/tml/import"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("Cookie", "JSESSIONID=not-a-session")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Content-Length", "30000000")
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let response = tokio::time::timeout(Duration::from_secs(10), request)
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    assert_eq!(response.status(), 401);
    drop(sender);
}

#[tokio::test]
async fn each_operation_has_its_own_body_limit() {
    let server = RefServer::start().await;
    let big_password = "p".repeat(200 * 1024);
    let response = reqwest::Client::new()
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin"), ("password", big_password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["debug"].to_string().contains("64 KiB"), "{body}");
    // The same size is fine for a TML import, which carries documents.
    let admin = server.admin().await;
    let document = format!(
        "guid: 00000000-0000-0000-0000-000000000001\nanswer:\n  name: big\n  description: {}\n",
        "d".repeat(200 * 1024)
    );
    let imported = admin
        .metadata_tml_import()
        .body(
            types::TmlImportForm::builder()
                .import_objects(tspot_client::lists::to_param([document.as_str()]))
                .import_policy(types::TmlImportPolicy::ValidateOnly),
        )
        .send()
        .await;
    assert!(imported.is_ok(), "{imported:?}");
}

#[tokio::test]
async fn a_search_over_the_query_budget_is_a_400_naming_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = super::config(dir.path());
    config.demo_rows = 3_000;
    // Any real search takes more than a nanosecond: the engine stops it at its first check.
    config.query_budget = Duration::from_nanos(1);
    let server = RefServer::start_with(config).await;
    let admin = server.admin().await;
    let response = admin
        .search_data()
        .query_string("[Sales] [Region] [Product Name]")
        .data_source_guid("6a0d3c1e-5b7f-4c2a-9e41-000000000201")
        .send()
        .await;
    assert_eq!(failure(response), (400, 10002));
    let response = admin
        .search_data()
        .query_string("[Sales] [Region] [Product Name]")
        .data_source_guid("6a0d3c1e-5b7f-4c2a-9e41-000000000201")
        .send()
        .await;
    assert!(super::message(response).contains("allows per query"));
    server.stop().await;
}
