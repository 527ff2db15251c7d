//! The reference server (`tspot-reference`) over real TCP, driven by the generated client and by
//! plain HTTP where the wire matters.

mod analytics;
mod authz;
mod concurrency;
mod group;
mod limits;
mod objects;
mod persistence;
mod session;
mod sync;
mod trusted;
mod user;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tspot_client::prelude::*;
use tspot_client::{UserSync, types};
use tspot_reference::{Config, Reference};

pub const ADMIN_PASSWORD: &str = "Adm1n-pass";
pub const SECRET: &str = "c2e6cb3a-7a61-4d8e-9f5a-0a6f0c3c1d11";

pub struct RefServer {
    pub url: String,
    /// The data directory (the demo database is `demo.sqlite3` in it).
    pub data_dir: std::path::PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

pub fn config(dir: &Path) -> Config {
    let mut config = Config::new(dir);
    config.admin_password = Some(ADMIN_PASSWORD.into());
    config.trusted_auth_secret = Some(SECRET.into());
    config
}

impl RefServer {
    /// A server on a fresh data directory with the default test configuration.
    pub async fn start() -> RefServer {
        let dir = tempfile::tempdir().unwrap();
        let mut server = RefServer::start_with(config(dir.path())).await;
        server._dir = Some(dir);
        server
    }

    /// A server with the demo (a small sales fact, for speed).
    pub async fn demo() -> RefServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.demo_rows = 3_000;
        let mut server = RefServer::start_with(config).await;
        server._dir = Some(dir);
        server
    }

    pub async fn start_with(config: Config) -> RefServer {
        let data_dir = config.data_dir.clone();
        let opened = Reference::open(config).await.unwrap();
        let reference = Arc::new(opened.reference);
        let app = tspot_server::app(reference.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = stop.await;
            })
            .await
            .unwrap();
            reference.close().await.unwrap();
        });
        RefServer {
            url,
            data_dir,
            shutdown: Some(shutdown),
            task: Some(task),
            _dir: None,
        }
    }

    /// Stops the server the way Ctrl-C does and waits until the store is closed.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .unwrap()
                .unwrap();
        }
    }

    pub fn endpoint(&self, endpoint: &str) -> String {
        format!("{}/callosum/v1/tspublic/v1/{endpoint}", self.url)
    }

    pub fn client(&self) -> tspot_client::Client {
        tspot_client::Client::for_server(&self.url).unwrap()
    }

    pub async fn signed_in(&self, user: &str, password: &str) -> tspot_client::Client {
        let client = self.client();
        client.login(user, password).await.unwrap();
        client
    }

    pub async fn admin(&self) -> tspot_client::Client {
        self.signed_in("tsadmin", ADMIN_PASSWORD).await
    }

    /// Creates local users (password `pw-<name>`) and groups through user/sync, without deleting.
    pub async fn add(&self, principals: Vec<types::Principal>) -> types::UserSyncResult {
        let sync = UserSync {
            apply_changes: true,
            remove_deleted: false,
            password: None,
            principals,
        };
        self.admin()
            .await
            .user_sync(&sync)
            .await
            .unwrap()
            .into_inner()
    }
}

/// The form of user/updatepassword.
pub fn password_form(
    name: &str,
    current: &str,
    new: &str,
) -> types::builder::UserUpdatePasswordForm {
    types::UserUpdatePasswordForm::builder()
        .name(name)
        .currentpassword(current)
        .password(new)
}

pub fn user(name: &str, groups: &[&str]) -> types::Principal {
    types::Principal {
        name: name.into(),
        display_name: Some(format!("User {name}")),
        description: None,
        created: None,
        modified: None,
        mail: Some(format!("{name}@example.com")),
        principal_type_enum: types::PrincipalType::LocalUser.into(),
        group_names: groups.iter().map(|g| g.to_string()).collect(),
        visibility: Some(types::Visibility::Default.into()),
        activate: None,
        password: Some(format!("pw-{name}")),
    }
}

pub fn group(name: &str, groups: &[&str]) -> types::Principal {
    types::Principal {
        principal_type_enum: types::PrincipalType::LocalGroup.into(),
        mail: None,
        password: None,
        display_name: Some(format!("Group {name}")),
        ..user(name, groups)
    }
}

/// The status and `code` of a failed call of the generated client.
pub fn failure<T>(result: Result<T, tspot_client::Error<types::ErrorResponse>>) -> (u16, i32) {
    match result {
        Err(tspot_client::Error::ErrorResponse(body)) => (body.status().as_u16(), body.code),
        other => panic!("expected a ThoughtSpot error body, got {}", describe(other)),
    }
}

fn describe<T>(result: Result<T, tspot_client::Error<types::ErrorResponse>>) -> String {
    match result {
        Ok(_) => "a success".into(),
        Err(error) => error.to_string(),
    }
}

/// The message inside a failed call's error body.
pub fn message<T>(result: Result<T, tspot_client::Error<types::ErrorResponse>>) -> String {
    match result {
        Err(tspot_client::Error::ErrorResponse(body)) => crate::harness::messages_of(&body.debug),
        other => panic!("expected a ThoughtSpot error body, got {}", describe(other)),
    }
}

pub async fn names(client: &tspot_client::Client) -> Vec<String> {
    let mut names: Vec<String> = client
        .user_list()
        .send()
        .await
        .unwrap()
        .into_inner()
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.sort();
    names
}
