//! Object-level authorization over the demo (spec/authorization.md): one table of every data and
//! metadata operation x caller x object, then one regression test per attack that was found.

use tspot_client::prelude::*;
use tspot_client::{ResponseValue, types};

use super::{RefServer, group, user};

const WORKSHEET: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000201";
const LIVEBOARD: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000401";
const STORE_TABLE: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000102";

/// The owner's objects (over shared demo sources), unshared.
const OWN_SHEET: &str = "a0000000-0000-4000-8000-000000000001";
const OWN_BOARD: &str = "a0000000-0000-4000-8000-000000000002";
/// The administrator's objects, unshared.
const PRIVATE_TABLE: &str = "b0000000-0000-4000-8000-000000000001";
const PRIVATE_SHEET: &str = "b0000000-0000-4000-8000-000000000002";
const PRIVATE_BOARD: &str = "b0000000-0000-4000-8000-000000000003";

const DEMO_FACT_TABLE_TML: &str =
    include_str!("../../../crates/tspot-reference/demo/fact_sales.table.tml");
const DEMO_LIVEBOARD_TML: &str =
    include_str!("../../../crates/tspot-reference/demo/sales_overview.liveboard.tml");

type Call<T> = Result<ResponseValue<T>, tspot_client::Error<types::ErrorResponse>>;

/// A table over the demo's `dim_store` (or any `db_table`) of the `tspot_demo` connection.
fn table_tml(guid: Option<&str>, name: &str, db_table: &str) -> String {
    format!(
        "{}table:\n  name: {name}\n  db: tspot_demo\n  schema: main\n  db_table: {db_table}\n  \
         connection:\n    name: tspot_demo\n  columns:\n  - name: Region\n    db_column_name: region\n    \
         properties:\n      column_type: ATTRIBUTE\n    db_column_properties:\n      data_type: VARCHAR\n",
        guid.map(|g| format!("guid: {g}\n")).unwrap_or_default()
    )
}

/// A worksheet with one column, `Region`, of the table `table` (by fqn).
fn sheet_tml(guid: Option<&str>, name: &str, table: &str) -> String {
    format!(
        "{}worksheet:\n  name: {name}\n  tables:\n  - name: stores\n    fqn: {table}\n  \
         worksheet_columns:\n  - name: Region\n    column_id: stores::Region\n    properties:\n      \
         column_type: ATTRIBUTE\n",
        guid.map(|g| format!("guid: {g}\n")).unwrap_or_default()
    )
}

/// An answer showing `[Region]` of `source`, referred to by fqn (when given) and name.
fn answer_tml(name: &str, source_name: &str, source: Option<&str>) -> String {
    format!(
        "answer:\n  name: {name}\n  tables:\n  - id: {source_name}\n    name: {source_name}\n{}  \
         search_query: \"[Region]\"\n",
        source
            .map(|s| format!("    fqn: {s}\n"))
            .unwrap_or_default()
    )
}

/// A Liveboard with one visualization per source, each showing `[Region]`.
fn board_tml(guid: Option<&str>, name: &str, sources: &[&str]) -> String {
    let mut tml = guid.map(|g| format!("guid: {g}\n")).unwrap_or_default();
    tml.push_str(&format!("liveboard:\n  name: {name}\n  visualizations:\n"));
    for (i, source) in sources.iter().enumerate() {
        tml.push_str(&format!(
            "  - id: Viz_{n}\n    answer:\n      name: Regions {n}\n      tables:\n      - id: source\n        \
             name: source\n        fqn: {source}\n      search_query: \"[Region]\"\n",
            n = i + 1
        ));
    }
    tml
}

async fn import_with(
    client: &tspot_client::Client,
    documents: &[&str],
    policy: types::TmlImportPolicy,
    skip_table_validation: bool,
) -> Call<types::TmlImportResult> {
    client
        .metadata_tml_import()
        .body(
            types::TmlImportForm::builder()
                .import_objects(tspot_client::lists::to_param(documents))
                .import_policy(policy)
                .skip_cdw_validation_for_tables(skip_table_validation),
        )
        .send()
        .await
}

/// Imports (PARTIAL) and returns each document's status.
async fn import(client: &tspot_client::Client, documents: &[&str]) -> Vec<types::TmlStatus> {
    import_with(client, documents, types::TmlImportPolicy::Partial, false)
        .await
        .unwrap()
        .into_inner()
        .object
        .into_iter()
        .map(|o| o.response.status)
        .collect()
}

fn assert_imported(statuses: &[types::TmlStatus]) {
    for status in statuses {
        assert_eq!(
            status.status_code,
            types::TmlStatusCode::Ok,
            "{:?}",
            status.error_message
        );
    }
}

/// The HTTP status of a call.
fn status<T>(call: Call<T>) -> String {
    match call {
        Ok(response) => response.status().as_u16().to_string(),
        Err(tspot_client::Error::ErrorResponse(body)) => body.status().as_u16().to_string(),
        Err(other) => panic!("no ThoughtSpot answer: {other}"),
    }
}

/// The status of the one entry of a TML import (`OK`, `WARNING`, `ERROR`), or the HTTP status.
fn entry(call: Call<types::TmlImportResult>) -> String {
    match call {
        Ok(response) => response.into_inner().object[0]
            .response
            .status
            .status_code
            .to_string(),
        other => status(other),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    SearchData,
    PinboardData,
    Pdf,
    TmlExport,
    VizHeaders,
    ObjectHeaders,
    /// metadata/tml/import (VALIDATE_ONLY) of the object's own TML: an update by GUID.
    ImportUpdate,
    /// metadata/tml/import (VALIDATE_ONLY) of a new answer that reads the object.
    ImportReading,
    /// metadata/tml/import (VALIDATE_ONLY) of a table: new (own), or an update by GUID.
    ImportTable,
    UserList,
    UserSync,
    TransferOwnership,
    AddPrivilege,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    /// Owned by the `owner` caller (unshared).
    Own,
    /// The demo's, shared with `All`.
    Shared,
    /// The administrator's, shared with nobody.
    Unshared,
    /// Not about an object.
    None,
}

use Obj::{None as Na, Own, Shared, Unshared};
use Op::*;

/// Callers, in column order.
const CALLERS: [&str; 6] = ["no session", "plain", "steward", "owner", "other", "admin"];

/// The expected outcome of every operation x object (rows) x caller (columns): an HTTP status,
/// a TML import entry's status, or whether listobjectheaders lists the object.
#[rustfmt::skip]
const MATRIX: &[(Op, Obj, [&str; 6])] = &[
    //                          no session plain     steward   owner     other     admin
    (SearchData,     Own,      ["401",    "403",    "403",    "200",    "403",    "200"]),
    (SearchData,     Shared,   ["401",    "200",    "200",    "200",    "200",    "200"]),
    (SearchData,     Unshared, ["401",    "403",    "403",    "403",    "403",    "200"]),
    (PinboardData,   Own,      ["401",    "403",    "403",    "200",    "403",    "200"]),
    (PinboardData,   Shared,   ["401",    "200",    "200",    "200",    "200",    "200"]),
    (PinboardData,   Unshared, ["401",    "403",    "403",    "403",    "403",    "200"]),
    (Pdf,            Own,      ["401",    "403",    "403",    "200",    "403",    "200"]),
    (Pdf,            Shared,   ["401",    "200",    "200",    "200",    "200",    "200"]),
    (Pdf,            Unshared, ["401",    "403",    "403",    "403",    "403",    "200"]),
    (TmlExport,      Own,      ["401",    "ERROR",  "ERROR",  "OK",     "ERROR",  "OK"]),
    (TmlExport,      Shared,   ["401",    "OK",     "OK",     "OK",     "OK",     "OK"]),
    (TmlExport,      Unshared, ["401",    "ERROR",  "ERROR",  "ERROR",  "ERROR",  "OK"]),
    (VizHeaders,     Own,      ["401",    "403",    "403",    "200",    "403",    "200"]),
    (VizHeaders,     Shared,   ["401",    "200",    "200",    "200",    "200",    "200"]),
    (VizHeaders,     Unshared, ["401",    "403",    "403",    "403",    "403",    "200"]),
    (ObjectHeaders,  Own,      ["401",    "hidden", "hidden", "listed", "hidden", "listed"]),
    (ObjectHeaders,  Shared,   ["401",    "listed", "listed", "listed", "listed", "listed"]),
    (ObjectHeaders,  Unshared, ["401",    "hidden", "hidden", "hidden", "hidden", "listed"]),
    (ImportUpdate,   Own,      ["401",    "ERROR",  "ERROR",  "OK",     "ERROR",  "WARNING"]),
    (ImportUpdate,   Shared,   ["401",    "ERROR",  "ERROR",  "ERROR",  "ERROR",  "OK"]),
    (ImportUpdate,   Unshared, ["401",    "ERROR",  "ERROR",  "ERROR",  "ERROR",  "OK"]),
    (ImportReading,  Own,      ["401",    "ERROR",  "ERROR",  "OK",     "ERROR",  "OK"]),
    (ImportReading,  Shared,   ["401",    "OK",     "OK",     "OK",     "OK",     "OK"]),
    (ImportReading,  Unshared, ["401",    "ERROR",  "ERROR",  "ERROR",  "ERROR",  "OK"]),
    (ImportTable,    Own,      ["401",    "ERROR",  "OK",     "ERROR",  "ERROR",  "OK"]),
    (ImportTable,    Shared,   ["401",    "ERROR",  "ERROR",  "ERROR",  "ERROR",  "OK"]),
    (ImportTable,    Unshared, ["401",    "ERROR",  "ERROR",  "ERROR",  "ERROR",  "OK"]),
    // user/list is open to every signed-in user (see spec/authorization.md).
    (UserList,       Na,       ["401",    "200",    "200",    "200",    "200",    "200"]),
    (UserSync,       Na,       ["401",    "403",    "403",    "403",    "403",    "200"]),
    (TransferOwnership, Na,    ["401",    "403",    "403",    "403",    "403",    "204"]),
    (AddPrivilege,   Na,       ["401",    "403",    "403",    "403",    "403",    "200"]),
];

fn sheet(obj: Obj) -> &'static str {
    match obj {
        Own => OWN_SHEET,
        Unshared => PRIVATE_SHEET,
        _ => WORKSHEET,
    }
}

fn board(obj: Obj) -> &'static str {
    match obj {
        Own => OWN_BOARD,
        Unshared => PRIVATE_BOARD,
        _ => LIVEBOARD,
    }
}

/// What one cell observes.
async fn observe(client: &tspot_client::Client, op: Op, obj: Obj) -> String {
    let validate = |documents: Vec<String>| async move {
        let documents: Vec<&str> = documents.iter().map(String::as_str).collect();
        entry(
            import_with(
                client,
                &documents,
                types::TmlImportPolicy::ValidateOnly,
                false,
            )
            .await,
        )
    };
    match op {
        SearchData => status(
            client
                .search_data()
                .query_string("[Region]")
                .data_source_guid(sheet(obj))
                .send()
                .await,
        ),
        PinboardData => status(client.pinboard_data().id(board(obj)).send().await),
        Pdf => status(
            client
                .export_pinboard_pdf()
                .id(board(obj))
                .include_cover_page(false)
                .send()
                .await,
        ),
        // An unreadable object is an ERROR entry inside the 200, as ThoughtSpot answers.
        TmlExport => match client
            .metadata_tml_export()
            .body(
                types::TmlExportForm::builder()
                    .export_ids(tspot_client::lists::to_param([board(obj)]))
                    .export_associated(true),
            )
            .send()
            .await
        {
            Ok(response) => response.into_inner().object[0]
                .info
                .status
                .status_code
                .to_string(),
            other => status(other),
        },
        VizHeaders => status(
            client
                .metadata_list_viz_headers()
                .id(board(obj))
                .send()
                .await,
        ),
        ObjectHeaders => match client
            .metadata_list_object_headers()
            .type_(types::MetadataType::PinboardAnswerBook)
            .send()
            .await
        {
            Ok(headers) if headers.iter().any(|h| h.id == board(obj)) => "listed".into(),
            Ok(_) => "hidden".into(),
            other => status(other),
        },
        ImportUpdate => {
            let tml = match obj {
                Own => board_tml(Some(OWN_BOARD), "Owner Board", &[WORKSHEET]),
                Unshared => board_tml(Some(PRIVATE_BOARD), "Private Board", &[WORKSHEET]),
                _ => DEMO_LIVEBOARD_TML.to_string(),
            };
            validate(vec![tml]).await
        }
        ImportReading => validate(vec![answer_tml("Reader", "sheet", Some(sheet(obj)))]).await,
        ImportTable => {
            let tml = match obj {
                Own => table_tml(None, "new_stores", "dim_store"),
                Unshared => table_tml(Some(PRIVATE_TABLE), "private_stores", "dim_store"),
                _ => DEMO_FACT_TABLE_TML.to_string(),
            };
            validate(vec![tml]).await
        }
        UserList => status(client.user_list().send().await),
        UserSync => status(
            client
                .user_sync(&tspot_client::UserSync {
                    principals: vec![],
                    apply_changes: false,
                    remove_deleted: false,
                    password: None,
                })
                .await,
        ),
        TransferOwnership => status(
            client
                .user_transfer_ownership()
                .from_user_name("other")
                .to_user_name("plain")
                .send()
                .await,
        ),
        AddPrivilege => status(
            client
                .group_add_privilege()
                .body(
                    types::GroupPrivilegeForm::builder()
                        .privilege(types::Privilege::Datadownloading)
                        .group_names(tspot_client::lists::to_param(["Stewards"])),
                )
                .send()
                .await,
        ),
    }
}

/// The demo, the callers of the matrix, and the owner's and the administrator's objects.
async fn world() -> (RefServer, Vec<tspot_client::Client>) {
    let server = RefServer::demo().await;
    server
        .add(vec![
            group("Stewards", &[]),
            user("plain", &[]),
            user("steward", &["Stewards"]),
            user("owner", &[]),
            user("other", &[]),
        ])
        .await;
    let admin = server.admin().await;
    admin
        .group_add_privilege()
        .body(
            types::GroupPrivilegeForm::builder()
                .privilege(types::Privilege::Datamanagement)
                .group_names(tspot_client::lists::to_param(["Stewards"])),
        )
        .send()
        .await
        .unwrap();
    let owner = server.signed_in("owner", "pw-owner").await;
    assert_imported(
        &import(
            &owner,
            &[
                &sheet_tml(Some(OWN_SHEET), "Owner Stores", STORE_TABLE),
                &board_tml(Some(OWN_BOARD), "Owner Board", &[WORKSHEET]),
            ],
        )
        .await,
    );
    assert_imported(
        &import(
            &admin,
            &[
                &table_tml(Some(PRIVATE_TABLE), "private_stores", "dim_store"),
                &sheet_tml(Some(PRIVATE_SHEET), "Private Stores", PRIVATE_TABLE),
                &board_tml(Some(PRIVATE_BOARD), "Private Board", &[WORKSHEET]),
            ],
        )
        .await,
    );
    let clients = vec![
        server.client(),
        server.signed_in("plain", "pw-plain").await,
        server.signed_in("steward", "pw-steward").await,
        owner,
        server.signed_in("other", "pw-other").await,
        admin,
    ];
    (server, clients)
}

#[tokio::test]
async fn every_operation_checks_every_caller_on_every_object() {
    let (_server, clients) = world().await;
    let mut wrong = Vec::new();
    for &(op, obj, expected) in MATRIX {
        for ((client, caller), expected) in clients.iter().zip(CALLERS).zip(expected) {
            let got = observe(client, op, obj).await;
            if got != expected {
                wrong.push(format!(
                    "{op:?} x {obj:?} as {caller}: expected {expected}, got {got}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// A Liveboard or worksheet that reads what its owner may not read cannot be made by import any
/// more; one that exists (here: given away by its author) still does not hand out the data.
#[tokio::test]
async fn a_liveboard_or_worksheet_never_reads_a_source_its_reader_may_not_read() {
    let (_server, clients) = world().await;
    let (mallory, admin) = (&clients[1], &clients[5]);
    const MIXED: &str = "c0000000-0000-4000-8000-000000000001";
    const BORROWED: &str = "c0000000-0000-4000-8000-000000000002";
    assert_imported(
        &import(
            admin,
            &[
                &board_tml(Some(MIXED), "Mixed", &[WORKSHEET, PRIVATE_SHEET]),
                &sheet_tml(Some(BORROWED), "Borrowed", PRIVATE_TABLE),
            ],
        )
        .await,
    );
    let vizzes = admin
        .metadata_list_viz_headers()
        .id(MIXED)
        .send()
        .await
        .unwrap()
        .into_inner();
    let (open, closed) = (vizzes[0].id.clone(), vizzes[1].id.clone());
    admin
        .user_transfer_ownership()
        .from_user_name("tsadmin")
        .to_user_name("plain")
        .objects_id(tspot_client::lists::to_param([MIXED, BORROWED]))
        .send()
        .await
        .unwrap();

    // The worksheet is the caller's; its table is not.
    let search = mallory
        .search_data()
        .query_string("[Region]")
        .data_source_guid(BORROWED)
        .send()
        .await;
    assert_eq!(status(search), "403");

    // The Liveboard is the caller's; one visualization reads what the caller may not.
    assert_eq!(
        status(mallory.pinboard_data().id(MIXED).send().await),
        "403"
    );
    let vizid = |id: &str| tspot_client::lists::to_param([id]);
    let one = mallory
        .pinboard_data()
        .id(MIXED)
        .vizid(vizid(&open))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.0.len(), 1);
    let refused = mallory
        .pinboard_data()
        .id(MIXED)
        .vizid(vizid(&closed))
        .send()
        .await;
    assert_eq!(status(refused), "403");
    assert_eq!(
        status(mallory.export_pinboard_pdf().id(MIXED).send().await),
        "403"
    );
    let pdf = mallory
        .export_pinboard_pdf()
        .id(MIXED)
        .layout_type(types::PdfLayoutType::Visualization)
        .visualization_ids(vizid(&open))
        .send()
        .await;
    assert_eq!(status(pdf), "200");
    let headers = mallory
        .metadata_list_viz_headers()
        .id(MIXED)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        headers.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        [open.as_str()],
        "the visualization over the unreadable worksheet is left out"
    );
    for id in [MIXED, BORROWED] {
        let export = mallory
            .metadata_tml_export()
            .body(
                types::TmlExportForm::builder()
                    .export_ids(tspot_client::lists::to_param([id]))
                    .export_associated(true),
            )
            .send()
            .await
            .unwrap()
            .into_inner();
        let entry = &export.object[0];
        assert_eq!(entry.info.status.status_code.to_string(), "ERROR");
        assert!(
            entry.edoc.is_none(),
            "no TML of what the caller may not read"
        );
    }
    let listed = mallory
        .metadata_list_object_headers()
        .category(types::MetadataCategory::My)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(listed.is_empty(), "{listed:?}");
}

/// The attack: a user refused by searchdata imports a Liveboard (or answer, or worksheet) that
/// names the worksheet, then reads it through pinboarddata.
#[tokio::test]
async fn an_import_may_name_only_sources_the_importer_may_read() {
    let (_server, clients) = world().await;
    let mallory = &clients[1];
    let search = mallory
        .search_data()
        .query_string("[Region]")
        .data_source_guid(PRIVATE_SHEET)
        .send()
        .await;
    assert_eq!(status(search), "403");

    let missing = |name: &str| format!("Tables do not exist.<br/>- <b>{name}</b><br/><br/>");
    let by_fqn = board_tml(None, "Stolen", &[PRIVATE_SHEET]);
    let by_name = answer_tml("Stolen by name", "Private Stores", None);
    let of_table = sheet_tml(None, "Stolen sheet", PRIVATE_TABLE);
    let ghost = answer_tml("Ghost", "Ghost Stores", None);
    let fine = answer_tml("Fine", "Retail Sales", Some(WORKSHEET));
    let statuses = import(mallory, &[&by_fqn, &by_name, &of_table, &ghost, &fine]).await;
    let messages: Vec<_> = statuses
        .iter()
        .map(|s| (s.status_code, s.error_message.clone().unwrap_or_default()))
        .collect();
    // An unreadable source gets the message of a missing one: existence is not revealed.
    assert_eq!(
        messages,
        [
            (types::TmlStatusCode::Error, missing("source")),
            (types::TmlStatusCode::Error, missing("Private Stores")),
            (types::TmlStatusCode::Error, missing("stores")),
            (types::TmlStatusCode::Error, missing("Ghost Stores")),
            (types::TmlStatusCode::Ok, String::new()),
        ]
    );
    assert_eq!(statuses[0].error_code, statuses[3].error_code);
    // The rest of the PARTIAL import landed.
    let mine = mallory
        .metadata_list_object_headers()
        .category(types::MetadataCategory::My)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        mine.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        ["Fine"]
    );
}

#[tokio::test]
async fn tables_need_data_management_and_never_read_the_engine_catalog() {
    let (_server, clients) = world().await;
    let (plain, steward) = (&clients[1], &clients[2]);
    let catalog = table_tml(None, "schema", "sqlite_master");
    let refused = import(plain, &[&catalog]).await;
    assert_eq!(refused[0].status_code, types::TmlStatusCode::Error);
    assert!(
        refused[0]
            .error_message
            .as_deref()
            .unwrap()
            .contains("DATAMANAGEMENT"),
        "{refused:?}"
    );
    for db_table in [
        "sqlite_master",
        "SQLITE_SCHEMA",
        "main.sqlite_master",
        "\"sqlite_temp_master\"",
        "information_schema.tables",
        "pg_catalog.pg_user",
    ] {
        let tml = table_tml(None, "schema", db_table);
        let statuses = import_with(steward, &[&tml], types::TmlImportPolicy::Partial, true)
            .await
            .unwrap()
            .into_inner()
            .object;
        let status = &statuses[0].response.status;
        assert_eq!(
            status.status_code,
            types::TmlStatusCode::Error,
            "{db_table}"
        );
        assert!(
            status
                .error_message
                .as_deref()
                .unwrap()
                .contains("engine's catalog"),
            "{db_table}: {status:?}"
        );
    }
    assert_imported(&import(steward, &[&table_tml(None, "stores", "dim_store")]).await);
}

/// The attack: a user imports an answer with a GUID before an administrator deploys TML that
/// carries it; the administrator learns whose object the deployment updates, and nobody else
/// can take the GUID over.
#[tokio::test]
async fn a_guid_is_never_taken_from_its_owner() {
    let (_server, clients) = world().await;
    let (squatter, other, admin) = (&clients[1], &clients[4], &clients[5]);
    const DEPLOYED: &str = "d0000000-0000-4000-8000-000000000001";
    let squatted = format!(
        "guid: {DEPLOYED}\n{}",
        answer_tml("Squatted", "Retail Sales", Some(WORKSHEET))
    );
    assert_imported(&import(squatter, &[&squatted]).await);

    let taken = format!(
        "guid: {DEPLOYED}\n{}",
        answer_tml("Taken", "Retail Sales", Some(WORKSHEET))
    );
    let refused = import(other, &[&taken]).await;
    assert_eq!(refused[0].status_code, types::TmlStatusCode::Error);
    assert!(
        !refused[0]
            .error_message
            .as_deref()
            .unwrap()
            .contains("Squatted"),
        "the refusal does not name an object the caller may not read"
    );

    let deployed = format!(
        "guid: {DEPLOYED}\n{}",
        answer_tml("Deployed", "Retail Sales", Some(WORKSHEET))
    );
    let result = import_with(
        admin,
        &[&deployed],
        types::TmlImportPolicy::AllOrNone,
        false,
    )
    .await
    .unwrap()
    .into_inner();
    let response = &result.object[0].response;
    assert_eq!(response.status.status_code, types::TmlStatusCode::Warning);
    let warning = response.status.error_message.as_deref().unwrap();
    assert!(warning.contains("'plain'"), "{warning}");
    assert_eq!(response.header.as_ref().unwrap().id_guid, DEPLOYED);
    // The update landed (a warning is not a failure) and the object stays its owner's.
    let mine = squatter
        .metadata_list_object_headers()
        .category(types::MetadataCategory::My)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        mine.iter()
            .map(|h| (h.id.as_str(), h.name.as_str()))
            .collect::<Vec<_>>(),
        [(DEPLOYED, "Deployed")]
    );
}

/// Searches too big for the engine, overflowing pages and tables over missing database tables
/// are the caller's mistakes: 400s (or import ERROR entries), never 500.
#[tokio::test]
async fn client_mistakes_are_never_500() {
    let (server, clients) = world().await;
    let (steward, admin) = (&clients[2], &clients[5]);

    let filters: String = (0..1_000).map(|i| format!(" [Region] != 'r{i}'")).collect();
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    http.post(server.endpoint("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin"), ("password", super::ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    let query = format!("[Sales]{filters}");
    let response = http
        .post(server.endpoint("searchdata"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("query_string", query.as_str()),
            ("data_source_guid", WORKSHEET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("This search has 1000 conditions; at most 256 are allowed"),
        "{body}"
    );

    let overflow = admin
        .search_data()
        .query_string("[Region]")
        .data_source_guid(WORKSHEET)
        .batchsize(1_000)
        .pagenumber(i64::MAX)
        .send()
        .await;
    assert_eq!(status(overflow), "400");
    let overflow = admin
        .pinboard_data()
        .id(LIVEBOARD)
        .batchsize(i64::MAX)
        .pagenumber(3)
        .send()
        .await;
    assert_eq!(status(overflow), "400");
    let far = admin
        .search_data()
        .query_string("[Region]")
        .data_source_guid(WORKSHEET)
        .offset(i64::MAX)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(far.data.is_empty());
    assert_eq!(far.offset, i64::MAX);
    for (name, value) in [
        ("offset", "9223372036854775808"),
        ("pagenumber", "99999999999999999999"),
        ("batchsize", "-99999999999999999999"),
    ] {
        let response = http
            .post(server.endpoint("searchdata"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&[
                ("query_string", "[Region]"),
                ("data_source_guid", WORKSHEET),
                (name, value),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{name}={value}");
    }

    // A missing database table: an ERROR entry; imported unchecked, a 400 when searched.
    let missing = table_tml(None, "missing", "no_such_table");
    let refused = import(steward, &[&missing]).await;
    assert_eq!(refused[0].status_code, types::TmlStatusCode::Error);
    assert_eq!(refused[0].error_code, Some(14502));
    let unchecked = import_with(steward, &[&missing], types::TmlImportPolicy::Partial, true)
        .await
        .unwrap()
        .into_inner();
    let id = unchecked.object[0]
        .response
        .header
        .as_ref()
        .unwrap()
        .id_guid
        .clone();
    let search = steward
        .search_data()
        .query_string("[Region]")
        .data_source_guid(&id)
        .send()
        .await;
    assert_eq!(status(search), "400");
}

#[tokio::test]
async fn liveboards_and_imports_have_size_limits() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = super::config(dir.path());
    config.demo_rows = 500;
    config.max_liveboard_visualizations = 3;
    config.max_import_objects = 2;
    let server = RefServer::start_with(config).await;
    let admin = server.admin().await;
    let answer = answer_tml("A", "Retail Sales", Some(WORKSHEET));
    let three = import_with(
        &admin,
        &[&answer, &answer, &answer],
        types::TmlImportPolicy::Partial,
        false,
    )
    .await;
    let message = super::message(three);
    assert!(message.contains("3 TML documents; at most 2"), "{message}");
    let big = board_tml(None, "Big", &[WORKSHEET; 4]);
    let refused = import_with(&admin, &[&big], types::TmlImportPolicy::Partial, false).await;
    let message = super::message(refused);
    assert!(
        message.contains("'Big' has 4 visualizations; at most 3 are allowed"),
        "{message}"
    );
    assert_imported(&import(&admin, &[&board_tml(None, "Small", &[WORKSHEET; 3])]).await);
    // The demo Liveboard (5 visualizations) predates the limit.
    let data = admin.pinboard_data().id(LIVEBOARD).send().await;
    assert!(super::message(data).contains("at most 3"));
    let pdf = admin.export_pinboard_pdf().id(LIVEBOARD).send().await;
    assert_eq!(status(pdf), "400");
    server.stop().await;
}
