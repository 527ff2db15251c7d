//! metadata/tml/export: each requested object (then, with `export_associated`, what it depends
//! on) as TML text, with or without `fqn` references.

use serde_json::Value;

use super::tml::{self, list, text};
use super::{Catalog, Entry};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// One exported document, or why an id could not be exported.
#[derive(Debug, Clone)]
pub enum Exported {
    Document {
        id: String,
        name: String,
        tml_type: String,
        edoc: String,
        dependencies: Vec<(String, String)>,
    },
    Failed {
        id: String,
        message: String,
    },
}

/// The ids an object depends on, deepest last: worksheets read tables, answers read a worksheet
/// or table, Liveboards read what their visualizations read.
pub fn dependencies(catalog: &Catalog, entry: &Entry) -> Vec<String> {
    let body = entry.body();
    let references: Vec<(&str, Option<&str>, &str)> = match entry.record.tml_type.as_str() {
        "worksheet" => list(body, "tables")
            .iter()
            .map(|t| {
                (
                    "table",
                    text(t, "fqn").or_else(|| text(t, "id")),
                    text(t, "name").unwrap_or_default(),
                )
            })
            .collect(),
        "answer" => answer_references(body),
        "liveboard" => list(body, "visualizations")
            .iter()
            .filter_map(|v| v.get("answer"))
            .flat_map(answer_references)
            .collect(),
        _ => vec![],
    };
    let mut ids = Vec::new();
    for (tml_type, fqn, name) in references {
        let found = if tml_type == "table" {
            catalog.find("table", fqn, name)
        } else {
            catalog.find_source(fqn, name)
        };
        if let Some(found) = found
            && !ids.contains(&found.record.id)
        {
            ids.push(found.record.id.clone());
        }
    }
    ids
}

fn answer_references(answer: &Value) -> Vec<(&'static str, Option<&str>, &str)> {
    list(answer, "tables")
        .iter()
        .map(|t| {
            (
                "source",
                text(t, "fqn"),
                text(t, "name").unwrap_or_default(),
            )
        })
        .collect()
}

/// The requested object first, then its dependencies (depth first, each once).
pub fn with_associated(catalog: &Catalog, id: &str) -> Vec<String> {
    let mut order = vec![id.to_string()];
    let mut next = 0;
    while next < order.len() {
        if let Some(entry) = catalog.get(&order[next]) {
            for dependency in dependencies(catalog, entry) {
                if !order.contains(&dependency) {
                    order.push(dependency);
                }
            }
        }
        next += 1;
    }
    order
}

/// Sets (`fqn` true) or removes the `fqn` of every reference in the document.
fn set_fqn(catalog: &Catalog, doc: &mut Value, fqn: bool) {
    let Some(tml_type) = tml::body(doc).map(|(t, _)| t) else {
        return;
    };
    let key = if doc.get("pinboard").is_some() {
        "pinboard"
    } else {
        tml_type
    };
    let Some(body) = doc.get_mut(key) else { return };
    let resolve = |tml_type: &str, reference: &Value| -> Option<String> {
        let name = text(reference, "name").unwrap_or_default();
        let by_fqn = text(reference, "fqn");
        let found = match tml_type {
            "table" => catalog.find("table", by_fqn, name),
            _ => catalog.find_source(by_fqn, name),
        };
        found.map(|e| e.record.id.clone())
    };
    let fix = |reference: &mut Value, tml_type: &str| {
        let id = resolve(tml_type, reference);
        if let Some(map) = reference.as_object_mut() {
            match (fqn, id) {
                (true, Some(id)) => {
                    map.insert("fqn".into(), Value::String(id));
                }
                _ => {
                    map.remove("fqn");
                }
            }
        }
    };
    match tml_type {
        "worksheet" => {
            for t in body
                .get_mut("tables")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                fix(t, "table");
            }
        }
        "answer" => {
            for t in body
                .get_mut("tables")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                fix(t, "source");
            }
        }
        "liveboard" => {
            for viz in body
                .get_mut("visualizations")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                let tables = viz
                    .get_mut("answer")
                    .and_then(|a| a.get_mut("tables"))
                    .and_then(Value::as_array_mut);
                for t in tables.into_iter().flatten() {
                    fix(t, "source");
                }
            }
        }
        "table" => {
            for j in body
                .get_mut("joins_with")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(destination) = j.get_mut("destination") {
                    fix(destination, "table");
                }
            }
        }
        _ => {}
    }
}

/// The TML text of one stored object.
pub fn document(
    catalog: &Catalog,
    entry: &Entry,
    format: Format,
    fqn: bool,
) -> Result<String, tspot_tml::TmlError> {
    let mut doc = entry.doc.clone();
    set_fqn(catalog, &mut doc, fqn);
    let document = tspot_tml::parse(&doc.to_string())?;
    Ok(match format {
        Format::Yaml => tspot_tml::to_yaml(&document),
        Format::Json => tspot_tml::to_json(&document),
    })
}

/// Exports one requested id (and its associated objects). `readable` says whether the caller may
/// read an object and everything it reads: an unreadable requested object is an error entry
/// (its dependencies are not even looked at), and associated objects the caller may not read are
/// left out, so an export never reveals what the caller may not see.
pub fn export(
    catalog: &Catalog,
    id: &str,
    associated: bool,
    format: Format,
    fqn: bool,
    readable: &dyn Fn(&str) -> bool,
) -> Vec<Exported> {
    let Some(entry) = catalog.get(id) else {
        return vec![Exported::Failed {
            message: format!("No object with id '{id}' exists"),
            id: id.to_string(),
        }];
    };
    if !readable(id) {
        return vec![Exported::Failed {
            message: format!("You do not have access to the object with id '{id}'"),
            id: id.to_string(),
        }];
    }
    let ids = if associated {
        with_associated(catalog, id)
    } else {
        vec![entry.record.id.clone()]
    };
    ids.into_iter()
        .filter(|id| readable(id))
        .filter_map(|id| catalog.get(&id).map(|entry| (id, entry)))
        .map(|(id, entry)| match document(catalog, entry, format, fqn) {
            Ok(edoc) => Exported::Document {
                dependencies: dependencies(catalog, entry)
                    .iter()
                    .filter(|d| readable(d))
                    .filter_map(|d| catalog.get(d))
                    .map(|d| {
                        (
                            d.record.name.clone(),
                            filename(&d.record.name, &d.record.tml_type),
                        )
                    })
                    .collect(),
                name: entry.record.name.clone(),
                tml_type: entry.record.tml_type.clone(),
                edoc,
                id,
            },
            Err(error) => Exported::Failed {
                id,
                message: error.to_string(),
            },
        })
        .collect()
}

pub fn filename(name: &str, tml_type: &str) -> String {
    format!("{name}.{tml_type}.tml")
}
