use tspot_client::prelude::*;
use tspot_client::types;

use crate::fake::PDF_PREFIX;
use crate::harness::{Server, debug_message, error_json};

#[tokio::test]
async fn search_data_round_trips_the_query_string() {
    let server = Server::start().await;
    let query = "[sales] [region] = 'west' [product name] contains 'a&b' [date].monthly";
    let result = server
        .admin()
        .await
        .search_data()
        .query_string(query)
        .data_source_guid("ds1")
        .batchsize(100)
        .offset(0)
        .formattype(types::DataFormat::Compact)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.column_names, ["Query", "Source"]);
    assert_eq!(result.data[0][0], query);
    assert_eq!(result.page_size, 100);
}

#[tokio::test]
async fn search_data_as_the_python_library_sends_it() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("searchdata?query_string=%5Bsales%5D+%5Bregion%5D+%3D+%27west%27&data_source_guid=ds1&batchsize=-1&pagenumber=-1&offset=-1&formattype=COMPACT"))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"][0][0], "[sales] [region] = 'west'");
}

/// `x-tspot-list-of-one`: the product documentation's example sends `data_source_guid` as a
/// JSON array holding the GUID.
#[tokio::test]
async fn search_data_takes_the_documented_bracketed_guid() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let search = |guid: &'static str| {
        http.post(server.endpoint("searchdata"))
            .query(&[("query_string", "[sales]"), ("data_source_guid", guid)])
            .header("X-Requested-By", "ThoughtSpot")
            .send()
    };
    for guid in ["[\"ds1\"]", "['ds1']", "[ds1]"] {
        let response = search(guid).await.unwrap();
        assert_eq!(response.status(), 200, "{guid}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["data"][0][1], "ds1", "{guid}");
    }
    let response = search("[\"ds1\", \"ds2\"]").await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        debug_message(&error_json(response).await),
        "Invalid value for parameter 'data_source_guid': one value expected, not a list of 2"
    );
}

#[tokio::test]
async fn search_data_without_query_string_is_400() {
    let server = Server::start().await;
    let error = server
        .admin()
        .await
        .search_data()
        .query_string("")
        .data_source_guid("ds1")
        .send()
        .await;
    // An empty query string is still a value for a text field; the implementation decides.
    assert!(error.is_ok());
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("searchdata?data_source_guid=ds1"))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = error_json(response).await;
    assert!(debug_message(&body).contains("query_string"), "{body}");
}

#[tokio::test]
async fn pinboard_data_pages_and_keys_by_visualization() {
    let server = Server::start().await;
    let data = server
        .admin()
        .await
        .pinboard_data()
        .id("lb1")
        .vizid(tspot_client::lists::to_param(["v7"]))
        .batchsize(2)
        .pagenumber(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    let viz = &data.0["v7"];
    assert_eq!(
        viz.data,
        [
            [serde_json::json!("row3"), serde_json::json!(3)],
            [serde_json::json!("row4"), serde_json::json!(4)]
        ]
    );
    assert_eq!((viz.row_count, viz.total_row_count, viz.offset), (2, 5, 2));
}

#[tokio::test]
async fn pinboard_data_empty_vizid_means_all_and_runtime_filters_arrive() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint(
            "pinboarddata?id=lb1&vizid=%5B%5D&batchsize=-1&pagenumber=-1&offset=-1&formattype=COMPACT&col1=region&op1=IN&val1=east&val1=west&col2=sales&op2=bw_inc&val2=1&val2=9",
        ))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body.as_object().unwrap().len(), 2, "all visualizations");
    assert_eq!(body["v1"]["columnNames"][1], "Filters 2");
    let input = server.api.last_input("pinboardData");
    assert!(input.contains(r#"values: ["east", "west"]"#), "{input}");
    assert!(input.contains("BwInc"), "{input}");
}

#[tokio::test]
async fn pinboard_data_bad_runtime_filter_is_400() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("pinboarddata?id=lb1&col1=region&op1=LIKE&val1=x"))
        .header("X-Requested-By", "ThoughtSpot")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = error_json(response).await;
    assert_eq!(body["code"], 10002);
}

#[tokio::test]
async fn pinboard_data_unknown_liveboard_is_404() {
    let server = Server::start().await;
    let error = server
        .admin()
        .await
        .pinboard_data()
        .id("zzz")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().unwrap(), 404);
}

#[tokio::test]
async fn pdf_export_returns_the_exact_bytes() {
    let server = Server::start().await;
    let response = server
        .admin()
        .await
        .export_pinboard_pdf()
        .id("lb1")
        .orientation(types::PdfOrientation::Portrait)
        .footer_text("Confidential")
        .layout_type(types::PdfLayoutType::Visualization)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let pdf = tspot_client::read_bytes(response.into_inner())
        .await
        .unwrap();
    assert!(pdf.starts_with(PDF_PREFIX), "binary bytes survive");
    assert!(String::from_utf8_lossy(&pdf).contains("Portrait Confidential"));
    let input = server.api.last_input("exportPinboardPdf");
    assert!(
        input.contains("include_cover_page: true"),
        "default: {input}"
    );
    assert!(input.contains("truncate_tables: false"), "default: {input}");
}

#[tokio::test]
async fn pdf_export_options_in_the_query_string_of_an_empty_post() {
    let server = Server::start().await;
    let http = server.raw_admin().await;
    let response = http
        .post(server.endpoint("export/pinboard/pdf?id=lb1&layout_type=PINBOARD&orientation=LANDSCAPE&truncate_tables=false&include_cover_page=false&include_logo=true&include_page_number=false&include_filter_page=true&footer_text=foot"))
        .header("X-Requested-By", "ThoughtSpot")
        .header("Accept", "application/octet-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(PDF_PREFIX));
    let input = server.api.last_input("exportPinboardPdf");
    assert!(input.contains("include_cover_page: false"), "{input}");
    assert!(input.contains(r#"footer_text: Some("foot")"#), "{input}");
}
