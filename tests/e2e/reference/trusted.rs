use std::time::Duration;

use tspot_client::prelude::*;
use tspot_client::types;

use super::{RefServer, SECRET, config, failure, message, names, user};

fn token_form(user: &str, level: types::AccessLevel) -> types::builder::SessionAuthTokenForm {
    types::SessionAuthTokenForm::builder()
        .secret_key(SECRET)
        .username(user)
        .access_level(level)
}

async fn token(
    client: &tspot_client::Client,
    form: types::builder::SessionAuthTokenForm,
) -> String {
    let response = client.session_auth_token().body(form).send().await.unwrap();
    tspot_client::read_text(response.into_inner())
        .await
        .unwrap()
}

async fn exchange(server: &RefServer, user: &str, token: &str) -> (tspot_client::Client, u16) {
    let client = server.client();
    let status = match client
        .session_login_token()
        .body(
            types::SessionLoginTokenForm::builder()
                .username(user)
                .auth_token(token)
                .no_url_redirection(true),
        )
        .send()
        .await
    {
        Ok(response) => response.status().as_u16(),
        Err(error) => error.status().unwrap().as_u16(),
    };
    (client, status)
}

#[tokio::test]
async fn a_token_signs_in_once() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let t = token(
        &server.client(),
        token_form("ann", types::AccessLevel::Full),
    )
    .await;
    assert!(t.len() >= 40, "opaque and long: {t}");
    let (ann, status) = exchange(&server, "ann", &t).await;
    assert_eq!(status, 204);
    assert!(ann.user_list().send().await.is_ok(), "a FULL session");
    assert_eq!(exchange(&server, "ann", &t).await.1, 401, "single use");
}

#[tokio::test]
async fn a_token_belongs_to_its_user() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[]), user("bob", &[])]).await;
    let t = token(
        &server.client(),
        token_form("ann", types::AccessLevel::Full),
    )
    .await;
    assert_eq!(exchange(&server, "bob", &t).await.1, 401);
}

#[tokio::test]
async fn an_older_token_works_for_the_grace_period_after_a_newer_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.token_grace = Duration::from_millis(400);
    let server = RefServer::start_with(config).await;
    server.add(vec![user("ann", &[])]).await;
    let client = server.client();
    let first = token(&client, token_form("ann", types::AccessLevel::Full)).await;
    let second = token(&client, token_form("ann", types::AccessLevel::Full)).await;
    let third = token(&client, token_form("ann", types::AccessLevel::Full)).await;
    assert_eq!(
        exchange(&server, "ann", &second).await.1,
        204,
        "within the grace period"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        exchange(&server, "ann", &first).await.1,
        401,
        "superseded and past the grace period"
    );
    assert_eq!(
        exchange(&server, "ann", &third).await.1,
        204,
        "the newest token still works"
    );
    server.stop().await;
}

#[tokio::test]
async fn report_book_view_sessions_read_only_their_object() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let client = server.client();
    let missing_id = client
        .session_auth_token()
        .body(token_form("ann", types::AccessLevel::ReportBookView))
        .send()
        .await;
    assert_eq!(failure(missing_id).0, 400);
    let t = token(
        &client,
        token_form("ann", types::AccessLevel::ReportBookView).id(Some("lb-1".to_string())),
    )
    .await;
    let (ann, status) = exchange(&server, "ann", &t).await;
    assert_eq!(status, 204);
    assert_eq!(failure(ann.user_list().send().await), (403, 10003));
    // Unknown objects are 404 whatever the session; reading other objects of the demo is
    // refused (see analytics::a_report_book_view_session_reads_its_liveboard_only).
    assert_eq!(failure(ann.pinboard_data().id("lb-1").send().await).0, 404);
}

#[tokio::test]
async fn autocreate_makes_the_user_and_its_groups() {
    let server = RefServer::start().await;
    let client = server.client();
    let unknown = client
        .session_auth_token()
        .body(token_form("newbie", types::AccessLevel::Full))
        .send()
        .await;
    assert!(message(unknown).contains("does not exist"));
    let t = token(
        &client,
        token_form("newbie", types::AccessLevel::Full)
            .autocreate(true)
            .groups(Some(tspot_client::lists::to_param(["Embedded"])))
            .email(Some("newbie@example.com".to_string()))
            .display_name(Some("New Bie".to_string())),
    )
    .await;
    assert_eq!(exchange(&server, "newbie", &t).await.1, 204);
    let admin = server.admin().await;
    assert!(names(&admin).await.contains(&"Embedded".to_string()));
    let listed = admin.user_list().send().await.unwrap().into_inner();
    let newbie = listed.iter().find(|p| p.name == "newbie").unwrap();
    assert_eq!(newbie.group_names, ["All", "Embedded"]);
    assert_eq!(newbie.display_name.as_deref(), Some("New Bie"));
}

#[tokio::test]
async fn a_wrong_secret_is_401_and_a_disabled_server_answers_500() {
    let server = RefServer::start().await;
    let wrong = server
        .client()
        .session_auth_token()
        .body(token_form("tsadmin", types::AccessLevel::Full).secret_key("guess"))
        .send()
        .await;
    assert_eq!(failure(wrong), (401, 10003));

    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.trusted_auth_secret = None;
    let disabled = RefServer::start_with(config).await;
    let refused = disabled
        .client()
        .session_auth_token()
        .body(token_form("tsadmin", types::AccessLevel::Full))
        .send()
        .await;
    assert!(message(refused).contains("not enabled"));
    disabled.stop().await;
}

#[tokio::test]
async fn without_no_url_redirection_the_exchange_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = super::config(dir.path());
    config.redirect_hosts = vec!["app.example.com".into()];
    let server = RefServer::start_with(config).await;
    server.add(vec![user("ann", &[])]).await;
    let t = token(
        &server.client(),
        token_form("ann", types::AccessLevel::Full),
    )
    .await;
    let exchange = |redirect: &'static str| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(server.endpoint("session/login/token"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&[
                ("username", "ann"),
                ("auth_token", t.as_str()),
                ("redirect_url", redirect),
            ])
            .send()
    };
    // Another host is an open redirect: refused before the token is spent.
    for foreign in ["https://evil.example/x", "//evil.example/x"] {
        let refused = exchange(foreign).await.unwrap();
        assert_eq!(refused.status(), 400, "{foreign}");
        assert!(refused.headers().get("location").is_none());
    }
    let response = exchange("https://app.example.com/x").await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "https://app.example.com/x");
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("JSESSIONID=")
    );
}

/// `x-tspot-blank-is-absent`: the Python library always sends `redirect_url`; sent empty, it is
/// not sent, and the default `/` applies. Empty optional fields of the token request are absent
/// too: an empty `id` does not satisfy `REPORT_BOOK_VIEW`.
#[tokio::test]
async fn blank_fields_count_as_not_sent() {
    let server = RefServer::start().await;
    server.add(vec![user("ann", &[])]).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let ask = |fields: Vec<(&'static str, &'static str)>| {
        let mut form = vec![("secret_key", SECRET), ("username", "ann")];
        form.extend(fields);
        http.post(server.endpoint("session/auth/token"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&form)
            .send()
    };
    let refused = ask(vec![("access_level", "REPORT_BOOK_VIEW"), ("id", " ")])
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let nameless = http
        .post(server.endpoint("session/auth/token"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("secret_key", SECRET),
            ("username", " "),
            ("access_level", "FULL"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(nameless.status(), 400);
    let body = crate::harness::error_json(nameless).await;
    assert_eq!(
        crate::harness::debug_message(&body),
        "Missing required parameter 'username'"
    );
    let t = ask(vec![("access_level", "FULL"), ("id", ""), ("email", "")])
        .await
        .unwrap();
    assert_eq!(t.status(), 200);
    let t = t.text().await.unwrap();
    let response = http
        .post(server.endpoint("session/login/token"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("username", "ann"),
            ("auth_token", t.as_str()),
            ("redirect_url", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/");
}
