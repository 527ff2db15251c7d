use std::time::Duration;

use tspot_client::prelude::*;
use tspot_client::types;

use super::{ADMIN_PASSWORD, RefServer, config, failure, message};

fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string()
}

async fn login(server: &RefServer, form: &[(&str, &str)], https: bool) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(form);
    if https {
        request = request.header("X-Forwarded-Proto", "https");
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn login_issues_an_http_only_lax_session_cookie() {
    let server = RefServer::start().await;
    let response = login(
        &server,
        &[("username", "tsadmin"), ("password", ADMIN_PASSWORD)],
        false,
    )
    .await;
    assert_eq!(response.status(), 204);
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("JSESSIONID="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "not Secure on plain HTTP: {cookie}"
    );
    assert!(
        !cookie.contains("Max-Age"),
        "a session cookie without rememberme: {cookie}"
    );

    let https = login(
        &server,
        &[("username", "tsadmin"), ("password", ADMIN_PASSWORD)],
        true,
    )
    .await;
    assert!(set_cookie(&https).contains("Secure"), "Secure behind HTTPS");

    let remembered = login(
        &server,
        &[
            ("username", "tsadmin"),
            ("password", ADMIN_PASSWORD),
            ("rememberme", "true"),
        ],
        false,
    )
    .await;
    assert!(
        set_cookie(&remembered).contains("Max-Age=1209600"),
        "persistent for 14 days"
    );
    // Fresh random ids every time.
    assert_ne!(set_cookie(&response)[..50], set_cookie(&remembered)[..50]);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_answer_alike() {
    let server = RefServer::start().await;
    let wrong = server.client().login("tsadmin", "nope").await;
    let unknown_message = message(server.client().login("nobody", "nope").await);
    assert_eq!(
        message(server.client().login("tsadmin", "nope").await),
        unknown_message
    );
    assert_eq!(failure(wrong), (401, 10003));
}

/// A sign-in from a given client address (the server believes `X-Forwarded-For` in these tests).
async fn login_from(
    server: &RefServer,
    address: &str,
    user: &str,
    password: &str,
) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("X-Forwarded-For", address)
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = if status == 204 {
        serde_json::Value::Null
    } else {
        response.json().await.unwrap()
    };
    // Only the incident and trace ids may differ between two refusals.
    let message = if status == 204 {
        String::new()
    } else {
        crate::harness::debug_message(&body)
    };
    (status, message)
}

#[tokio::test]
async fn guessing_is_slowed_per_address_and_locks_nobody_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.trust_forwarded_for = true;
    config.throttle = tspot_reference::ThrottlePolicy {
        free_failures: 2,
        first_delay_ms: 400,
        max_delay_ms: 400,
        forget_after_ms: 60_000,
    };
    let server = RefServer::start_with(config).await;
    let attacker = "203.0.113.9";
    let wrong = login_from(&server, attacker, "tsadmin", "guess").await;
    assert_eq!(wrong.0, 401);
    assert_eq!(
        login_from(&server, attacker, "nobody", "guess").await,
        wrong
    );
    // Two failures of tsadmin from this address are free; the third starts a delay.
    assert_eq!(
        login_from(&server, attacker, "tsadmin", "guess").await,
        wrong
    );
    assert_eq!(
        login_from(&server, attacker, "tsadmin", "guess").await,
        wrong
    );
    // A delay now runs for tsadmin from that address: even the right password is refused,
    // with the very same answer as a wrong user or a wrong password.
    assert_eq!(
        login_from(&server, attacker, "tsadmin", ADMIN_PASSWORD).await,
        wrong
    );
    // The administrator elsewhere is not affected.
    assert_eq!(
        login_from(&server, "198.51.100.7", "tsadmin", ADMIN_PASSWORD)
            .await
            .0,
        204
    );
    // When the delay is over, the right password works and the count starts again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        login_from(&server, attacker, "tsadmin", ADMIN_PASSWORD)
            .await
            .0,
        204
    );
    assert_eq!(
        login_from(&server, attacker, "tsadmin", "guess").await,
        wrong
    );
    assert_eq!(
        login_from(&server, attacker, "tsadmin", ADMIN_PASSWORD)
            .await
            .0,
        204
    );
    server.stop().await;
}

#[tokio::test]
async fn x_forwarded_for_is_ignored_unless_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.throttle.free_failures = 1;
    config.throttle.first_delay_ms = 60_000;
    let server = RefServer::start_with(config).await;
    let wrong = login_from(&server, "203.0.113.1", "tsadmin", "guess").await;
    assert_eq!(
        login_from(&server, "203.0.113.2", "tsadmin", "guess").await,
        wrong
    );
    // Both guesses came from 127.0.0.1, whatever the header said: that pair is now delayed.
    assert_eq!(
        login_from(&server, "203.0.113.3", "tsadmin", ADMIN_PASSWORD).await,
        wrong
    );
    server.stop().await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = RefServer::start().await;
    let client = server.admin().await;
    assert_eq!(client.session_logout().send().await.unwrap().status(), 204);
    assert_eq!(failure(client.user_list().send().await), (401, 10003));
    assert_eq!(failure(client.session_logout().send().await).0, 401);
}

#[tokio::test]
async fn sessions_expire_after_the_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.session_timeout = Duration::from_millis(300);
    let server = RefServer::start_with(config).await;
    let client = server.admin().await;
    assert!(client.user_list().send().await.is_ok());
    tokio::time::sleep(Duration::from_millis(600)).await;
    let expired = message(client.user_list().send().await);
    assert!(expired.contains("sign in again"), "{expired}");
    server.stop().await;
}

#[tokio::test]
async fn every_operation_that_needs_a_session_answers_401_without_one() {
    let server = RefServer::start().await;
    let http = reqwest::Client::new();
    // A session is needed when every alternative names one: the cookie or its bearer form.
    let needs_session = |op: &&tspot_server::OperationInfo| {
        !op.security.is_empty()
            && op
                .security
                .iter()
                .all(|r| r.contains(&"session") || r.contains(&"bearer"))
    };
    let checked = tspot_server::OPERATIONS
        .iter()
        .filter(needs_session)
        .count();
    // All but session/login, session/auth/token and session/login/token.
    assert_eq!(checked, tspot_server::OPERATIONS.len() - 3);
    for op in tspot_server::OPERATIONS.iter().filter(needs_session) {
        let url = format!("{}/callosum/v1{}", server.url, op.path);
        let request = match op.method {
            "GET" => http.get(url),
            _ => http.post(url).header("X-Requested-By", "ThoughtSpot"),
        };
        // Enough valid parameters for every operation, so the router lets the call through.
        let response = request
            .query(&[
                ("id", "x"),
                ("name", "x"),
                ("currentpassword", "x"),
                ("password", "x"),
                ("fromUserName", "a"),
                ("toUserName", "b"),
                ("principals", "[]"),
                ("privilege", "DEVELOPER"),
                ("groupNames", "[\"All\"]"),
                ("import_objects", "[]"),
                ("export_ids", "[\"x\"]"),
                ("query_string", "[x]"),
                ("data_source_guid", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{} {}", op.method, op.path);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], 10003, "{} {}", op.method, op.path);
    }
}

#[tokio::test]
async fn a_forged_or_unknown_cookie_is_401() {
    let server = RefServer::start().await;
    let response = reqwest::Client::new()
        .get(server.endpoint("user/list"))
        .header("Cookie", "JSESSIONID=forged-value")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn login_form_errors_are_400() {
    let server = RefServer::start().await;
    for form in [
        vec![("password", "x")],
        vec![("username", "tsadmin")],
        vec![
            ("username", "tsadmin"),
            ("password", "x"),
            ("rememberme", "maybe"),
        ],
        vec![("username", "tsadmin"), ("password", "x"), ("orgid", "one")],
    ] {
        let response = login(&server, &form, false).await;
        assert_eq!(response.status(), 400, "{form:?}");
    }
    let _ = types::SessionLoginForm::builder();
}
