use tspot_client::prelude::*;
use tspot_client::types;

use crate::fake::{ADMIN, TRUSTED_SECRET};
use crate::harness::{Server, raw};

#[tokio::test]
async fn login_sets_the_session_cookie_and_later_calls_carry_it() {
    let server = Server::start().await;
    let client = server.client();
    let response = client
        .session_login()
        .body(
            types::SessionLoginForm::builder()
                .username(ADMIN)
                .password("admin")
                .rememberme(true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
    assert_eq!(
        cookies.len(),
        2,
        "JSESSIONID and clientId, one header line each"
    );
    assert!(cookies[0].to_str().unwrap().starts_with("JSESSIONID="));
    assert!(
        server
            .api
            .last_input("sessionLogin")
            .contains("rememberme: true")
    );

    let users = client.user_list().send().await.unwrap().into_inner();
    assert_eq!(users[1].name, ADMIN);
}

#[tokio::test]
async fn bad_credentials_are_a_typed_401() {
    let server = Server::start().await;
    let error = server.client().login(ADMIN, "wrong").await.unwrap_err();
    match error {
        tspot_client::Error::ErrorResponse(response) => {
            assert_eq!(response.status(), 401);
            assert_eq!(response.code, 10003);
        }
        other => panic!("expected a documented error, got {other:?}"),
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = Server::start().await;
    let client = server.admin().await;
    assert_eq!(client.session_logout().send().await.unwrap().status(), 204);
    let error = client.user_list().send().await.unwrap_err();
    assert_eq!(error.status().unwrap(), 401);
}

#[tokio::test]
async fn trusted_authentication_token_then_login_without_redirect() {
    let server = Server::start().await;
    let client = server.client();
    let token = client
        .session_auth_token()
        .body(
            types::SessionAuthTokenForm::builder()
                .secret_key(TRUSTED_SECRET)
                .username("embed-user")
                .access_level(types::AccessLevel::ReportBookView)
                .id(Some("lb1".to_string()))
                .autocreate(true)
                .groups(tspot_client::lists::to_param(["Sales", "All"])),
        )
        .send()
        .await
        .unwrap();
    assert!(
        token.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let token = tspot_client::read_text(token.into_inner()).await.unwrap();
    assert_eq!(token, "token-embed-user-REPORT_BOOK_VIEW");
    let input = server.api.last_input("sessionAuthToken");
    assert!(
        input.contains(r#"groups: Some(["Sales", "All"])"#),
        "{input}"
    );
    assert!(input.contains("autocreate: true"), "{input}");

    let response = client
        .session_login_token()
        .body(
            types::SessionLoginTokenForm::builder()
                .username("embed-user")
                .auth_token(token)
                .no_url_redirection(true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        client.user_list().send().await.is_ok(),
        "the token session works"
    );
}

#[tokio::test]
async fn login_token_redirects_with_the_cookie() {
    let server = Server::start().await;
    let response = raw()
        .post(server.endpoint("session/login/token"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("username", "u1"),
            ("auth_token", "token-u1-FULL"),
            ("redirect_url", "https://app.example.com/embed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "https://app.example.com/embed"
    );
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("JSESSIONID=")
    );
}

#[tokio::test]
async fn wrong_secret_is_401() {
    let server = Server::start().await;
    let error = server
        .client()
        .session_auth_token()
        .body(
            types::SessionAuthTokenForm::builder()
                .secret_key("nope")
                .username("u")
                .access_level(types::AccessLevel::Full),
        )
        .send()
        .await
        .err()
        .expect("a wrong secret is refused");
    assert_eq!(error.status().unwrap(), 401);
}

/// Whether an operation needs a session: every one of its security requirements names session
/// credentials, the `session` cookie or the `bearer` token.
fn needs_a_session(op: &tspot_server::OperationInfo) -> bool {
    !op.security.is_empty()
        && op
            .security
            .iter()
            .all(|r| r.contains(&"session") || r.contains(&"bearer"))
}

#[tokio::test]
async fn every_operation_that_needs_a_session_answers_401_without_one_even_without_the_csrf_header()
{
    let server = crate::reference::RefServer::start().await;
    let http = reqwest::Client::new();
    let mut checked = 0;
    for op in tspot_server::OPERATIONS
        .iter()
        .filter(|op| needs_a_session(op))
    {
        let url = format!("{}/callosum/v1{}", server.url, op.path);
        for (credentials, requested_by) in [
            (None, true),
            (Some(("Cookie", "JSESSIONID=forged")), false),
            (Some(("Authorization", "Bearer forged")), false),
        ] {
            let mut request = match op.method {
                "GET" => http.get(&url),
                _ => http.post(&url),
            };
            if requested_by {
                request = request.header("X-Requested-By", "ThoughtSpot");
            }
            if let Some((name, value)) = credentials {
                request = request.header(name, value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                401,
                "{} {} with {credentials:?}",
                op.method,
                op.path
            );
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], 10003, "{} {}", op.method, op.path);
        }
        checked += 1;
    }
    assert_eq!(
        checked, 14,
        "every operation but the three that create a session"
    );
}

#[tokio::test]
async fn the_session_id_works_as_a_bearer_token() {
    let server = crate::reference::RefServer::start().await;
    let login = reqwest::Client::new()
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("username", "tsadmin"),
            ("password", crate::reference::ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 204);
    let session = login
        .cookies()
        .find(|c| c.name() == "JSESSIONID")
        .expect("a session cookie")
        .value()
        .to_string();
    // The header exactly as the Python library's `bearer_token` setter writes it, and no cookie.
    let bearer = format!("Bearer {session}");
    let http = reqwest::Client::new();
    let users = http
        .get(server.endpoint("user/list"))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(users.status(), 200);
    let users: serde_json::Value = users.json().await.unwrap();
    assert!(
        users
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "tsadmin")
    );
    // A signed-in POST without the CSRF header is still refused, with 400.
    let refused = http
        .post(server.endpoint("session/logout"))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    // With it, the bearer session signs out, and the token stops working.
    let logout = http
        .post(server.endpoint("session/logout"))
        .header("Authorization", &bearer)
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    let after = http
        .get(server.endpoint("user/list"))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
}
