use super::{RefServer, config, names, user};

#[tokio::test]
async fn users_and_sessions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = RefServer::start_with(config(dir.path())).await;
    server.add(vec![user("ann", &[])]).await;
    server.stop().await;

    let restarted = RefServer::start_with(config(dir.path())).await;
    let session = reqwest::Client::new()
        .post(restarted.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "ann"), ("password", "pw-ann")])
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 204, "ann survived the restart");
    assert!(
        names(&restarted.admin().await)
            .await
            .contains(&"ann".to_string())
    );
    restarted.stop().await;
}

#[tokio::test]
async fn a_session_cookie_stays_valid_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = RefServer::start_with(config(dir.path())).await;
    let login = reqwest::Client::new()
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin"), ("password", super::ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap();
    let session = cookie.split(';').next().unwrap().to_string();
    server.stop().await;

    let restarted = RefServer::start_with(config(dir.path())).await;
    let response = reqwest::Client::new()
        .get(restarted.endpoint("user/list"))
        .header("Cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    restarted.stop().await;
}

#[tokio::test]
async fn the_admin_password_applies_on_first_start_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = RefServer::start_with(config(dir.path())).await;
    server.stop().await;
    let mut changed = config(dir.path());
    changed.admin_password = Some("another".into());
    let restarted = RefServer::start_with(changed).await;
    restarted
        .client()
        .login("tsadmin", super::ADMIN_PASSWORD)
        .await
        .unwrap();
    assert!(
        restarted
            .client()
            .login("tsadmin", "another")
            .await
            .is_err()
    );
    restarted.stop().await;
}
