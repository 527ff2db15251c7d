//! The data half over the demo: metadata headers, searches checked against hand-written SQL,
//! Liveboard data, PDF export, TML import and export, access and ownership.

use tspot_client::prelude::*;
use tspot_client::types;

use super::{RefServer, failure, message, user};

const WORKSHEET: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000201";
const FACT_TABLE: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000101";
const LIVEBOARD: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000401";
const ANSWER: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000301";

/// Runs hand-written SQL over the demo database, independently of the search compiler.
fn sql(server: &RefServer, query: &str) -> Vec<Vec<serde_json::Value>> {
    let connection = rusqlite::Connection::open(server.data_dir.join("demo.sqlite3")).unwrap();
    let mut statement = connection.prepare(query).unwrap();
    let width = statement.column_count();
    statement
        .query_map([], |row| {
            Ok((0..width)
                .map(|i| match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => serde_json::Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => n.into(),
                    rusqlite::types::ValueRef::Real(r) => r.into(),
                    rusqlite::types::ValueRef::Text(t) => {
                        String::from_utf8_lossy(t).into_owned().into()
                    }
                    rusqlite::types::ValueRef::Blob(_) => serde_json::Value::Null,
                })
                .collect())
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 0.005 * x.abs().max(1.0),
        _ => a == b,
    }
}

fn assert_rows(actual: &[Vec<serde_json::Value>], expected: &[Vec<serde_json::Value>]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?}\nvs\n{expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            a.len() == e.len() && a.iter().zip(e).all(|(x, y)| close(x, y)),
            "{a:?} != {e:?}"
        );
    }
}

async fn search(
    client: &tspot_client::Client,
    query: &str,
) -> Result<types::SearchDataResult, tspot_client::Error<types::ErrorResponse>> {
    client
        .search_data()
        .query_string(query)
        .data_source_guid(WORKSHEET)
        .send()
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn the_demo_is_listed_by_type_and_subtype() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let list = |t: types::MetadataType| admin.metadata_list_object_headers().type_(t);
    let names = |headers: Vec<types::MetadataHeader>| -> Vec<String> {
        let mut n: Vec<String> = headers.into_iter().map(|h| h.name).collect();
        n.sort();
        n
    };
    let worksheets = list(types::MetadataType::LogicalTable)
        .subtypes(tspot_client::lists::of_enums([
            types::MetadataSubtype::Worksheet,
        ]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(worksheets), ["Retail Sales"]);
    let tables = list(types::MetadataType::LogicalTable)
        .subtypes(r#"["ONE_TO_ONE_LOGICAL"]"#)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(tables), ["dim_product", "dim_store", "fact_sales"]);
    let liveboards = list(types::MetadataType::PinboardAnswerBook)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(liveboards), ["Sales Overview"]);
    let answers = list(types::MetadataType::QuestionAnswerBook)
        .sort(types::MetadataSort::Name)
        .sortascending(false)
        .send()
        .await
        .unwrap()
        .into_inner();
    let ordered: Vec<_> = answers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        ordered,
        ["Top 10 Products", "Sales by Region", "Monthly Sales Trend"]
    );
    assert_eq!(answers[0].author_name.as_deref(), Some("tsadmin"));
    let page = list(types::MetadataType::QuestionAnswerBook)
        .sort(types::MetadataSort::Name)
        .offset(1)
        .batchsize(1)
        .pattern("%SALES%")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(page), ["Sales by Region"]);
    let fetched = list(types::MetadataType::QuestionAnswerBook)
        .fetchids(tspot_client::lists::to_param([ANSWER]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(fetched), ["Sales by Region"]);
    let skipped = list(types::MetadataType::QuestionAnswerBook)
        .skipids(tspot_client::lists::to_param([ANSWER]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(skipped.len(), 2);
    let columns = list(types::MetadataType::LogicalColumn)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(
        columns
            .iter()
            .any(|c| c.name == "Region" && c.owner == WORKSHEET)
    );
    let formulas = list(types::MetadataType::LogicalColumn)
        .subtypes(tspot_client::lists::of_enums([
            types::MetadataSubtype::Formula,
        ]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(formulas), ["Profit"]);
    let sources = list(types::MetadataType::DataSource)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(names(sources), ["tspot_demo"]);
}

#[tokio::test]
async fn sales_by_region_matches_hand_written_sql() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    // Columns come in the order of the query's tokens.
    let result = search(&admin, "[sales] [region]").await.unwrap();
    assert_eq!(result.column_names, ["Total Sales", "Region"]);
    let expected = sql(
        &server,
        "SELECT SUM(f.amount), s.region FROM fact_sales f JOIN dim_store s ON s.store_id = f.store_id \
         GROUP BY s.region ORDER BY s.region",
    );
    let mut actual = result.data.clone();
    actual.sort_by(|a, b| a[1].as_str().cmp(&b[1].as_str()));
    assert_rows(&actual, &expected);
    assert_eq!(result.total_row_count, 4);
    assert_eq!(result.row_count, 4);
}

#[tokio::test]
async fn filters_aggregates_and_top_n_match_hand_written_sql() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let east = search(
        &admin,
        "[Quantity] [Category] [Region] = 'EAST' sort by [Category]",
    )
    .await
    .unwrap();
    assert_eq!(east.column_names, ["Total Quantity", "Category"]);
    let expected = sql(
        &server,
        "SELECT SUM(f.quantity), p.category FROM fact_sales f \
         JOIN dim_store s ON s.store_id = f.store_id JOIN dim_product p ON p.product_id = f.product_id \
         WHERE lower(s.region) = 'east' GROUP BY p.category ORDER BY p.category",
    );
    assert_rows(&east.data, &expected);

    let average = search(&admin, "average [Sales] [Brand] contains 'co'")
        .await
        .unwrap();
    assert_eq!(average.column_names, ["Average Sales"]);
    let expected = sql(
        &server,
        "SELECT AVG(f.amount) FROM fact_sales f JOIN dim_product p ON p.product_id = f.product_id \
         WHERE lower(p.brand) LIKE '%co%'",
    );
    assert_rows(&average.data, &expected);

    let top = search(&admin, "top 3 [Product Name] [Sales]")
        .await
        .unwrap();
    let expected = sql(
        &server,
        "SELECT p.product_name, SUM(f.amount) AS t FROM fact_sales f \
         JOIN dim_product p ON p.product_id = f.product_id GROUP BY p.product_name ORDER BY t DESC LIMIT 3",
    );
    assert_rows(&top.data, &expected);

    let unique = search(&admin, "unique count [Store Name] [Region] = 'west'")
        .await
        .unwrap();
    assert_eq!(unique.column_names, ["Unique Number of Store Name"]);
    assert_rows(&unique.data, &[vec![6.into()]]);

    let spread = search(&admin, "standard deviation [Quantity] variance [Quantity]")
        .await
        .unwrap();
    let rows = sql(
        &server,
        "SELECT count(*), sum(quantity), sum(quantity * quantity) FROM fact_sales",
    );
    let (n, sum, squares) = (
        rows[0][0].as_f64().unwrap(),
        rows[0][1].as_f64().unwrap(),
        rows[0][2].as_f64().unwrap(),
    );
    let variance = (squares - sum * sum / n) / (n - 1.0);
    assert_rows(
        &spread.data,
        &[vec![variance.sqrt().into(), variance.into()]],
    );

    let profit = search(&admin, "[Profit]").await.unwrap();
    let expected = sql(&server, "SELECT SUM(amount - cost) FROM fact_sales");
    assert_rows(&profit.data, &expected);
}

#[tokio::test]
async fn monthly_buckets_are_named_as_thoughtspot_names_them() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let monthly = search(&admin, "[Sales] [Order Date].monthly")
        .await
        .unwrap();
    assert_eq!(monthly.column_names, ["Total Sales", "Month(Order Date)"]);
    let months = sql(
        &server,
        "SELECT count(DISTINCT substr(order_date, 1, 7)), SUM(amount) FROM fact_sales",
    );
    assert_eq!(monthly.total_row_count, months[0][0].as_i64().unwrap());
    let total: f64 = monthly.data.iter().map(|r| r[0].as_f64().unwrap()).sum();
    assert!(close(&total.into(), &months[0][1]));
    // Date buckets come back as epoch seconds of the bucket's start.
    assert!(
        monthly
            .data
            .iter()
            .all(|r| r[1].as_i64().is_some_and(|s| s > 1_500_000_000))
    );
}

#[tokio::test]
async fn paging_edges() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let page = |batch: i64, offset: i64, number: i64| {
        admin
            .search_data()
            .query_string("[Product Name] [Sales] sort by [Product Name]")
            .data_source_guid(WORKSHEET)
            .batchsize(batch)
            .offset(offset)
            .pagenumber(number)
            .send()
    };
    let all = page(-1, -1, -1).await.unwrap().into_inner();
    assert_eq!(all.total_row_count, 30);
    assert_eq!((all.row_count, all.offset), (30, 0));
    let second = page(10, -1, 2).await.unwrap().into_inner();
    assert_eq!(second.data, all.data[10..20]);
    assert_eq!(
        (second.offset, second.page_size, second.total_row_count),
        (10, 10, 30)
    );
    let tail = page(7, 28, -1).await.unwrap().into_inner();
    assert_eq!(tail.data, all.data[28..]);
    let beyond = page(5, 100, -1).await.unwrap().into_inner();
    assert!(beyond.data.is_empty());
    assert_eq!(beyond.total_row_count, 30);
    // Top 5 without a sort: five rows in all, however many products are counted first.
    let top = admin
        .search_data()
        .query_string("top 5 [Product Name] [Sales]")
        .data_source_guid(WORKSHEET)
        .batchsize(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((top.row_count, top.total_row_count), (2, 5));
}

#[tokio::test]
async fn search_errors_name_the_token_and_its_position() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let unknown = message(search(&admin, "[sales] [regoin]").await);
    assert!(
        unknown.contains("regoin") && unknown.contains('8'),
        "{unknown}"
    );
    let keyword = search(&admin, "[sales] frobnicate [region]").await;
    assert_eq!(failure(keyword).0, 400);
    let table = admin
        .search_data()
        .query_string("[Amount]")
        .data_source_guid(FACT_TABLE)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(table.column_names, ["Total Amount"]);
    let nothing = admin
        .search_data()
        .query_string("[x]")
        .data_source_guid(LIVEBOARD)
        .send()
        .await;
    assert_eq!(failure(nothing).0, 400, "a Liveboard is not a data source");
}

#[tokio::test]
async fn liveboard_headers_data_and_runtime_filters() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let vizzes = admin
        .metadata_list_viz_headers()
        .id(LIVEBOARD)
        .send()
        .await
        .unwrap()
        .into_inner();
    let kinds: Vec<_> = vizzes
        .iter()
        .map(|v| v.viz_type.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["HEADLINE", "CHART", "CHART", "CHART", "TABLE", "FILTER"]
    );
    assert_eq!(vizzes[0].size.as_deref(), Some("xs"));
    assert_eq!(vizzes[0].title.as_ref().unwrap().value.text, "Total Sales");
    assert!(vizzes[5].title.is_none());
    assert!(vizzes.iter().all(|v| v.owner == LIVEBOARD));

    let all = admin
        .pinboard_data()
        .id(LIVEBOARD)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.0.len(), 6);
    let empty_list = admin
        .pinboard_data()
        .id(LIVEBOARD)
        .vizid("[]")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(empty_list.0.len(), 6, "[] means every visualization");
    let headline = &vizzes[0].id;
    let one = admin
        .pinboard_data()
        .id(LIVEBOARD)
        .vizid(tspot_client::lists::to_param([headline]))
        .send()
        .await
        .unwrap()
        .into_inner();
    let total = sql(&server, "SELECT SUM(amount) FROM fact_sales");
    assert_rows(&one.0[headline].data, &total);
    assert_eq!(one.0[headline].name, "Total Sales");

    // Runtime filters in the query string of an empty POST, as the Python library sends them.
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
    let filtered: serde_json::Value = http
        .post(server.endpoint(&format!(
            "pinboarddata?id={LIVEBOARD}&vizid=%5B%22{headline}%22%5D&col1=Region&op1=IN&val1=east&val1=west"
        )))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected = sql(
        &server,
        "SELECT SUM(f.amount) FROM fact_sales f JOIN dim_store s ON s.store_id = f.store_id \
         WHERE s.region IN ('east', 'west')",
    );
    assert_rows(
        &[filtered[headline]["data"][0].as_array().unwrap().clone()],
        &expected,
    );

    let unknown = admin
        .pinboard_data()
        .id(LIVEBOARD)
        .vizid(r#"["nope"]"#)
        .send()
        .await;
    assert_eq!(failure(unknown).0, 400);
    let not_a_liveboard = admin.pinboard_data().id(WORKSHEET).send().await;
    assert_eq!(failure(not_a_liveboard).0, 400);
}

#[tokio::test]
async fn pdf_export_is_a_real_pdf_that_follows_the_options() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let export = |cover: bool, layout: types::PdfLayoutType| {
        admin
            .export_pinboard_pdf()
            .id(LIVEBOARD)
            .include_cover_page(cover)
            .include_filter_page(false)
            .layout_type(layout)
            .footer_text("Confidential tspot")
            .send()
    };
    let mut pages = Vec::new();
    for (cover, layout) in [
        (true, types::PdfLayoutType::Pinboard),
        (false, types::PdfLayoutType::Pinboard),
        (false, types::PdfLayoutType::Visualization),
    ] {
        let response = export(cover, layout).await.unwrap();
        let bytes = tspot_client::read_bytes(response.into_inner())
            .await
            .unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        let numbers: Vec<u32> = document.get_pages().keys().copied().collect();
        let text = document.extract_text(&numbers).unwrap();
        for title in [
            "Sales Overview",
            "Total Sales",
            "Sales by Region",
            "Confidential tspot",
        ] {
            assert!(text.contains(title), "{title} missing from the PDF");
        }
        pages.push(numbers.len());
    }
    assert_eq!(pages[0], pages[1] + 1, "the cover page is one page");
    assert!(pages[2] >= 6, "one page per visualization: {pages:?}");
    let refused = admin.export_pinboard_pdf().id(WORKSHEET).send().await;
    assert_eq!(failure(refused).0, 400);
}

async fn export(
    client: &tspot_client::Client,
    ids: &[&str],
    format: types::TmlFormat,
    associated: bool,
) -> Vec<types::TmlExportObject> {
    client
        .metadata_tml_export()
        .body(
            types::TmlExportForm::builder()
                .export_ids(tspot_client::lists::to_param(ids))
                .formattype(format)
                .export_associated(associated),
        )
        .send()
        .await
        .unwrap()
        .into_inner()
        .object
}

async fn import(
    client: &tspot_client::Client,
    documents: &[&str],
    policy: types::TmlImportPolicy,
) -> Vec<types::TmlImportObjectResult> {
    client
        .metadata_tml_import()
        .body(
            types::TmlImportForm::builder()
                .import_objects(tspot_client::lists::to_param(documents))
                .import_policy(policy),
        )
        .send()
        .await
        .unwrap()
        .into_inner()
        .object
}

#[tokio::test]
async fn export_then_import_then_export_gives_the_same_text() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let first = export(&admin, &[WORKSHEET], types::TmlFormat::Yaml, true).await;
    let names: Vec<_> = first.iter().map(|o| o.info.name.clone().unwrap()).collect();
    assert_eq!(names[0], "Retail Sales", "the requested object first");
    assert_eq!(first.len(), 4, "the worksheet and its three tables");
    let edocs: Vec<&str> = first.iter().map(|o| o.edoc.as_deref().unwrap()).collect();
    let results = import(&admin, &edocs, types::TmlImportPolicy::AllOrNone).await;
    assert!(
        results
            .iter()
            .all(|r| r.response.status.status_code == types::TmlStatusCode::Ok)
    );
    let second = export(&admin, &[WORKSHEET], types::TmlFormat::Yaml, true).await;
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.edoc, b.edoc);
    }
    let json = export(&admin, &[LIVEBOARD], types::TmlFormat::Json, false).await;
    let doc: serde_json::Value = serde_json::from_str(json[0].edoc.as_deref().unwrap()).unwrap();
    assert_eq!(doc["guid"], LIVEBOARD);
    assert_eq!(doc["liveboard"]["name"], "Sales Overview");
    assert_eq!(
        json[0].info.filename.as_deref(),
        Some("Sales Overview.liveboard.tml")
    );
}

const NEW_ANSWER: &str = "answer:\n  name: Quantity by Brand\n  tables:\n  - id: Retail Sales\n    name: Retail Sales\n  search_query: \"[Quantity] [Brand]\"\n";
const BAD_ANSWER: &str =
    "answer:\n  name: Broken\n  tables:\n  - name: Retail Sales\n  search_query: \"[Nope]\"\n";

#[tokio::test]
async fn import_policies() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let count = |client: tspot_client::Client| async move {
        client
            .metadata_list_object_headers()
            .type_(types::MetadataType::QuestionAnswerBook)
            .send()
            .await
            .unwrap()
            .len()
    };
    let validated = import(&admin, &[NEW_ANSWER], types::TmlImportPolicy::ValidateOnly).await;
    assert_eq!(
        validated[0].response.status.status_code,
        types::TmlStatusCode::Ok
    );
    assert_eq!(
        count(admin.clone()).await,
        3,
        "VALIDATE_ONLY imports nothing"
    );

    let all_or_none = import(
        &admin,
        &[NEW_ANSWER, BAD_ANSWER],
        types::TmlImportPolicy::AllOrNone,
    )
    .await;
    assert!(
        all_or_none
            .iter()
            .all(|r| r.response.status.status_code == types::TmlStatusCode::Error)
    );
    assert!(
        all_or_none[1]
            .response
            .status
            .error_message
            .as_deref()
            .unwrap()
            .contains("Nope")
    );
    assert_eq!(
        count(admin.clone()).await,
        3,
        "ALL_OR_NONE with a failure imports nothing"
    );

    let partial = import(
        &admin,
        &[NEW_ANSWER, BAD_ANSWER],
        types::TmlImportPolicy::Partial,
    )
    .await;
    assert_eq!(
        partial[0].response.status.status_code,
        types::TmlStatusCode::Ok
    );
    assert_eq!(
        partial[1].response.status.status_code,
        types::TmlStatusCode::Error
    );
    let header = partial[0].response.header.as_ref().unwrap();
    assert_eq!(header.metadata_type, "QUESTION_ANSWER_BOOK");
    assert_eq!(count(admin.clone()).await, 4);

    // The same guid again replaces; force_create makes a new object.
    let guid = &header.id_guid;
    let again = format!("guid: {guid}\n{NEW_ANSWER}");
    let replaced = import(&admin, &[&again], types::TmlImportPolicy::Partial).await;
    assert_eq!(&replaced[0].response.header.as_ref().unwrap().id_guid, guid);
    let forced = admin
        .metadata_tml_import()
        .body(
            types::TmlImportForm::builder()
                .import_objects(tspot_client::lists::to_param([again.as_str()]))
                .force_create(true),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_ne!(
        &forced.object[0].response.header.as_ref().unwrap().id_guid,
        guid
    );
    assert_eq!(count(admin).await, 5);
}

#[tokio::test]
async fn access_follows_ownership_sharing_and_administration() {
    let server = RefServer::demo().await;
    server.add(vec![user("ann", &[]), user("bob", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    let bob = server.signed_in("bob", "pw-bob").await;
    // The demo is shared with All: everyone reads it.
    assert!(search(&bob, "[Sales]").await.is_ok());
    let imported = import(&ann, &[NEW_ANSWER], types::TmlImportPolicy::Partial).await;
    let id = imported[0]
        .response
        .header
        .as_ref()
        .unwrap()
        .id_guid
        .clone();
    let ann_answers = ann
        .metadata_list_object_headers()
        .type_(types::MetadataType::QuestionAnswerBook)
        .category(types::MetadataCategory::My)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ann_answers.len(), 1);
    let refused = bob.metadata_list_viz_headers().id(&id).send().await;
    assert_eq!(failure(refused), (403, 10003));
    assert!(
        server
            .admin()
            .await
            .metadata_list_viz_headers()
            .id(&id)
            .send()
            .await
            .is_ok()
    );

    // Ownership moves with user/transfer/ownership.
    server
        .admin()
        .await
        .user_transfer_ownership()
        .from_user_name("ann")
        .to_user_name("bob")
        .send()
        .await
        .unwrap();
    assert!(bob.metadata_list_viz_headers().id(&id).send().await.is_ok());
    let refused = ann.metadata_list_viz_headers().id(&id).send().await;
    assert_eq!(failure(refused).0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_imports_lose_nothing() {
    let server = RefServer::demo().await;
    let admin = server.admin().await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            let document = NEW_ANSWER.replace("Quantity by Brand", &format!("Concurrent {i}"));
            let result = import(&admin, &[&document], types::TmlImportPolicy::AllOrNone).await;
            assert_eq!(
                result[0].response.status.status_code,
                types::TmlStatusCode::Ok
            );
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let answers = admin
        .metadata_list_object_headers()
        .type_(types::MetadataType::QuestionAnswerBook)
        .pattern("Concurrent%")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answers.len(), 12);
}

#[tokio::test]
async fn a_report_book_view_session_reads_its_liveboard_only() {
    let server = RefServer::demo().await;
    server.add(vec![user("viewer", &[])]).await;
    let client = server.client();
    let token = client
        .session_auth_token()
        .body(
            types::SessionAuthTokenForm::builder()
                .secret_key(super::SECRET)
                .username("viewer")
                .access_level(types::AccessLevel::ReportBookView)
                .id(Some(LIVEBOARD.to_string())),
        )
        .send()
        .await
        .unwrap();
    let token = tspot_client::read_text(token.into_inner()).await.unwrap();
    client
        .session_login_token()
        .body(
            types::SessionLoginTokenForm::builder()
                .username("viewer")
                .auth_token(token)
                .no_url_redirection(true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        client
            .pinboard_data()
            .id(LIVEBOARD)
            .send()
            .await
            .unwrap()
            .0
            .len(),
        6
    );
    assert_eq!(
        failure(client.metadata_list_viz_headers().id(ANSWER).send().await).0,
        403
    );
    assert_eq!(failure(search(&client, "[Sales]").await).0, 403);
}

#[tokio::test]
async fn a_deleted_users_objects_go_to_the_admin() {
    let server = RefServer::demo().await;
    server.add(vec![user("ann", &[])]).await;
    let ann = server.signed_in("ann", "pw-ann").await;
    let imported = import(&ann, &[NEW_ANSWER], types::TmlImportPolicy::Partial).await;
    let id = imported[0]
        .response
        .header
        .as_ref()
        .unwrap()
        .id_guid
        .clone();
    let admin = server.admin().await;
    let sync = tspot_client::UserSync {
        principals: vec![],
        apply_changes: true,
        remove_deleted: true,
        password: None,
    };
    let result = admin.user_sync(&sync).await.unwrap().into_inner();
    assert_eq!(result.users_deleted, ["ann"]);
    let mine = admin
        .metadata_list_object_headers()
        .type_(types::MetadataType::QuestionAnswerBook)
        .category(types::MetadataCategory::My)
        .fetchids(tspot_client::lists::to_param([id.as_str()]))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(mine.len(), 1, "the answer now belongs to tsadmin");
}

#[tokio::test]
async fn a_table_can_point_at_an_attached_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inventory.sqlite3");
    let connection = rusqlite::Connection::open(&file).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE stock (sku TEXT, warehouse TEXT, units INTEGER);
             INSERT INTO stock VALUES ('a', 'north', 5), ('b', 'north', 7), ('c', 'south', 11);",
        )
        .unwrap();
    drop(connection);
    let mut config = super::config(&dir.path().join("data"));
    config.connections = vec![("inventory".into(), file)];
    let server = RefServer::start_with(config).await;
    let admin = server.admin().await;
    let table = "guid: 0b5e3a57-1111-4222-8333-944444444444\ntable:\n  name: stock\n  db: inventory\n  schema: main\n  db_table: stock\n  connection:\n    name: inventory\n  columns:\n  - name: Warehouse\n    db_column_name: warehouse\n    properties:\n      column_type: ATTRIBUTE\n    db_column_properties:\n      data_type: VARCHAR\n  - name: Units\n    db_column_name: units\n    properties:\n      column_type: MEASURE\n      aggregation: SUM\n    db_column_properties:\n      data_type: INT64\n";
    let imported = import(&admin, &[table], types::TmlImportPolicy::AllOrNone).await;
    assert_eq!(
        imported[0].response.status.status_code,
        types::TmlStatusCode::Ok
    );
    let result = admin
        .search_data()
        .query_string("[Warehouse] [Units]")
        .data_source_guid("0b5e3a57-1111-4222-8333-944444444444")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.column_names, ["Warehouse", "Total Units"]);
    assert_eq!(
        result.data,
        [
            [serde_json::json!("north"), serde_json::json!(12)],
            [serde_json::json!("south"), serde_json::json!(11)]
        ]
    );
    // A table whose database table is missing does not import.
    let missing = table
        .replace("db_table: stock", "db_table: nope")
        .replace("0b5e3a57", "1b5e3a57");
    let refused = import(&admin, &[&missing], types::TmlImportPolicy::AllOrNone).await;
    assert_eq!(refused[0].response.status.error_code, Some(14502));
    server.stop().await;
}
