//! `tspot search`.

use tspot_client::prelude::*;

use crate::cli::data::SearchArgs;
use crate::columns;
use crate::connection::Session;
use crate::errors::{CliError, Result, call};
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
        .data_source_guid(source.id.clone());
    if let Some(limit) = args.limit {
        request = request.batchsize(i64::from(limit));
    }
    if let Some(offset) = args.offset {
        request = request.offset(i64::from(offset));
    }
    let result = match call(request.send()).await {
        Ok(result) => result,
        Err(error) => return Err(suggest_column(session, &source.id, error).await),
    };
    let kinds = if format == Format::Json {
        Vec::new()
    } else {
        spinner.set_message(format!("Reading the column types of {}", source.label));
        let types = columns::types_of(&session.client, &source.id).await;
        columns::kinds(&types, &result.column_names)
    };
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
        kinds,
    };
    Ok(Report::Table {
        table,
        json: serde_json::to_value(&result).expect("a search result serializes"),
    })
}

/// Adds "did you mean" to the server's "Unknown column [Name]" with the columns of the source.
async fn suggest_column(session: &Session, source: &str, error: CliError) -> CliError {
    let Some(unknown) = error
        .message
        .split_once("Unknown column [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(name, _)| name.to_string())
    else {
        return error;
    };
    let types = columns::types_of(&session.client, source).await;
    match tspot_client::did_you_mean(&unknown, types.names()).as_slice() {
        [] => error,
        close => error.with_hint(&format!("did you mean [{}]?", close.join("] or ["))),
    }
}
