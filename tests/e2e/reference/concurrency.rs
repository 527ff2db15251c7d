use tspot_client::prelude::*;

use super::{ADMIN_PASSWORD, RefServer, names, user};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_logins_and_syncs_lose_nothing() {
    let server = RefServer::start().await;
    let admin = server.admin().await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let url = server.url.clone();
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            let client = tspot_client::Client::for_server(&url).unwrap();
            client.login("tsadmin", ADMIN_PASSWORD).await.unwrap();
            let sync = tspot_client::UserSync {
                principals: vec![user(&format!("user{i:02}"), &[])],
                apply_changes: true,
                remove_deleted: false,
                password: None,
            };
            let result = admin.user_sync(&sync).await.unwrap().into_inner();
            assert_eq!(result.users_added, [format!("user{i:02}")]);
            client.user_list().send().await.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let names = names(&admin).await;
    for i in 0..50 {
        assert!(
            names.contains(&format!("user{i:02}")),
            "user{i:02} was lost"
        );
    }
    assert_eq!(names.len(), 53);
}
