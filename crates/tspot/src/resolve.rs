//! Objects named by the user: a GUID as it is, or a name looked up with
//! `metadata/listobjectheaders` (exact match first, then ignoring case). A name that matches
//! nothing is "not found", one that matches several is refused with their GUIDs.

use tspot_client::prelude::*;
use tspot_client::{Client, types};

use crate::errors::{Class, CliError, Result, call};

/// What kind of object a name stands for.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A worksheet, view or table: what a search runs against.
    DataSource,
    /// A Liveboard.
    Liveboard,
}

impl Kind {
    fn metadata_type(self) -> types::MetadataType {
        match self {
            Kind::DataSource => types::MetadataType::LogicalTable,
            Kind::Liveboard => types::MetadataType::PinboardAnswerBook,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::DataSource => "data source (worksheet, view or table)",
            Kind::Liveboard => "Liveboard",
        }
    }
}

/// An object the user named: its GUID and what to call it in messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub label: String,
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

/// The GUID of the object `name_or_guid` stands for.
pub async fn object(client: &Client, kind: Kind, name_or_guid: &str) -> Result<Named> {
    if looks_like_guid(name_or_guid) {
        return Ok(Named {
            id: name_or_guid.to_ascii_lowercase(),
            label: name_or_guid.to_string(),
        });
    }
    let headers = call(
        client
            .metadata_list_object_headers()
            .type_(kind.metadata_type())
            .pattern(name_or_guid)
            .batchsize(-1)
            .send(),
    )
    .await?;
    let names: Vec<(&str, &str, Option<&str>)> = headers
        .iter()
        .map(|h| (h.name.as_str(), h.id.as_str(), h.subtype.as_deref()))
        .collect();
    pick(kind, name_or_guid, &names).map(|id| Named {
        id,
        label: format!("'{name_or_guid}'"),
    })
}

/// The one candidate called `name` (exactly, or else ignoring case).
fn pick(kind: Kind, name: &str, candidates: &[(&str, &str, Option<&str>)]) -> Result<String> {
    let exact: Vec<_> = candidates.iter().filter(|c| c.0 == name).collect();
    let matches = if exact.is_empty() {
        candidates
            .iter()
            .filter(|c| c.0.to_lowercase() == name.to_lowercase())
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [] => Err(CliError::new(
            Class::NotFound,
            format!("no {} is named '{name}'", kind.describe()),
        )),
        [one] => Ok(one.1.to_string()),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|(_, id, subtype)| match subtype {
                    Some(subtype) => format!("{id} ({subtype})"),
                    None => id.to_string(),
                })
                .collect();
            Err(CliError::new(
                Class::BadRequest,
                format!(
                    "'{name}' names {} objects of that kind: {}; give the GUID instead",
                    several.len(),
                    listed.join(", ")
                ),
            ))
        }
    }
}

/// The GUIDs of the visualizations `wanted` (names or GUIDs) among a Liveboard's.
pub fn visualizations(headers: &[types::VizHeader], wanted: &[String]) -> Result<Vec<String>> {
    wanted
        .iter()
        .map(|want| {
            if let Some(header) = headers.iter().find(|h| h.id.eq_ignore_ascii_case(want)) {
                return Ok(header.id.clone());
            }
            let exact: Vec<_> = headers.iter().filter(|h| &h.name == want).collect();
            let matches = if exact.is_empty() {
                headers
                    .iter()
                    .filter(|h| h.name.to_lowercase() == want.to_lowercase())
                    .collect()
            } else {
                exact
            };
            match matches.as_slice() {
                [one] => Ok(one.id.clone()),
                [] => {
                    let names: Vec<&str> = headers.iter().map(|h| h.name.as_str()).collect();
                    Err(CliError::new(
                        Class::NotFound,
                        format!(
                            "the Liveboard has no visualization '{want}' (it has: {})",
                            names.join(", ")
                        ),
                    ))
                }
                several => {
                    let ids: Vec<&str> = several.iter().map(|h| h.id.as_str()).collect();
                    Err(CliError::new(
                        Class::BadRequest,
                        format!(
                            "'{want}' names {} visualizations: {}; give the GUID instead",
                            several.len(),
                            ids.join(", ")
                        ),
                    ))
                }
            }
        })
        .collect()
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
    fn names_pick_one_object_or_explain() {
        let candidates = [
            ("Retail Sales", "a", Some("WORKSHEET")),
            ("Retail Sales 2", "b", Some("WORKSHEET")),
            ("retail sales", "c", None),
        ];
        assert_eq!(
            pick(Kind::DataSource, "Retail Sales", &candidates).unwrap(),
            "a"
        );
        assert_eq!(
            pick(Kind::DataSource, "RETAIL SALES 2", &candidates).unwrap(),
            "b"
        );
        let error = pick(Kind::DataSource, "RETAIL SALES", &candidates).unwrap_err();
        assert_eq!(error.class, Class::BadRequest);
        assert!(
            error.message.contains("a (WORKSHEET), c"),
            "{}",
            error.message
        );
        let error = pick(Kind::Liveboard, "Nothing", &candidates).unwrap_err();
        assert_eq!(error.class, Class::NotFound);
        assert_eq!(error.message, "no Liveboard is named 'Nothing'");
    }
}
