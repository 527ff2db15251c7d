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
