//! metadata/tml/import: validate each document against what exists (and what this request
//! creates), then write the valid ones in one transaction, as the import policy says.
//!
//! Authorization (spec/authorization.md): a document may name only sources the importer may
//! read (an unreadable source gets the same error as a missing one); updating an object by GUID
//! needs edit rights on it (its owner, or an administrator, whose update of someone else's
//! object is reported as a WARNING and leaves the owner as it was); tables over a connection
//! need ADMINISTRATION or DATAMANAGEMENT and never read the engine's catalog.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::export::with_associated;
use super::source::physical_table;
use super::tml::{self, list, text};
use super::{Catalog, Entry};
use crate::store::{ObjectRecord, ObjectWrite};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Partial,
    AllOrNone,
    ValidateOnly,
}

/// One document's outcome, in request order.
#[derive(Debug, Clone)]
pub enum Outcome {
    Imported {
        record: Box<ObjectRecord>,
        /// Set when the importer updated an object another user owns (an administrator may):
        /// the owner's id. The object stays theirs; the entry's status is WARNING.
        owner: Option<String>,
    },
    Failed {
        code: i64,
        message: String,
    },
}

/// What an import is asked to do, and for whom.
pub struct Job<'a> {
    pub documents: &'a [String],
    pub policy: Policy,
    pub force_create: bool,
    pub skip_table_validation: bool,
    /// The importing user: author and owner of new objects.
    pub actor: &'a str,
    /// Whether the actor may replace any object (ADMINISTRATION), not just its own.
    pub admin: bool,
    /// Whether the actor may create or change tables over a connection (ADMINISTRATION or
    /// DATAMANAGEMENT).
    pub data_manager: bool,
    /// Principals new objects are shared with (the demo shares with `All`).
    pub share_with: Vec<String>,
    /// Visualizations a Liveboard may hold.
    pub max_visualizations: usize,
}

/// A [`Job`] with what planning it reads: the actor's access, the time, today's date.
pub struct Request<'a> {
    pub job: &'a Job<'a>,
    /// Whether the actor may read a stored object (objects of this request are readable).
    pub can_read: &'a dyn Fn(&str) -> bool,
    pub now: i64,
    pub today: chrono::NaiveDate,
}

/// Checks that a table's database table and columns exist.
pub type TableCheck<'a> = dyn Fn(&str, &str) -> Result<Option<Vec<String>>, String> + 'a;

pub const ERROR_INVALID: i64 = 14501;
pub const ERROR_MISSING_DEPENDENCY: i64 = 14502;
/// The importer may not do this: change someone else's object, or a table without the privilege.
pub const ERROR_NOT_ALLOWED: i64 = 14503;
pub const ERROR_NOT_IMPORTED: i64 = 14510;

fn fail(code: i64, message: impl Into<String>) -> Outcome {
    Outcome::Failed {
        code,
        message: message.into(),
    }
}

fn rank(tml_type: &str) -> u8 {
    match tml_type {
        "table" => 0,
        "worksheet" => 1,
        "answer" => 2,
        _ => 3,
    }
}

/// Plans an import. Returns the outcome of every document and the writes to apply (empty when
/// nothing must be written), or why the whole request is refused (a Liveboard with more
/// visualizations than allowed).
pub fn plan(
    request: &Request<'_>,
    catalog: &mut Catalog,
    table_columns: &TableCheck<'_>,
) -> Result<(Vec<Outcome>, Vec<ObjectWrite>), String> {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; request.job.documents.len()];
    let mut parsed = Vec::new();
    for (index, text) in request.job.documents.iter().enumerate() {
        match tspot_tml::parse(text) {
            Ok(document) => {
                let json = tspot_tml::to_json(&document);
                match serde_json::from_str::<Value>(&json) {
                    Ok(doc) => parsed.push((index, doc)),
                    Err(e) => outcomes[index] = Some(fail(ERROR_INVALID, e.to_string())),
                }
            }
            Err(error) => {
                outcomes[index] = Some(fail(ERROR_INVALID, format!("Invalid TML: {error}")))
            }
        }
    }
    for (_, doc) in &parsed {
        if let Some(("liveboard", body)) = tml::body(doc) {
            let count = list(body, "visualizations").len();
            if count > request.job.max_visualizations {
                return Err(format!(
                    "Liveboard '{}' has {count} visualizations; at most {} are allowed",
                    text(body, "name").unwrap_or_default(),
                    request.job.max_visualizations
                ));
            }
        }
    }
    parsed.sort_by_key(|(index, doc)| (tml::body(doc).map(|(t, _)| rank(t)).unwrap_or(9), *index));

    let mut writes = Vec::new();
    // Objects this request creates or updates: the importer reads them.
    let mut planned = HashSet::new();
    for (index, mut doc) in parsed {
        match validate(request, catalog, &planned, table_columns, &mut doc) {
            Ok((write, record, owner)) => {
                planned.insert(write.id.clone());
                catalog.insert(Entry {
                    record: record.clone(),
                    doc: doc.clone(),
                });
                writes.push(write);
                outcomes[index] = Some(Outcome::Imported {
                    record: Box::new(record),
                    owner,
                });
            }
            Err((code, message)) => outcomes[index] = Some(fail(code, message)),
        }
    }
    let mut outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| fail(ERROR_INVALID, "Not processed")))
        .collect();
    let any_failed = outcomes.iter().any(|o| matches!(o, Outcome::Failed { .. }));
    match request.job.policy {
        Policy::ValidateOnly => writes.clear(),
        Policy::AllOrNone if any_failed => {
            writes.clear();
            for outcome in &mut outcomes {
                if matches!(outcome, Outcome::Imported { .. }) {
                    *outcome = fail(
                        ERROR_NOT_IMPORTED,
                        "Not imported: another document of this request failed and import_policy is ALL_OR_NONE",
                    );
                }
            }
        }
        _ => {}
    }
    Ok((outcomes, writes))
}

type Invalid = (i64, String);

fn invalid(message: impl Into<String>) -> Invalid {
    (ERROR_INVALID, message.into())
}

/// What validating a document gives: the write, the record as it will be, and the owner of the
/// object when the importer updates someone else's.
type Validated = (ObjectWrite, ObjectRecord, Option<String>);

/// What documents may name: sources the importer may read, with everything they read.
struct Readable<'r> {
    request: &'r Request<'r>,
    catalog: &'r Catalog,
    planned: &'r HashSet<String>,
}

impl Readable<'_> {
    fn all(&self, id: &str) -> bool {
        with_associated(self.catalog, id)
            .iter()
            .all(|d| self.planned.contains(d) || (self.request.can_read)(d))
    }
}

/// The error for a source that does not exist, or that the importer may not read: the same, so
/// an import never tells whether an unreadable object exists.
fn missing_source(name: &str) -> Invalid {
    (
        ERROR_MISSING_DEPENDENCY,
        format!("Tables do not exist.<br/>- <b>{name}</b><br/><br/>"),
    )
}

fn validate(
    request: &Request<'_>,
    catalog: &Catalog,
    planned: &HashSet<String>,
    table_columns: &TableCheck<'_>,
    doc: &mut Value,
) -> Result<Validated, Invalid> {
    let readable = Readable {
        request,
        catalog,
        planned,
    };
    let (tml_type, body) = tml::body(doc).ok_or_else(|| invalid("The document holds no object"))?;
    let name = text(body, "name").unwrap_or_default().trim().to_string();
    if name.is_empty() {
        return Err(invalid(format!("The {tml_type} has no name")));
    }
    let description = text(body, "description")
        .map(String::from)
        .filter(|d| !d.is_empty());

    if tml_type == "table" && !request.job.data_manager {
        return Err((
            ERROR_NOT_ALLOWED,
            format!(
                "Creating or changing table '{name}' needs the ADMINISTRATION or DATAMANAGEMENT \
                 privilege"
            ),
        ));
    }

    // Which object this document creates or replaces. Updating an existing object needs edit
    // rights on it: its owner or an administrator. A GUID is never claimed from its owner.
    let guid = text(doc, "guid").map(String::from);
    let existing = guid.as_deref().and_then(|g| catalog.get(g));
    let id = match (&guid, existing) {
        (Some(_), Some(_)) if request.job.force_create => uuid::Uuid::new_v4().to_string(),
        (Some(guid), Some(entry)) => {
            if !request.job.admin && entry.record.owner_id != request.job.actor {
                return Err((
                    ERROR_NOT_ALLOWED,
                    format!(
                        "An object with guid {guid} exists and you may not change it: only its \
                         owner or an administrator may. Leave out the guid, or set force_create, \
                         to create a new object"
                    ),
                ));
            }
            if entry.record.tml_type != tml_type {
                return Err(invalid(format!(
                    "guid {guid} belongs to a {}, not a {tml_type}",
                    entry.record.tml_type
                )));
            }
            guid.clone()
        }
        (Some(guid), None) => guid.clone(),
        (None, _) => uuid::Uuid::new_v4().to_string(),
    };
    let replaced = catalog.get(&id).map(|e| e.record.clone());

    let (depends_on, visualizations, columns) = match tml_type {
        "table" => validate_table(request, catalog, table_columns, body)?,
        "worksheet" => validate_worksheet(&readable, body, &name)?,
        "answer" => (
            validate_answer(&readable, body)?,
            vec!["answer".to_string()],
            vec![],
        ),
        _ => validate_liveboard(&readable, body)?,
    };
    let owner = replaced
        .as_ref()
        .filter(|r| r.owner_id != request.job.actor)
        .map(|r| r.owner_id.clone());
    let (type_, subtype) = tml::metadata_type(tml_type);
    if let Some(map) = doc.as_object_mut() {
        map.insert("guid".into(), Value::String(id.clone()));
    }
    let tml_text = doc.to_string();
    let record = ObjectRecord {
        id: id.clone(),
        type_: type_.into(),
        subtype: subtype.map(String::from),
        tml_type: tml_type.into(),
        name: name.clone(),
        description: description.clone(),
        author_id: replaced
            .as_ref()
            .map_or(request.job.actor.to_string(), |r| r.author_id.clone()),
        owner_id: replaced
            .as_ref()
            .map_or(request.job.actor.to_string(), |r| r.owner_id.clone()),
        created: replaced.as_ref().map_or(request.now, |r| r.created),
        modified: request.now,
        modified_by: request.job.actor.to_string(),
        is_auto_created: false,
        tml: tml_text.clone(),
        tags: vec![],
    };
    let write = ObjectWrite {
        id,
        type_: type_.into(),
        subtype: subtype.map(String::from),
        tml_type: tml_type.into(),
        name,
        description,
        tml: tml_text,
        depends_on,
        visualizations,
        columns,
        tags: vec![],
        shared_with: request.job.share_with.clone(),
    };
    Ok((write, record, owner))
}

type Parts = (Vec<String>, Vec<String>, Vec<String>);

fn validate_table(
    request: &Request<'_>,
    catalog: &Catalog,
    table_columns: &TableCheck<'_>,
    table: &Value,
) -> Result<Parts, Invalid> {
    let name = text(table, "name").unwrap_or_default();
    let connection_name = table
        .get("connection")
        .and_then(|c| text(c, "name"))
        .ok_or_else(|| invalid(format!("Table '{name}' names no connection")))?;
    let connection = catalog.connection(connection_name).ok_or_else(|| {
        (
            ERROR_MISSING_DEPENDENCY,
            format!("Connection '{connection_name}' does not exist"),
        )
    })?;
    let db_table = physical_table(table, name).map_err(|e| invalid(e.to_string()))?;
    let columns: Vec<String> = list(table, "columns")
        .iter()
        .map(|c| text(c, "name").unwrap_or_default().to_string())
        .collect();
    if columns.is_empty() || columns.iter().any(String::is_empty) {
        return Err(invalid(format!("Table '{name}' needs named columns")));
    }
    // On PostgreSQL the TML's schema qualifies the table, as the searches will read it.
    let checked =
        match text(table, "schema").filter(|s| connection.engine == "postgres" && !s.is_empty()) {
            Some(schema) => format!("{schema}.{db_table}"),
            None => db_table.to_string(),
        };
    if !request.job.skip_table_validation {
        let physical = table_columns(&connection.location, &checked)
            .map_err(|e| invalid(format!("Cannot read connection '{connection_name}': {e}")))?
            .ok_or_else(|| {
                (
                    ERROR_MISSING_DEPENDENCY,
                    format!("Tables do not exist.<br/>- <b>{db_table}</b> in connection {connection_name}<br/><br/>"),
                )
            })?;
        for column in list(table, "columns") {
            let db_column = text(column, "db_column_name")
                .or_else(|| text(column, "name"))
                .unwrap_or_default();
            if !physical.iter().any(|p| p.eq_ignore_ascii_case(db_column)) {
                return Err((
                    ERROR_MISSING_DEPENDENCY,
                    format!("Column '{db_column}' does not exist in table {db_table}"),
                ));
            }
        }
    }
    Ok((vec![], vec![], columns))
}

fn validate_worksheet(
    readable: &Readable<'_>,
    worksheet: &Value,
    name: &str,
) -> Result<Parts, Invalid> {
    let catalog = readable.catalog;
    let mut depends_on = Vec::new();
    for reference in list(worksheet, "tables") {
        let table = text(reference, "name").unwrap_or_default();
        let fqn = text(reference, "fqn").or_else(|| text(reference, "id"));
        let entry = catalog
            .find("table", fqn, table)
            .filter(|e| readable.all(&e.record.id))
            .ok_or_else(|| missing_source(table))?;
        depends_on.push(entry.record.id.clone());
    }
    // Building the search model checks joins, table paths, columns and formulas.
    let probe = Entry {
        record: ObjectRecord {
            id: String::new(),
            type_: "LOGICAL_TABLE".into(),
            subtype: Some("WORKSHEET".into()),
            tml_type: "worksheet".into(),
            name: name.into(),
            description: None,
            author_id: String::new(),
            owner_id: String::new(),
            created: 0,
            modified: 0,
            modified_by: String::new(),
            is_auto_created: false,
            tml: String::new(),
            tags: vec![],
        },
        doc: serde_json::json!({ "worksheet": worksheet }),
    };
    let source = catalog
        .data_source(&probe)
        .map_err(|e| invalid(e.to_string()))?;
    let columns = source
        .source
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect();
    Ok((depends_on, vec![], columns))
}

/// The data source an answer reads, by fqn or name among tables and worksheets (resolved as
/// the data paths resolve it), when the importer may read it and everything it reads.
fn answer_source<'a>(readable: &Readable<'a>, answer: &Value) -> Result<&'a Entry, Invalid> {
    let reference = list(answer, "tables")
        .first()
        .ok_or_else(|| invalid("The answer names no table or worksheet in 'tables'"))?;
    let name = text(reference, "name").unwrap_or_default();
    let fqn = text(reference, "fqn");
    readable
        .catalog
        .find_source(fqn, name)
        .filter(|e| readable.all(&e.record.id))
        .ok_or_else(|| missing_source(name))
}

fn validate_answer(readable: &Readable<'_>, answer: &Value) -> Result<Vec<String>, Invalid> {
    let (request, catalog) = (readable.request, readable.catalog);
    let source_entry = answer_source(readable, answer)?;
    let source = catalog
        .data_source(source_entry)
        .map_err(|e| invalid(e.to_string()))?;
    let query = tml::unqualify_columns(text(answer, "search_query").unwrap_or_default());
    let options = tspot_search::SearchOptions {
        today: request.today,
        runtime_filters: vec![],
    };
    tspot_search::search(&query, &source.source, &options)
        .map_err(|e| invalid(format!("Invalid search query '{query}': {e}")))?;
    Ok(vec![source_entry.record.id.clone()])
}

fn validate_liveboard(readable: &Readable<'_>, liveboard: &Value) -> Result<Parts, Invalid> {
    let mut depends_on = Vec::new();
    let mut visualizations = Vec::new();
    let mut seen = HashMap::new();
    for (position, viz) in list(liveboard, "visualizations").iter().enumerate() {
        let id = text(viz, "id")
            .map(String::from)
            .unwrap_or_else(|| format!("Viz_{}", position + 1));
        if seen.insert(id.clone(), ()).is_some() {
            return Err(invalid(format!("Visualization id '{id}' appears twice")));
        }
        let answer = viz
            .get("answer")
            .ok_or_else(|| invalid(format!("Visualization '{id}' has no answer")))?;
        for dependency in validate_answer(readable, answer)? {
            if !depends_on.contains(&dependency) {
                depends_on.push(dependency);
            }
        }
        visualizations.push(id);
    }
    for filter in list(liveboard, "filters") {
        let column = list(filter, "column")
            .first()
            .and_then(Value::as_str)
            .unwrap_or_default();
        visualizations.push(format!("filter:{column}"));
    }
    Ok((depends_on, visualizations, vec![]))
}
