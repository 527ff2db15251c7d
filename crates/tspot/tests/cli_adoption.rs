//! The `tspot` client features a new user reaches for first, against `tspot serve`: who am I
//! (`status`), several profiles, passwords from standard input, timeouts, runtime filters, names
//! wherever an object is named, dates in ISO-8601, and one-line errors with a hint for the usual
//! mistakes (http/https, a host that is not ThoughtSpot, an expired session, a misspelt name).
#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::cli::*;
use serde_json::Value;

/// Replaces the port of `127.0.0.1:PORT` so that snapshots do not depend on it.
fn redact_port(text: &str, port: u16) -> String {
    text.replace(&format!("127.0.0.1:{port}"), "127.0.0.1:PORT")
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn status_profiles_and_signing_in_from_standard_input() {
    let setup = Setup::start(&[]);
    let port = port_of(&setup.server.base);

    // Never signed in: status says so, exit 3.
    let run = setup.tspot(&["status"]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert_eq!(run.stdout, "Profile 'default' has never signed in.\n");

    // The password from standard input, never on the command line.
    let url = setup.server.base.clone();
    let run = setup
        .tspot_with_stdin(
            &["login", "--url", &url, "-u", "tsadmin", "--password-stdin"],
            &[],
            &format!("{ADMIN_PASSWORD}\n"),
        )
        .ok();
    assert!(run.stdout.starts_with("Signed in to"), "{run:#?}");
    let line = setup
        .tspot_with_stdin(
            &[
                "login",
                "--profile",
                "empty",
                "--url",
                &url,
                "-u",
                "tsadmin",
                "--password-stdin",
            ],
            &[],
            "",
        )
        .fails(2);
    insta::assert_snapshot!("password_stdin_empty", line);

    // Status: who, where, and the session checked with the server.
    let run = setup.tspot(&["status"]).ok();
    let text = redact_port(&run.stdout, port);
    let text: String = text
        .lines()
        .map(|line| {
            if line.starts_with("Signed in:") {
                "Signed in:  [time]"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("status_valid", text);
    let json = setup.tspot(&["status", "--output", "json"]).ok().json();
    assert_eq!(json["session"], "valid");
    assert_eq!(json["username"], "tsadmin");

    // A second profile, then choosing which one commands use.
    setup.login("alice", "tsadmin", ADMIN_PASSWORD).ok();
    let run = setup.tspot(&["profiles"]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{run:#?}");
    assert!(lines[2].starts_with("   alice"), "{run:#?}");
    assert!(lines[3].starts_with("*  default"), "{run:#?}");
    assert!(!run.stdout.contains('─'), "plain ASCII in a pipe: {run:#?}");
    setup.tspot(&["profiles", "use", "alice"]).ok();
    let json = setup.tspot(&["status", "--output", "json"]).ok().json();
    assert_eq!(json["profile"], "alice");
    let listed = setup
        .tspot(&["profiles", "list", "--output", "json"])
        .ok()
        .json();
    let current: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["current"] == true)
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    assert_eq!(current, ["alice"]);
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["signed_in"] == true)
    );
    // --profile still wins.
    let json = setup
        .tspot(&["--profile", "default", "status", "--output", "json"])
        .ok()
        .json();
    assert_eq!(json["profile"], "default");
    let line = setup.tspot(&["profiles", "use", "alcie"]).fails(5);
    insta::assert_snapshot!("profiles_use_misspelt", line);

    // Logout keeps the server and user: status says signed out (3), login needs only the password.
    setup.tspot(&["logout"]).ok();
    let run = setup.tspot(&["status"]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(run.stdout.contains("Session:    signed out"), "{run:#?}");
    let line = run.stderr.trim_end().to_string();
    insta::assert_snapshot!("status_signed_out", line);
    let run = setup
        .tspot_with_stdin(&["login", "--password-stdin"], &[], ADMIN_PASSWORD)
        .ok();
    assert_eq!(
        redact_port(&run.stdout, port),
        "Signed in to http://127.0.0.1:PORT as tsadmin (profile 'alice').\n"
    );

    // A session the server ended: status finds out (3), and so does any command.
    let saved = std::fs::read(setup.config_dir().join("profiles/alice.json")).unwrap();
    setup.tspot(&["logout"]).ok();
    std::fs::write(setup.config_dir().join("profiles/alice.json"), saved).unwrap();
    let run = setup.tspot(&["status"]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(
        run.stdout
            .contains("Session:    expired or ended on the server"),
        "{run:#?}"
    );
    let line = setup
        .tspot(&["objects", "list", "--type", "LIVEBOARD"])
        .fails(3);
    insta::assert_snapshot!("session_expired", line);

    // Completions: profile names, and object names from the server with a live session.
    setup.login("alice", "tsadmin", ADMIN_PASSWORD).ok();
    let complete = |words: &[&str]| {
        let mut args = vec!["--", "tspot"];
        args.extend_from_slice(words);
        let run = setup.tspot_env(&args, &[("COMPLETE", "fish")]).ok();
        run.stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(complete(&["--profile", ""]), ["alice", "default"]);
    assert_eq!(complete(&["pinboard", "data", "sa"]), ["Sales Overview"]);
    assert_eq!(complete(&["search", "--source", "Ret"]), ["Retail Sales"]);
    // TML exports answers, Liveboards and data sources.
    assert_eq!(
        complete(&["tml", "export", "s"]),
        ["Sales Overview", "Sales by Region"]
    );
    assert_eq!(complete(&["tml", "export", "fa"]), ["fact_sales"]);
    // No session (TSPOT_PROFILE or the current profile decide): no object names, no error.
    let run = setup
        .tspot_env(
            &["--", "tspot", "pinboard", "data", "S"],
            &[("COMPLETE", "fish"), ("TSPOT_PROFILE", "nobody")],
        )
        .ok();
    assert_eq!(run.stdout, "", "{run:#?}");

    // Removing the current profile falls back to `default`.
    setup.tspot(&["profiles", "remove", "alice"]).ok();
    let json = setup.tspot(&["profiles", "--output", "json"]).ok().json();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default"]);
    assert_eq!(json[0]["current"], true);
}

#[test]
fn filters_names_dates_and_did_you_mean() {
    let setup = Setup::start(&[]);
    setup.login("default", "tsadmin", ADMIN_PASSWORD).ok();

    // Runtime filters on a Liveboard's data: only the west.
    let run = setup
        .tspot(&[
            "pinboard",
            "data",
            "Sales Overview",
            "--viz",
            "Sales by Region",
            "--filter",
            "Region EQ west",
            "--output",
            "csv",
        ])
        .ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{run:#?}");
    assert!(lines[1].ends_with(",west"), "{run:#?}");
    let run = setup
        .tspot(&[
            "pinboard",
            "data",
            "Sales Overview",
            "--viz",
            "Sales by Region",
            "--filter",
            "Region IN east, west",
            "--filter",
            "Region NE east",
            "--output",
            "json",
        ])
        .ok();
    assert_eq!(
        run.json()[0]["data"].as_array().unwrap().len(),
        1,
        "{run:#?}"
    );
    // A misspelt filter column: ThoughtSpot ignores it, tspot warns.
    let run = setup
        .tspot(&[
            "pinboard",
            "data",
            "Sales Overview",
            "--viz",
            "Sales by Region",
            "--filter",
            "Regoin EQ west",
        ])
        .ok();
    insta::assert_snapshot!("filter_column_misspelt", run.stderr);
    let line = setup
        .tspot(&[
            "pinboard",
            "data",
            "Sales Overview",
            "--filter",
            "Region LIKE west",
        ])
        .fails(2);
    assert!(line.contains("is not a runtime filter"), "{line}");
    // And on the PDF.
    let run = setup
        .tspot(&[
            "pinboard",
            "pdf",
            "Sales Overview",
            "-o",
            "west.pdf",
            "--filter",
            "Region EQ west",
        ])
        .ok();
    assert!(run.stdout.starts_with("Wrote west.pdf"), "{run:#?}");
    assert!(
        std::fs::read(setup.path("west.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );

    // Names wherever an object is named: TML export by name.
    let run = setup
        .tspot(&[
            "tml",
            "export",
            "Retail Sales",
            "Sales Overview",
            "-o",
            "by-name",
        ])
        .ok();
    assert!(
        run.stdout.contains("by-name/Retail Sales.worksheet.tml"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("by-name/Sales Overview.liveboard.tml"),
        "{run:#?}"
    );

    // Did you mean: objects and search columns.
    let line = setup
        .tspot(&["pinboard", "data", "Sales Overveiw"])
        .fails(5);
    insta::assert_snapshot!("liveboard_misspelt", line);
    let line = setup
        .tspot(&["search", "[Regoin] [Sales]", "--source", "Retail Sales"])
        .fails(6);
    insta::assert_snapshot!("search_column_misspelt", line);

    // Dates in ISO-8601: the column's type comes from the data source.
    let run = setup
        .tspot(&[
            "search",
            "[Order Date] [Quantity] min [Order Date]",
            "--source",
            "Retail Sales",
            "--limit",
            "3",
        ])
        .ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{run:#?}");
    for line in &lines[2..] {
        let cells: Vec<&str> = line.split_whitespace().collect();
        for date in [cells[0], cells[2]] {
            assert!(
                date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
                "{run:#?}"
            );
        }
    }

    // Several objects with one name: the command lists them and asks for a GUID.
    let exported = setup.path("by-name/Retail Sales.worksheet.tml");
    setup
        .tspot(&[
            "tml",
            "import",
            exported.to_str().unwrap(),
            "--force-create",
        ])
        .ok();
    let line = setup
        .tspot(&["search", "[Sales]", "--source", "Retail Sales"])
        .fails(6);
    assert!(line.contains("'Retail Sales' names 2 objects"), "{line}");
    assert!(line.contains(WORKSHEET), "{line}");
    assert!(line.ends_with("give the GUID instead"), "{line}");
    setup
        .tspot(&["search", "[Sales]", "--source", WORKSHEET])
        .ok();
}

/// A server on a free port that answers every request with `answer` (or, with `None`, accepts
/// and never answers); it serves until the test ends.
fn fake_server(answer: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            match answer {
                Some(answer) => {
                    let mut buffer = [0u8; 4096];
                    let _ = stream.read(&mut buffer);
                    let _ = stream.write_all(answer.as_bytes());
                }
                None => held.push(stream),
            }
        }
    });
    address
}

#[test]
fn set_up_mistakes_get_a_hint() {
    let setup = Setup::start(&[]);
    let port = port_of(&setup.server.base);

    // https:// to a plain-HTTP server.
    let https = format!("https://127.0.0.1:{port}");
    let line = setup
        .tspot(&["login", "--url", &https, "-u", "tsadmin", "--password", "x"])
        .fails(8);
    insta::assert_snapshot!("https_to_http", redact_port(&line, port));

    // A host that is not ThoughtSpot: a bare 501.
    let address = fake_server(Some(
        "HTTP/1.1 501 Not Implemented\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    ));
    let fake_port = port_of(&address);
    let line = setup
        .tspot(&[
            "login",
            "--url",
            &format!("http://{address}"),
            "-u",
            "x",
            "--password",
            "y",
        ])
        .fails(7);
    insta::assert_snapshot!("not_thoughtspot", redact_port(&line, fake_port));

    // --timeout: a server that never answers.
    let address = fake_server(None);
    let line = setup
        .tspot(&[
            "login",
            "--url",
            &format!("http://{address}"),
            "-u",
            "x",
            "--password",
            "y",
            "--timeout",
            "1s",
        ])
        .fails(8);
    assert!(line.contains("did not answer in time"), "{line}");
    let line = setup.tspot(&["status", "--timeout", "never"]).fails(2);
    assert!(line.contains("--timeout"), "{line}");
    let _: Option<Value> = None;
}

#[test]
fn verbose_shows_requests_and_never_a_secret() {
    let setup = Setup::start(&[]);
    let url = setup.server.base.clone();

    // -v: a line per request and per answer, on standard error; the output stays as it was.
    let run = setup
        .tspot(&[
            "-v",
            "login",
            "--url",
            &url,
            "-u",
            "tsadmin",
            "--password",
            ADMIN_PASSWORD,
        ])
        .ok();
    assert!(run.stdout.starts_with("Signed in to"), "{run:#?}");
    assert!(
        run.stderr
            .contains("> POST /callosum/v1/tspublic/v1/session/login (session_login)"),
        "{run:#?}"
    );
    assert!(run.stderr.contains("< 204 No Content in "), "{run:#?}");
    assert!(
        !run.stderr.contains("username="),
        "-v shows no bodies: {run:#?}"
    );

    // -vv: bodies and headers too, with the password and the session cookie redacted.
    let run = setup
        .tspot(&[
            "-vv",
            "login",
            "--url",
            &url,
            "-u",
            "tsadmin",
            "--password",
            ADMIN_PASSWORD,
        ])
        .ok();
    assert!(run.stderr.contains("username=tsadmin"), "{run:#?}");
    assert!(run.stderr.contains("password=%5Bredacted%5D"), "{run:#?}");
    assert!(run.stderr.contains("set-cookie: [redacted]"), "{run:#?}");
    assert!(!run.stderr.contains(ADMIN_PASSWORD), "{run:#?}");
    assert!(!run.stderr.contains("JSESSIONID="), "{run:#?}");

    // An answer read for -vv still reaches the command whole.
    let run = setup
        .tspot(&[
            "-vv",
            "--output",
            "json",
            "search",
            "[Sales] [Region]",
            "--source",
            "Retail Sales",
        ])
        .ok();
    assert_eq!(run.json()["rowCount"], 4, "{run:#?}");
    assert!(
        run.stderr
            .contains("\"columnNames\":[\"Total Sales\",\"Region\"]"),
        "{run:#?}"
    );
}
