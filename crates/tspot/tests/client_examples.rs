//! The examples of the `tspot-client` documentation (`crates/tspot-client/snippets/`), run
//! against `tspot serve` and its demo: what a new user copies must work.
#![cfg(unix)]

mod common;

#[path = "../../tspot-client/snippets"]
mod snippets {
    pub mod login;
    pub mod pinboard_data;
    pub mod search;
    pub mod tml;
    pub mod user_sync;
}

use common::Server;
use common::cli::ADMIN_PASSWORD;
use tspot_client::Cell;
use tspot_client::prelude::*;

#[test]
fn the_documented_examples_work_against_tspot_serve() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("server.log"),
        &["--demo-rows", "2000", "--admin-password", ADMIN_PASSWORD],
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Signing in, and the error a wrong password gets.
        let error = snippets::login::sign_in(&server.base, "tsadmin", "wrong")
            .await
            .expect_err("a wrong password is refused");
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.code(), Some(10003));
        assert!(error.incident_id().is_some());
        assert_eq!(
            error.to_string(),
            "Invalid username or password (error 10003, HTTP 401)"
        );
        let client = snippets::login::sign_in(&server.base, "tsadmin", ADMIN_PASSWORD)
            .await
            .unwrap();

        // Search: the four regions, by name of column.
        let totals = snippets::search::sales_by_region(&client, "Retail Sales")
            .await
            .unwrap();
        let mut regions: Vec<&str> = totals.iter().map(|(region, _)| region.as_str()).collect();
        regions.sort();
        assert_eq!(regions, ["east", "midwest", "south", "west"]);
        assert!(totals.windows(2).all(|pair| pair[0].1 >= pair[1].1));

        // A Liveboard's data with a runtime filter: the region visualization shows only the west.
        let vizzes = snippets::pinboard_data::west_only(&client, "Sales Overview")
            .await
            .unwrap();
        let (_, by_region) = vizzes
            .iter()
            .find(|(name, _)| name == "Sales by Region")
            .expect("the demo's region chart");
        assert_eq!(by_region.len(), 1);
        let row = by_region.iter().next().unwrap();
        assert_eq!(row.get("Region"), Some(&Cell::Text("west".into())));

        // TML: the Liveboard and what it uses, exported and validated.
        let statuses = snippets::tml::export_and_validate(&client, "Sales Overview")
            .await
            .unwrap();
        assert_eq!(statuses.len(), 5, "{statuses:?}");
        assert!(statuses.iter().all(|s| s == "OK"), "{statuses:?}");

        // User sync: a dry run adds one user and changes nothing.
        let preview = snippets::user_sync::preview_adding(&client, "newcomer", "Newcomer-Passw0rd-1")
            .await
            .unwrap();
        assert_eq!(preview.users_added, ["newcomer"]);
        let names: Vec<String> = tspot_client::call(client.user_list().send())
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert!(!names.contains(&"newcomer".to_string()), "a dry run: {names:?}");
        let error = snippets::search::sales_by_region(&client, "Retail Sale")
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "no data source (worksheet, view or table) is named 'Retail Sale'; did you mean 'Retail Sales'?"
        );
    });
}
