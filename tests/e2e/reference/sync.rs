use tspot_client::UserSync;
use tspot_client::prelude::*;
use tspot_client::types;

use super::{RefServer, failure, group, message, names, user};

fn sync(principals: Vec<types::Principal>, apply: bool, remove: bool) -> UserSync {
    UserSync {
        principals,
        apply_changes: apply,
        remove_deleted: remove,
        password: Some("welcome-1".into()),
    }
}

#[tokio::test]
async fn creates_updates_and_deletes_with_the_six_result_lists() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let first = vec![
        group("Sales", &[]),
        user("ann", &["Sales"]),
        user("bob", &[]),
    ];
    let result = admin
        .user_sync(&sync(first, true, false))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.users_added, ["ann", "bob"]);
    assert_eq!(result.groups_added, ["Sales"]);
    assert!(result.users_deleted.is_empty() && result.users_updated.is_empty());

    let listed = admin.user_list().send().await.unwrap().into_inner();
    let ann = listed.iter().find(|p| p.name == "ann").unwrap();
    assert_eq!(ann.group_names, ["All", "Sales"], "All is implicit");
    assert_eq!(ann.mail.as_deref(), Some("ann@example.com"));

    // ann moves out of Sales and gets a new display name; bob is gone; a new group appears.
    let mut ann = user("ann", &[]);
    ann.display_name = Some("Ann A.".into());
    let second = vec![group("Sales", &[]), group("Support", &[]), ann];
    let result = admin
        .user_sync(&sync(second, true, true))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.users_updated, ["ann"]);
    assert_eq!(result.users_deleted, ["bob"]);
    assert_eq!(result.groups_added, ["Support"]);
    assert!(result.groups_updated.is_empty() && result.groups_deleted.is_empty());
    assert_eq!(
        names(&admin).await,
        ["Administrator", "All", "Sales", "Support", "ann", "tsadmin"]
    );
    assert_eq!(failure(server.client().login("bob", "pw-bob").await).0, 401);
}

#[tokio::test]
async fn a_dry_run_reports_and_changes_nothing() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let before = names(&admin).await;
    let result = admin
        .user_sync(&sync(vec![user("ann", &[])], false, true))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.users_added, ["ann"]);
    assert_eq!(names(&admin).await, before);
}

#[tokio::test]
async fn system_principals_survive_remove_deleted() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let result = admin
        .user_sync(&sync(vec![], true, true))
        .await
        .unwrap()
        .into_inner();
    assert!(result.users_deleted.is_empty() && result.groups_deleted.is_empty());
    assert_eq!(names(&admin).await, ["Administrator", "All", "tsadmin"]);
}

#[tokio::test]
async fn new_users_get_their_own_or_the_shared_password() {
    let server = RefServer::start().await;
    let mut shared = user("sam", &[]);
    shared.password = None;
    server
        .admin()
        .await
        .user_sync(&sync(vec![user("ann", &[]), shared], true, false))
        .await
        .unwrap();
    server.client().login("ann", "pw-ann").await.unwrap();
    server.client().login("sam", "welcome-1").await.unwrap();
}

#[tokio::test]
async fn a_sync_that_fails_changes_nothing() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let before = admin.user_list().send().await.unwrap().into_inner();
    // Valid principals first; the last one names a group that does not exist.
    let principals = vec![
        group("G1", &[]),
        user("ann", &["G1"]),
        user("zed", &["Missing"]),
    ];
    let refused = admin.user_sync(&sync(principals, true, true)).await;
    assert!(message(refused).contains("Missing"));
    assert_eq!(admin.user_list().send().await.unwrap().into_inner(), before);

    let mut passwordless = user("pat", &[]);
    passwordless.password = None;
    let no_password = UserSync {
        password: None,
        ..sync(vec![group("G2", &[]), passwordless], true, false)
    };
    let refused = admin.user_sync(&no_password).await;
    assert!(message(refused).contains("password"));
    assert_eq!(admin.user_list().send().await.unwrap().into_inner(), before);
}

#[tokio::test]
async fn the_python_library_spelling_remove_delete_is_honoured() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    http.post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin"), ("password", super::ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    let part = |name: &str, value: &str| {
        reqwest::multipart::Part::text(value.to_string()).file_name(name.to_string())
    };
    let form = reqwest::multipart::Form::new()
        .part(
            "principals",
            reqwest::multipart::Part::text("[]").file_name("principals.json"),
        )
        .part("applyChanges", part("applyChanges", "true"))
        .part("removeDelete", part("removeDelete", "false"))
        .part("password", part("password", "x"));
    let response = http
        .post(server.endpoint("user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["usersDeleted"], serde_json::json!([]));
    assert!(
        names(&server.admin().await)
            .await
            .contains(&"ann".to_string())
    );
}

/// `x-tspot-blank-is-absent` on `UserSyncPrincipal` properties: a principals file converted from
/// a spreadsheet says `""` where a cell was empty, which must not become an empty display name.
#[tokio::test]
async fn blank_properties_of_the_principals_file_count_as_absent() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let mut cat = user("cat", &[]);
    cat.display_name = Some(" ".into());
    cat.mail = Some(String::new());
    cat.description = Some(String::new());
    let result = admin
        .user_sync(&sync(vec![cat], true, false))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.users_added, ["cat"]);
    let listed = admin.user_list().send().await.unwrap().into_inner();
    let cat = listed.iter().find(|p| p.name == "cat").unwrap();
    assert_eq!(
        cat.display_name.as_deref(),
        Some("cat"),
        "the name stands in"
    );
    assert_eq!(
        cat.mail.as_deref(),
        Some(""),
        "user/list shows no mail as empty"
    );
    assert_eq!(cat.description, None);
}

#[tokio::test]
async fn sync_input_errors_are_400_and_non_admins_403() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let duplicate = admin
        .user_sync(&sync(vec![user("ann", &[]), user("ann", &[])], true, false))
        .await;
    assert!(message(duplicate).contains("more than once"));
    let self_member = admin
        .user_sync(&sync(vec![group("Loop", &["Loop"])], true, false))
        .await;
    assert_eq!(failure(self_member).0, 400);
    server.add(vec![user("ann", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    assert_eq!(
        failure(ann.user_sync(&sync(vec![], false, false)).await),
        (403, 10003)
    );
}
