use tspot_client::prelude::*;
use tspot_client::types;

use super::{RefServer, failure, group, message, user};

fn privilege(p: types::Privilege, groups: &[&str]) -> types::builder::GroupPrivilegeForm {
    types::GroupPrivilegeForm::builder()
        .privilege(p)
        .group_names(tspot_client::lists::to_param(groups))
}

#[tokio::test]
async fn administration_granted_to_a_parent_group_reaches_nested_members() {
    let server = RefServer::start().await;
    // ann is in Ops, and Ops is in Platform: privileges travel up the membership chain.
    server
        .add(vec![
            group("Platform", &[]),
            group("Ops", &["Platform"]),
            user("ann", &["Ops"]),
        ])
        .await;
    let ann = server.signed_in("ann", "pw-ann").await;
    assert_eq!(
        failure(
            ann.user_transfer_ownership()
                .from_user_name("a")
                .to_user_name("b")
                .send()
                .await
        ),
        (403, 10003)
    );

    let admin = server.admin().await;
    let details = admin
        .group_add_privilege()
        .body(privilege(types::Privilege::Administration, &["Platform"]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(details.header.name, "Platform");
    assert_eq!(details.privileges, ["ADMINISTRATION"]);
    assert_eq!(details.type_, "LOCAL_GROUP");

    let now_admin = ann
        .user_transfer_ownership()
        .from_user_name("ghost")
        .to_user_name("tsadmin")
        .send()
        .await;
    assert_eq!(failure(now_admin).0, 400, "past the privilege check");

    let removed = admin
        .group_remove_privilege()
        .body(privilege(types::Privilege::Administration, &["Platform"]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(removed.privileges.is_empty());
    let again = ann
        .user_transfer_ownership()
        .from_user_name("ghost")
        .to_user_name("x")
        .send()
        .await;
    assert_eq!(failure(again).0, 403);
}

#[tokio::test]
async fn an_unknown_group_changes_nothing() {
    let server = RefServer::start().await;
    server.add(vec![group("Analysts", &[])]).await;
    let admin = server.admin().await;
    let refused = admin
        .group_add_privilege()
        .body(privilege(
            types::Privilege::Datadownloading,
            &["Analysts", "Nope"],
        ))
        .send()
        .await;
    assert!(message(refused).contains("Nope"));
    let unchanged = admin
        .group_remove_privilege()
        .body(privilege(types::Privilege::Developer, &["Analysts"]))
        .send()
        .await
        .unwrap();
    assert!(
        unchanged.privileges.is_empty(),
        "DATADOWNLOADING was not granted to Analysts"
    );
}

#[tokio::test]
async fn privilege_changes_need_administration() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    let refused = ann
        .group_add_privilege()
        .body(privilege(types::Privilege::Administration, &["All"]))
        .send()
        .await;
    assert_eq!(failure(refused), (403, 10003));
}

#[tokio::test]
async fn privilege_form_errors_are_400() {
    let server = RefServer::start().await;
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
    for form in [
        vec![("groupNames", "[\"All\"]")],
        vec![("privilege", "DEVELOPER")],
        vec![("privilege", "ROOT"), ("groupNames", "[\"All\"]")],
        vec![("privilege", "DEVELOPER"), ("groupNames", "[]")],
        vec![("privilege", "DEVELOPER"), ("groupNames", "[\"All\"")],
    ] {
        let response = http
            .post(server.endpoint("group/addprivilege"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{form:?}");
    }
}
