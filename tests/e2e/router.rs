//! Every error path of the generated router: the ThoughtSpot error body, before the trait runs.

use crate::harness::{Server, error_json, raw};

#[tokio::test]
async fn post_without_x_requested_by_is_400() {
    let server = Server::start().await;
    let response = raw()
        .post(server.endpoint("session/login"))
        .form(&[("username", "tsadmin"), ("password", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    insta::assert_json_snapshot!("missing_requested_by", error_json(response).await);
    assert!(server.api.inputs("sessionLogin").is_empty());
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let server = Server::start().await;
    let response = raw()
        .get(server.endpoint("session/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    insta::assert_json_snapshot!("method_not_allowed", error_json(response).await);

    let response = raw()
        .post(server.endpoint("user/list"))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
}

#[tokio::test]
async fn unknown_path_is_404() {
    let server = Server::start().await;
    let response = raw()
        .get(server.endpoint("no/such/thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    insta::assert_json_snapshot!("unknown_path", error_json(response).await);
}

#[tokio::test]
async fn missing_required_field_is_400() {
    let server = Server::start().await;
    let response = raw()
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    insta::assert_json_snapshot!("missing_required_field", error_json(response).await);
}

#[tokio::test]
async fn malformed_boolean_and_integer_are_400() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("username", "tsadmin"),
            ("password", "admin"),
            ("rememberme", "perhaps"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    insta::assert_json_snapshot!("malformed_boolean", error_json(response).await);

    let response = http
        .get(server.endpoint("metadata/listobjectheaders?batchsize=ten"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    insta::assert_json_snapshot!("malformed_integer", error_json(response).await);
}

#[tokio::test]
async fn malformed_enum_is_400() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("searchdata?query_string=x&data_source_guid=d&formattype=XML"))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    insta::assert_json_snapshot!("malformed_enum", error_json(response).await);
}

#[tokio::test]
async fn json_body_is_415_but_an_empty_json_post_is_fine() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("session/logout"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("Content-Type", "application/json")
        .body(r#"{"a": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    insta::assert_json_snapshot!("json_body", error_json(response).await);

    // The docs' own curl example: Content-Type application/json and no body.
    let response = http
        .post(server.endpoint("session/logout"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn malformed_multipart_is_400() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("Content-Type", "multipart/form-data; boundary=XyZ")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"principals\"\r\n\r\n[]")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    insta::assert_json_snapshot!("malformed_multipart", error_json(response).await);
}

#[tokio::test]
async fn both_prefixes_serve_the_api() {
    let server = Server::start().await;
    for url in [
        format!("{}/tspublic/v1/session/login", server.url),
        server.endpoint("session/login"),
    ] {
        let response = raw()
            .post(url)
            .header("X-Requested-By", "ThoughtSpot")
            .form(&[("username", "tsadmin"), ("password", "admin")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }
}

#[tokio::test]
async fn query_string_wins_over_the_body_for_the_same_field() {
    let server = Server::start().await;
    let response = raw()
        .post(server.endpoint("session/login?username=tsadmin"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "someone-else"), ("password", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn form_fields_in_the_query_string_of_a_bodyless_post() {
    let server = Server::start().await;
    let response = raw()
        .post(server.endpoint("session/login?username=tsadmin&password=admin&rememberme=TRUE"))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        server
            .api
            .last_input("sessionLogin")
            .contains("rememberme: true")
    );
}
