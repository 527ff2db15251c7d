//! Objects named by people: [`Client::resolve`] takes a GUID or a name and returns the object,
//! looking names up with `metadata/listobjectheaders` (an exact match first, then ignoring
//! case). A name that matches nothing is [`ApiError::NotFound`] with the names spelled alike; one
//! that matches several is [`ApiError::Ambiguous`] with their GUIDs.
//!
//! ```no_run
//! use tspot_client::ObjectKind;
//! # async fn demo(client: &tspot_client::Client) -> Result<(), tspot_client::ApiError> {
//! let liveboard = client.resolve(ObjectKind::Liveboard, "Sales Overview").await?;
//! println!("{} is {}", liveboard.name, liveboard.id);
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

use crate::generated::{Client, ClientMetadataExt, types};
use crate::{ApiError, call};

/// What kind of object a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// A worksheet, view or table: what a search runs against.
    DataSource,
    /// A Liveboard (historically a pinboard).
    Liveboard,
    /// A saved answer.
    Answer,
    /// Any object TML exports: a data source, an answer or a Liveboard.
    Exportable,
}

impl ObjectKind {
    fn metadata_types(self) -> &'static [types::MetadataType] {
        match self {
            ObjectKind::DataSource => &[types::MetadataType::LogicalTable],
            ObjectKind::Liveboard => &[types::MetadataType::PinboardAnswerBook],
            ObjectKind::Answer => &[types::MetadataType::QuestionAnswerBook],
            ObjectKind::Exportable => &[
                types::MetadataType::LogicalTable,
                types::MetadataType::QuestionAnswerBook,
                types::MetadataType::PinboardAnswerBook,
            ],
        }
    }

    /// How messages call this kind of object.
    pub fn describe(self) -> &'static str {
        match self {
            ObjectKind::DataSource => "data source (worksheet, view or table)",
            ObjectKind::Liveboard => "Liveboard",
            ObjectKind::Answer => "answer",
            ObjectKind::Exportable => "worksheet, table, view, answer or Liveboard",
        }
    }
}

/// An object found by [`Client::resolve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    /// Its GUID (lower case).
    pub id: String,
    /// Its name; for an object given by GUID, the GUID as given.
    pub name: String,
    /// `WORKSHEET`, `ONE_TO_ONE_LOGICAL` and so on, when known.
    pub subtype: Option<String>,
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn looks_like_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Client {
    /// The object `name_or_guid` stands for. A GUID is taken as it is (no call); a name is
    /// looked up among the objects of `kind` the session may see.
    pub async fn resolve(
        &self,
        kind: ObjectKind,
        name_or_guid: &str,
    ) -> Result<ObjectRef, ApiError> {
        if looks_like_guid(name_or_guid) {
            return Ok(ObjectRef {
                id: name_or_guid.to_ascii_lowercase(),
                name: name_or_guid.to_string(),
                subtype: None,
            });
        }
        let matching = self.headers(kind, Some(name_or_guid)).await?;
        match pick(name_or_guid, &matching) {
            Picked::One(header) => Ok(ObjectRef {
                id: header.id.clone(),
                name: header.name.clone(),
                subtype: header.subtype.clone(),
            }),
            Picked::Several(several) => Err(ApiError::Ambiguous {
                kind: kind.describe().to_string(),
                name: name_or_guid.to_string(),
                candidates: several
                    .iter()
                    .map(|h| match &h.subtype {
                        Some(subtype) => format!("{} ({subtype})", h.id),
                        None => h.id.clone(),
                    })
                    .collect(),
            }),
            Picked::None => {
                let all = self.headers(kind, None).await?;
                let names: Vec<&str> = all.iter().map(|h| h.name.as_str()).collect();
                Err(ApiError::NotFound {
                    kind: kind.describe().to_string(),
                    name: name_or_guid.to_string(),
                    suggestions: did_you_mean(name_or_guid, names),
                })
            }
        }
    }

    async fn headers(
        &self,
        kind: ObjectKind,
        pattern: Option<&str>,
    ) -> Result<Vec<types::MetadataHeader>, ApiError> {
        let mut found = Vec::new();
        for metadata_type in kind.metadata_types() {
            let mut request = self
                .metadata_list_object_headers()
                .type_(*metadata_type)
                .batchsize(-1);
            if let Some(pattern) = pattern {
                request = request.pattern(pattern);
            }
            found.extend(call(request.send()).await?);
        }
        Ok(found)
    }
}

enum Picked<'a> {
    None,
    One(&'a types::MetadataHeader),
    Several(Vec<&'a types::MetadataHeader>),
}

/// The candidates called `name`: exactly, or else ignoring case.
fn pick<'a>(name: &str, candidates: &'a [types::MetadataHeader]) -> Picked<'a> {
    let exact: Vec<_> = candidates.iter().filter(|c| c.name == name).collect();
    let matches = if exact.is_empty() {
        let lower = name.to_lowercase();
        candidates
            .iter()
            .filter(|c| c.name.to_lowercase() == lower)
            .collect()
    } else {
        exact
    };
    match matches.len() {
        0 => Picked::None,
        1 => Picked::One(matches[0]),
        _ => Picked::Several(matches),
    }
}

/// Up to three of `names` spelled like `wanted` (Jaro-Winkler similarity of at least 0.8,
/// ignoring case), closest first.
pub fn did_you_mean<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .into_iter()
        .map(|name| (strsim::jaro_winkler(&wanted, &name.to_lowercase()), name))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, name) in scored {
        if !out.iter().any(|seen| seen == name) {
            out.push(name.to_string());
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_recognised() {
        assert!(looks_like_guid("6a0d3c1e-5b7f-4c2a-9e41-000000000201"));
        assert!(looks_like_guid("6A0D3C1E-5B7F-4C2A-9E41-000000000201"));
        assert!(!looks_like_guid("Retail Sales"));
        assert!(!looks_like_guid("6a0d3c1e-5b7f-4c2a-9e41-00000000020"));
    }

    #[test]
    fn close_names_are_suggested() {
        let names = ["Sales Overview", "Retail Sales", "Inventory"];
        assert_eq!(did_you_mean("sales overveiw", names), ["Sales Overview"]);
        assert!(did_you_mean("zzz", names).is_empty());
    }
}
