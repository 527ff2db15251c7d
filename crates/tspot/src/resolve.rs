//! Objects named by the user: a GUID as it is, or a name looked up by the client
//! ([`tspot_client::Client::resolve`]: exact match first, then ignoring case, "did you mean"
//! when nothing matches, the GUIDs when several do); and visualizations of a Liveboard by name.

use tspot_client::{Client, ObjectKind, did_you_mean, types};

use crate::errors::{Class, CliError, Result};

/// An object the user named: its GUID and what to call it in messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub label: String,
}

/// The GUID of the object `name_or_guid` stands for.
pub async fn object(client: &Client, kind: ObjectKind, name_or_guid: &str) -> Result<Named> {
    let found = client.resolve(kind, name_or_guid).await?;
    let label = if found.name == name_or_guid {
        format!("'{name_or_guid}'")
    } else {
        format!("'{}'", found.name)
    };
    Ok(Named {
        id: found.id,
        label,
    })
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
                    let close = did_you_mean(want, names.iter().copied());
                    let hint = match close.as_slice() {
                        [] => format!("it has: {}", names.join(", ")),
                        close => format!("did you mean '{}'?", close.join("' or '")),
                    };
                    Err(CliError::new(
                        Class::NotFound,
                        format!("the Liveboard has no visualization '{want}'; {hint}"),
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

    fn viz(id: &str, name: &str) -> types::VizHeader {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "author": "u", "created": 0, "modified": 0,
            "modifiedBy": "u", "owner": "o"
        }))
        .expect("a visualization header")
    }

    #[test]
    fn visualizations_are_found_by_name_or_id() {
        let headers = [viz("a", "Sales by Region"), viz("b", "Top Products")];
        let wanted = ["top products".to_string(), "A".to_string()];
        assert_eq!(visualizations(&headers, &wanted).unwrap(), ["b", "a"]);
        let error = visualizations(&headers, &["Sales by Regoin".to_string()]).unwrap_err();
        assert_eq!(error.class, Class::NotFound);
        assert!(
            error.message.ends_with("did you mean 'Sales by Region'?"),
            "{}",
            error.message
        );
    }
}
