//! The `tspot` client commands, as a person or a script runs them, against `tspot serve` (the
//! built binary, on a free port, with a small demo): sign-in and profiles, users and groups,
//! objects, search, Liveboard data and PDF, TML round trips, output formats, and the one-line
//! errors with their exit statuses.
#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::cli::*;
use common::{BIN, mode, run_command};
use serde_json::Value;

#[test]
fn sign_in_manage_users_and_groups_and_sign_out() {
    let setup = Setup::start(&["--trusted-auth-secret", SECRET]);

    // Nothing works before signing in.
    let line = setup.tspot(&["users", "list"]).fails(3);
    assert_eq!(
        line,
        "tspot: error: not signed in (profile 'default'); sign in with `tspot login`"
    );
    let line = setup.login("default", "tsadmin", "wrong").fails(3);
    assert_eq!(
        line,
        "tspot: error: Invalid username or password (error 10003, HTTP 401)"
    );

    // Signing in keeps the session (and no password) in a private file.
    let run = setup.login("default", "tsadmin", ADMIN_PASSWORD).ok();
    assert_eq!(
        run.stdout,
        format!(
            "Signed in to {} as tsadmin (profile 'default').\n",
            setup.server.base
        )
    );
    let profile = setup.config_dir().join("profiles/default.json");
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(stored["url"], setup.server.base.as_str());
    assert_eq!(stored["username"], "tsadmin");
    assert!(stored["jsessionid"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(
        !std::fs::read_to_string(&profile)
            .unwrap()
            .contains(ADMIN_PASSWORD)
    );
    assert_eq!(mode(&profile), 0o600);
    assert_eq!(mode(profile.parent().unwrap()), 0o700);

    // Synchronise users from a file: a dry run, then for real.
    let principals = setup
        .tspot(&["users", "list", "--output", "json"])
        .ok()
        .json();
    let mut principals = principals.as_array().expect("a list").clone();
    assert!(principals.iter().any(|p| p["name"] == "tsadmin"));
    principals.push(serde_json::json!({
        "name": "alice", "displayName": "Alice Analyst", "principalTypeEnum": "LOCAL_USER",
        "groupNames": ["Analysts"], "mail": "alice@example.com", "password": "Alice-Passw0rd-1"
    }));
    principals.push(serde_json::json!({
        "name": "Analysts", "displayName": "Analysts", "principalTypeEnum": "LOCAL_GROUP",
        "groupNames": []
    }));
    let file = setup.path("principals.json");
    std::fs::write(&file, serde_json::to_string_pretty(&principals).unwrap()).unwrap();
    let file = file.to_str().unwrap();
    let dry = setup.tspot(&["users", "sync", file]).ok();
    assert!(
        dry.stderr.contains("Dry run: nothing was changed"),
        "{dry:#?}"
    );
    insta::assert_snapshot!("users_sync_dry_run", dry.stdout);
    let applied = setup.tspot(&["users", "sync", file, "--apply"]).ok();
    assert_eq!(applied.stdout, dry.stdout);
    assert!(applied.stderr.is_empty(), "{applied:#?}");
    let again = setup
        .tspot(&["users", "sync", file, "--apply", "--output", "json"])
        .ok()
        .json();
    assert_eq!(again["applied"], true);
    assert_eq!(again["usersAdded"], serde_json::json!([]));

    let list = setup.tspot(&["users", "list"]).ok();
    insta::assert_snapshot!("users_list", list.stdout);
    let mut json = setup
        .tspot(&["users", "list", "--output", "json"])
        .ok()
        .json();
    redact_json_times(&mut json);
    insta::assert_snapshot!(
        "users_list_json",
        serde_json::to_string_pretty(&json).unwrap()
    );
    let csv = setup.tspot(&["users", "list", "--output", "csv"]).ok();
    insta::assert_snapshot!("users_list_csv", csv.stdout);

    // Privileges.
    let run = setup
        .tspot(&["groups", "grant", "datadownloading", "Analysts"])
        .ok();
    assert_eq!(run.stdout, "Granted DATADOWNLOADING to Analysts.\n");
    let run = setup
        .tspot(&[
            "groups",
            "revoke",
            "DATADOWNLOADING",
            "Analysts",
            "--output",
            "json",
        ])
        .ok();
    assert_eq!(
        run.json(),
        serde_json::json!({"action": "revoke", "privilege": "DATADOWNLOADING", "groups": ["Analysts"]})
    );
    let line = setup
        .tspot(&["groups", "grant", "DEVELOPER", "Nobody"])
        .fails(6);
    assert!(
        line.contains("Nobody") && line.ends_with(", HTTP 400)"),
        "{line}"
    );
    setup
        .tspot(&["groups", "grant", "NO_SUCH_PRIVILEGE", "Analysts"])
        .fails(2);

    // Passwords: a wrong current password is the server's 400; then alice signs in with the new
    // one, in a profile of her own, and may not administer (403).
    let line = setup
        .tspot(&[
            "users",
            "passwd",
            "alice",
            "--current",
            "wrong",
            "--new",
            "Alice-Passw0rd-2",
        ])
        .fails(6);
    assert_eq!(
        line,
        "tspot: error: The current password (of the signed-in user) is incorrect (error 10002, HTTP 400)"
    );
    let run = setup
        .tspot(&[
            "users",
            "passwd",
            "alice",
            "--current",
            ADMIN_PASSWORD,
            "--new",
            "Alice-Passw0rd-2",
        ])
        .ok();
    assert_eq!(run.stdout, "Changed the password of alice.\n");
    // Without a terminal a missing password is a usage error, not a prompt.
    setup.tspot(&["users", "passwd", "alice"]).fails(2);
    setup.login("alice", "alice", "Alice-Passw0rd-1").fails(3);
    setup.login("alice", "alice", "Alice-Passw0rd-2").ok();
    let line = setup
        .tspot(&[
            "--profile",
            "alice",
            "groups",
            "grant",
            "DEVELOPER",
            "Analysts",
        ])
        .fails(4);
    assert!(line.contains("ADMINISTRATION"), "{line}");

    // Ownership.
    let run = setup
        .tspot(&[
            "users",
            "transfer",
            "tsadmin",
            "alice",
            "--object",
            "Sales Overview",
        ])
        .ok();
    assert_eq!(run.stdout, "alice now owns 1 object of tsadmin.\n");
    let run = setup.tspot(&["users", "transfer", "alice", "tsadmin"]).ok();
    assert_eq!(run.stdout, "tsadmin now owns every object alice owned.\n");

    // Trusted authentication: a token for alice with the secret, none without it.
    let run = setup
        .tspot(&["token", "--user", "alice", "--secret", SECRET])
        .ok();
    let token = run.stdout.trim();
    assert!(token.len() >= 16 && !token.contains(' '), "{run:#?}");
    let line = setup
        .tspot(&["token", "--user", "alice", "--secret", "wrong"])
        .fails(3);
    assert_eq!(
        line,
        "tspot: error: Invalid secret key (error 10003, HTTP 401)"
    );
    setup
        .tspot(&[
            "token",
            "--user",
            "alice",
            "--secret",
            SECRET,
            "--access-level",
            "REPORT_BOOK_VIEW",
        ])
        .fails(2);

    // Signing out ends the session; the next command is not signed in (3).
    let run = setup.tspot(&["logout"]).ok();
    assert_eq!(
        run.stdout,
        format!("Signed out of {} (profile 'default').\n", setup.server.base)
    );
    // The profile keeps its server and user for the next sign-in, not the session.
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(stored["url"], setup.server.base.as_str());
    assert_eq!(stored["username"], "tsadmin");
    assert_eq!(stored["jsessionid"], "");
    let line = setup.tspot(&["users", "list"]).fails(3);
    assert!(line.contains("not signed in"), "{line}");
    let run = setup.tspot(&["logout"]).ok();
    assert_eq!(run.stdout, "Not signed in (profile 'default').\n");
    // alice's profile is untouched.
    setup.tspot(&["--profile", "alice", "users", "list"]).ok();

    // A session the server has ended: 401 from the server, with advice.
    let saved = std::fs::read(setup.config_dir().join("profiles/alice.json")).unwrap();
    setup.tspot(&["--profile", "alice", "logout"]).ok();
    std::fs::write(setup.config_dir().join("profiles/alice.json"), saved).unwrap();
    let line = setup
        .tspot(&["--profile", "alice", "users", "list"])
        .fails(3);
    assert!(
        line.ends_with("HTTP 401); run `tspot login --profile alice`"),
        "{line}"
    );
}

#[test]
fn the_default_configuration_directory_follows_xdg() {
    let setup = Setup::start(&[]);
    let xdg = setup.path("xdg");
    let mut command = Command::new(BIN);
    command
        .args(["login"])
        .env_clear()
        .env("HOME", setup.path("home"))
        .env("XDG_CONFIG_HOME", &xdg)
        .env("TSPOT_URL", format!("{}/callosum/v1/", setup.server.base))
        .env("TSPOT_USERNAME", "tsadmin")
        .env("TSPOT_PASSWORD", ADMIN_PASSWORD);
    let output = run_command(command, Duration::from_secs(60));
    assert!(output.status.success(), "{output:?}");
    let profile = xdg.join("tspot/profiles/default.json");
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    // The URL is kept without the API path.
    assert_eq!(stored["url"], setup.server.base.as_str());
    assert_eq!(mode(&profile), 0o600);
}

#[test]
fn objects_search_liveboards_and_tml() {
    let setup = Setup::start(&[]);
    setup.login("default", "tsadmin", ADMIN_PASSWORD).ok();

    // Objects.
    let run = setup
        .tspot(&[
            "objects",
            "list",
            "--type",
            "LOGICAL_TABLE",
            "--subtype",
            "WORKSHEET",
        ])
        .ok();
    insta::assert_snapshot!("objects_list_worksheets", redact_times(&run.stdout));
    let run = setup
        .tspot(&[
            "objects",
            "list",
            "--type",
            "logical_table",
            "--sort",
            "NAME",
            "--limit",
            "2",
        ])
        .ok();
    assert_eq!(run.stdout.lines().count(), 4, "{run:#?}");
    let run = setup
        .tspot(&["objects", "list", "--type", "LIVEBOARD", "--output", "json"])
        .ok();
    let headers = run.json();
    assert_eq!(headers[0]["id"], LIVEBOARD);
    assert_eq!(headers[0]["name"], "Sales Overview");

    // Search: the demo's quantities by region are the same for every run of 2000 rows.
    let query = "[Region] [Quantity]";
    let run = setup
        .tspot(&["search", query, "--source", "Retail Sales"])
        .ok();
    insta::assert_snapshot!("search_table", run.stdout);
    assert!(run.stderr.is_empty(), "{run:#?}");
    let run = setup
        .tspot(&[
            "search",
            query,
            "--source",
            "retail sales",
            "--output",
            "json",
        ])
        .ok();
    insta::assert_snapshot!("search_json", run.stdout);
    let run = setup
        .tspot(&["search", query, "--source", WORKSHEET, "--output", "csv"])
        .ok();
    insta::assert_snapshot!("search_csv", run.stdout);
    let run = setup
        .tspot(&["search", query, "--source", "Retail Sales", "--limit", "2"])
        .ok();
    assert_eq!(run.stdout.lines().count(), 4, "{run:#?}");
    assert_eq!(
        run.stderr,
        "Rows 1 to 2 of 4; --limit and --offset page through the rest.\n"
    );
    // Sales depend on dates relative to today: only the shape is fixed.
    let run = setup
        .tspot(&[
            "search",
            "[Sales] [Region]",
            "--source",
            "Retail Sales",
            "--output",
            "json",
        ])
        .ok();
    let result = run.json();
    assert_eq!(
        result["columnNames"],
        serde_json::json!(["Total Sales", "Region"])
    );
    assert_eq!(result["data"].as_array().unwrap().len(), 4);
    // A monthly bucket: the API answers epoch seconds under `Month(Order Date)`; the table shows
    // the months as ThoughtSpot does (`Nov 2026`), CSV as ISO dates, JSON as the API sent them.
    let monthly = [
        "search",
        "[Order Date].monthly [Sales]",
        "--source",
        "Retail Sales",
    ];
    let run = setup.tspot(&monthly).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("Month(Order Date)"), "{run:#?}");
    let decimals: Vec<usize> = lines[2..]
        .iter()
        .map(|line| {
            let (month, year) = (&line[..3], &line[4..8]);
            assert!(
                month.chars().all(|c| c.is_ascii_alphabetic()) && year.parse::<u32>().is_ok(),
                "{line}"
            );
            let sales = line.split_whitespace().last().unwrap();
            let value: f64 = sales.replace(',', "").parse().unwrap();
            assert_eq!(value >= 1000.0, sales.contains(','), "separators: {line}");
            sales
                .split_once('.')
                .map_or(0, |(_, fraction)| fraction.len())
        })
        .collect();
    assert!(
        decimals.windows(2).all(|pair| pair[0] == pair[1]),
        "one decimals choice for the column: {run:#?}"
    );
    let run = setup
        .tspot(&[&monthly[..], &["--output", "csv"]].concat())
        .ok();
    let first = run.stdout.lines().nth(1).unwrap();
    let date = first.split(',').next().unwrap();
    assert!(
        date.len() == 10 && date.ends_with("-01") && date.as_bytes()[4] == b'-',
        "{first}"
    );

    // Search errors: the server's message and the status's class.
    let run = setup.tspot(&["search", "[Region] [Quantity", "--source", "Retail Sales"]);
    let line = run.fails(6);
    insta::assert_snapshot!("search_bad_query_error", line);
    let line = setup
        .tspot(&["search", query, "--source", "No Such Worksheet"])
        .fails(5);
    assert_eq!(
        line,
        "tspot: error: no data source (worksheet, view or table) is named 'No Such Worksheet'"
    );

    // A Liveboard's visualizations and data, by name.
    let run = setup.tspot(&["viz", "list", "Sales Overview"]).ok();
    insta::assert_snapshot!("viz_list", redact_ids(&run.stdout));
    let run = setup
        .tspot(&[
            "pinboard",
            "data",
            "Sales Overview",
            "--viz",
            "Sales by Region",
        ])
        .ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "Sales by Region (4 of 4 rows)");
    assert_eq!(lines.len(), 7, "{run:#?}");
    let run = setup
        .tspot(&["liveboard", "data", LIVEBOARD, "--output", "json"])
        .ok();
    let vizzes = run.json();
    let names: Vec<&str> = vizzes
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Total Sales",
            "Sales by Region",
            "Monthly Sales",
            "Sales by Category",
            "Store Performance",
            "Region"
        ]
    );
    let store = vizzes
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "Store Performance")
        .unwrap();
    assert_eq!(store["columnNames"][0], "Store Name");
    let run = setup
        .tspot(&[
            "pinboard",
            "data",
            "Sales Overview",
            "--viz",
            "Sales by Region",
            "--output",
            "csv",
        ])
        .ok();
    assert_eq!(run.stdout.lines().next(), Some("Total Sales,Region"));
    assert_eq!(run.stdout.lines().count(), 5);
    let line = setup
        .tspot(&["pinboard", "data", "Sales Overview", "--viz", "Nope"])
        .fails(5);
    assert!(line.contains("has no visualization 'Nope'"), "{line}");
    setup
        .tspot(&["pinboard", "data", "No Such Liveboard"])
        .fails(5);

    // PDF.
    let pdf = setup.path("overview.pdf");
    let run = setup
        .tspot(&[
            "pinboard",
            "pdf",
            "Sales Overview",
            "-o",
            pdf.to_str().unwrap(),
            "--footer",
            "Demo",
            "--orientation",
            "portrait",
            "--no-logo",
        ])
        .ok();
    assert!(run.stdout.starts_with("Wrote "), "{run:#?}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let run = setup
        .tspot(&[
            "pinboard",
            "pdf",
            LIVEBOARD,
            "-o",
            "viz.pdf",
            "--viz",
            "Sales by Region",
            "--truncate-tables",
            "--no-cover",
            "--output",
            "json",
        ])
        .ok();
    assert_eq!(run.json()["file"], "viz.pdf");
    assert!(
        std::fs::read(setup.path("viz.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    setup
        .tspot(&[
            "pinboard",
            "pdf",
            LIVEBOARD,
            "-o",
            "x.pdf",
            "--viz",
            "Sales by Region",
            "--layout",
            "pinboard",
        ])
        .fails(2);

    // TML: export the Liveboard with what it uses, then import the files back.
    let run = setup
        .tspot(&["tml", "export", LIVEBOARD, "--associated", "-o", "exported"])
        .ok();
    insta::assert_snapshot!("tml_export", run.stdout);
    let mut files: Vec<String> = std::fs::read_dir(setup.path("exported"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "Retail Sales.worksheet.tml",
            "Sales Overview.liveboard.tml",
            "dim_product.table.tml",
            "dim_store.table.tml",
            "fact_sales.table.tml",
        ]
    );
    let liveboard =
        std::fs::read_to_string(setup.path("exported/Sales Overview.liveboard.tml")).unwrap();
    assert!(
        liveboard.starts_with(&format!("guid: {LIVEBOARD}")),
        "{liveboard}"
    );
    let run = setup.tspot(&["tml", "import", "exported"]).ok();
    insta::assert_snapshot!("tml_import", run.stdout);
    let run = setup
        .tspot(&[
            "tml",
            "import",
            "exported/Sales Overview.liveboard.tml",
            "--policy",
            "validate-only",
            "--output",
            "json",
        ])
        .ok();
    assert_eq!(run.json()[0]["status"]["status_code"], "OK");
    assert_eq!(run.stderr, "Validated only: nothing was imported.\n");
    let run = setup
        .tspot(&[
            "tml", "export", WORKSHEET, "--format", "json", "-o", "as-json",
        ])
        .ok();
    assert!(
        run.stdout.contains("as-json/Retail Sales.worksheet.tml"),
        "{run:#?}"
    );
    let text = std::fs::read_to_string(setup.path("as-json/Retail Sales.worksheet.tml")).unwrap();
    let document: Value = serde_json::from_str(&text).expect("JSON TML");
    assert_eq!(document["guid"], WORKSHEET);

    // A document that fails: its line says why, and the exit status is 1.
    std::fs::write(setup.path("broken.tml"), "guid: 0\nnothing: here\n").unwrap();
    let run = setup.tspot(&[
        "tml",
        "import",
        "broken.tml",
        "exported/dim_store.table.tml",
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{run:#?}");
    assert!(
        lines[2].starts_with("ERROR") && lines[2].contains("broken.tml"),
        "{run:#?}"
    );
    assert!(lines[2].contains("Invalid TML"), "{run:#?}");
    assert!(lines[3].starts_with("OK"), "{run:#?}");
    assert_eq!(
        run.stderr,
        "tspot: error: 1 of 2 objects were not imported\n"
    );
    let line = setup
        .tspot(&["tml", "export", "6a0d3c1e-5b7f-4c2a-9e41-000000000999"])
        .fails(5);
    assert!(line.ends_with(", HTTP 404)"), "{line}");
}

#[test]
fn problems_before_any_server_are_one_line_with_their_status() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_clear()
            .env("HOME", dir.path())
            .env("TSPOT_CONFIG_DIR", dir.path().join("config"))
            .envs(env.iter().copied());
        let output = run_command(command, Duration::from_secs(60));
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code().unwrap(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    };
    // Nobody listens on a port that was just free.
    let closed = format!("http://127.0.0.1:{}", common::free_port());
    let line = run(
        &["login", "--url", &closed, "-u", "tsadmin"],
        &[("TSPOT_PASSWORD", "x")],
    )
    .fails(8);
    assert!(
        line.starts_with(&format!("tspot: error: cannot connect to {closed}")),
        "{line}"
    );
    let line = run(
        &["login", "--url", "127.0.0.1:8088", "-u", "x"],
        &[("TSPOT_PASSWORD", "x")],
    )
    .fails(2);
    assert!(line.contains("https://"), "{line}");
    run(&["login", "-u", "x"], &[("TSPOT_PASSWORD", "x")]).fails(2);
    let line = run(&["login", "--url", &closed, "-u", "x"], &[]).fails(2);
    assert!(line.contains("TSPOT_PASSWORD"), "{line}");
    run(&["search", "[x]", "--source", "y"], &[]).fails(3);
    let bad_profile = run(&["--profile", "../etc", "users", "list"], &[]);
    assert_eq!(bad_profile.code, 2, "{bad_profile:#?}");
    let bad_output = run(&["users", "list", "--output", "xml"], &[]);
    assert_eq!(bad_output.code, 2, "{bad_output:#?}");
    let token = run(&["token", "--user", "u", "--secret", "s"], &[]).fails(2);
    assert!(token.contains("--url"), "{token}");
}
