//! `tspot search`.

use tspot_client::prelude::*;

use crate::cli::data::SearchArgs;
use crate::connection::Session;
use crate::errors::{Result, call};
use crate::output::{Format, Report, Table};
use crate::progress::Spinner;
use crate::resolve;
use tspot_client::ObjectKind;

pub async fn run(session: &Session, args: SearchArgs, format: Format) -> Result<Report> {
    let spinner = Spinner::start(format!("Finding {}", args.source));
    let source = resolve::object(&session.client, ObjectKind::DataSource, &args.source).await?;
    spinner.set_message(format!("Searching {}", source.label));
    let mut request = session
        .client
        .search_data()
        .query_string(args.query)
        .data_source_guid(source.id);
    if let Some(limit) = args.limit {
        request = request.batchsize(i64::from(limit));
    }
    if let Some(offset) = args.offset {
        request = request.offset(i64::from(offset));
    }
    let result = call(request.send()).await?;
    drop(spinner);

    if format == Format::Table && result.row_count < result.total_row_count {
        let first = result.offset.max(0);
        eprintln!(
            "Rows {} to {} of {}; --limit and --offset page through the rest.",
            first + 1,
            first + result.row_count,
            result.total_row_count
        );
    }
    let table = Table {
        headers: result.column_names.clone(),
        rows: result.data.clone(),
    };
    Ok(Report::Table {
        table,
        json: serde_json::to_value(&result).expect("a search result serializes"),
    })
}
