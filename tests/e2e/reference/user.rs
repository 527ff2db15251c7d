use tspot_client::prelude::*;
use tspot_client::types;

use super::{ADMIN_PASSWORD, RefServer, failure, group, message, password_form, user};

#[tokio::test]
async fn user_list_shows_the_system_principals_with_memberships() {
    let server = RefServer::start().await;
    let principals = server
        .admin()
        .await
        .user_list()
        .send()
        .await
        .unwrap()
        .into_inner();
    let find = |name: &str| principals.iter().find(|p| p.name == name).unwrap();
    let admin = find("tsadmin");
    assert_eq!(admin.principal_type_enum, types::PrincipalType::LocalUser);
    assert_eq!(admin.group_names, ["Administrator", "All"]);
    assert_eq!(admin.mail.as_deref(), Some(""));
    assert!(
        admin.created.unwrap() > 1_700_000_000_000,
        "epoch milliseconds"
    );
    assert_eq!(find("Administrator").group_names, ["All"]);
    assert_eq!(
        find("All").principal_type_enum,
        types::PrincipalType::LocalGroup
    );
    assert_eq!(principals.len(), 3);
}

#[tokio::test]
async fn users_change_their_own_password() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    let wrong = ann
        .user_update_password()
        .body(password_form("ann", "bad", "n3w"))
        .send()
        .await;
    assert_eq!(failure(wrong), (400, 10002));
    let same = ann
        .user_update_password()
        .body(password_form("ann", "pw-ann", "pw-ann"))
        .send()
        .await;
    assert!(message(same).contains("cannot be the same"));
    let ok = ann
        .user_update_password()
        .body(password_form("ann", "pw-ann", "n3w"))
        .send()
        .await;
    assert_eq!(ok.unwrap().status(), 204);
    assert_eq!(failure(server.client().login("ann", "pw-ann").await).0, 401);
    server.client().login("ann", "n3w").await.unwrap();
}

#[tokio::test]
async fn only_admins_change_other_users_passwords() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[]), user("bob", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    let refused = ann
        .user_update_password()
        .body(password_form("bob", "pw-ann", "x1"))
        .send()
        .await;
    assert_eq!(failure(refused), (403, 10003));
    // An admin resets bob's password with the admin's own current password, as user_tools does,
    // through the `newpassword` name the Python library sends.
    let response = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    response
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    let reset = response
        .post(server.endpoint("user/updatepassword"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("name", "bob"),
            ("currentpassword", ADMIN_PASSWORD),
            ("newpassword", "b0b"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    server.client().login("bob", "b0b").await.unwrap();
    let unknown = server
        .admin()
        .await
        .user_update_password()
        .body(password_form("ghost", ADMIN_PASSWORD, "x"))
        .send()
        .await;
    assert_eq!(failure(unknown).0, 400);
}

#[tokio::test]
async fn transfer_ownership_validates_users_and_privilege() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[]), user("bob", &[])]).await;
    let admin = server.admin().await;
    let transfer = |from: &str, to: &str| {
        admin
            .user_transfer_ownership()
            .from_user_name(from)
            .to_user_name(to)
    };
    assert_eq!(transfer("ann", "bob").send().await.unwrap().status(), 204);
    let listed = transfer("ann", "bob")
        .objects_id(tspot_client::lists::to_param([
            "a09a3787-e546-42cb-888f-c17260dd1229",
        ]))
        .send()
        .await;
    assert_eq!(listed.unwrap().status(), 204);
    assert!(message(transfer("ghost", "bob").send().await).contains("'ghost' does not exist"));
    assert_eq!(
        transfer("ann", "tsadmin").send().await.unwrap().status(),
        204
    );
    assert_eq!(failure(transfer("ann", "ann").send().await).0, 400);
    let ann = server.signed_in("ann", "pw-ann").await;
    let refused = ann
        .user_transfer_ownership()
        .from_user_name("ann")
        .to_user_name("bob")
        .send()
        .await;
    assert_eq!(failure(refused), (403, 10003));
    let _ = group("unused", &[]);
}
