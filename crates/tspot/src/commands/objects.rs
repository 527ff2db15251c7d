//! `tspot objects list`, `tspot viz list`.

use serde_json::Value;
use tspot_client::params::ObjectHeaderLists;
use tspot_client::prelude::*;
use tspot_client::types;

use crate::cli::objects::{ListObjectsArgs, ListVizArgs, ObjectsCommand, VizCommand};
use crate::connection::Session;
use crate::errors::{Result, call};
use crate::output::{Report, Table, timestamp};
use crate::progress::Spinner;
use crate::resolve;
use tspot_client::ObjectKind;

pub async fn run_objects(session: &Session, command: ObjectsCommand) -> Result<Report> {
    match command {
        ObjectsCommand::List(args) => list_objects(session, args).await,
    }
}

pub async fn run_viz(session: &Session, command: VizCommand) -> Result<Report> {
    match command {
        VizCommand::List(args) => list_viz(session, args).await,
    }
}

async fn list_objects(session: &Session, args: ListObjectsArgs) -> Result<Report> {
    let mut request = session
        .client
        .metadata_list_object_headers()
        .type_(types::MetadataType::from(args.object_type));
    if !args.subtypes.is_empty() {
        let subtypes: Vec<types::MetadataSubtype> = args
            .subtypes
            .iter()
            .map(|s| types::MetadataSubtype::from(*s))
            .collect();
        request = request.subtype_list(&subtypes);
    }
    if let Some(pattern) = args.pattern {
        request = request.pattern(pattern);
    }
    if !args.tags.is_empty() {
        request = request.tag_names(&args.tags);
    }
    if let Some(sort) = args.sort {
        request = request
            .sort(types::MetadataSort::from(sort))
            .sortascending(!args.descending);
    }
    if let Some(limit) = args.limit {
        request = request.batchsize(i64::from(limit));
    }
    if let Some(offset) = args.offset {
        request = request.offset(i64::from(offset));
    }
    let spinner = Spinner::start("Listing objects");
    let headers = call(request.send()).await?;
    drop(spinner);
    let mut table = Table::new(["Name", "ID", "Type", "Author", "Modified"]);
    for header in &headers {
        let kind = header
            .subtype
            .clone()
            .or_else(|| header.type_.clone())
            .unwrap_or_default();
        let author = header
            .author_name
            .clone()
            .unwrap_or_else(|| header.author.clone());
        table.push([
            Value::from(header.name.clone()),
            Value::from(header.id.clone()),
            Value::from(kind),
            Value::from(author),
            Value::from(timestamp(header.modified)),
        ]);
    }
    Ok(Report::Table {
        table,
        json: serde_json::to_value(&headers).expect("headers serialize"),
    })
}

async fn list_viz(session: &Session, args: ListVizArgs) -> Result<Report> {
    let spinner = Spinner::start(format!("Finding {}", args.pinboard));
    let liveboard = resolve::object(&session.client, ObjectKind::Liveboard, &args.pinboard).await?;
    let headers = call(
        session
            .client
            .metadata_list_viz_headers()
            .id(liveboard.id.clone())
            .send(),
    )
    .await?;
    drop(spinner);
    let mut table = Table::new(["Name", "ID", "Type", "Size"]);
    for header in &headers {
        table.push([
            Value::from(header.name.clone()),
            Value::from(header.id.clone()),
            Value::from(
                header
                    .viz_type
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            ),
            Value::from(header.size.clone().unwrap_or_default()),
        ]);
    }
    Ok(Report::Table {
        table,
        json: serde_json::to_value(&headers).expect("headers serialize"),
    })
}
