//! ThoughtSpot passes lists inside one string parameter as a JSON array (`["a","b"]`): `vizid`,
//! `fetchids`, `skipids`, `tagname`, `subtypes`, `export_ids`, `groupNames`, `objectsID` and
//! `import_objects`. These helpers build such strings from typed values; the setters in
//! [`params`](crate::params) call them for you (`.viz_ids(&ids)` instead of
//! `.vizid(lists::to_param(&ids))`).
//!
//! ```
//! use tspot_client::{lists, types::MetadataSubtype};
//! assert_eq!(lists::to_param(["a", "b"]), r#"["a","b"]"#);
//! assert_eq!(lists::of_enums([MetadataSubtype::Worksheet]), r#"["WORKSHEET"]"#);
//! ```

#![warn(missing_docs)]

use std::fmt::Display;

/// Encodes strings as the JSON array text ThoughtSpot expects in one parameter.
pub fn to_param<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let items: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    serde_json::Value::from(items).to_string()
}

/// Encodes enumeration values (or anything else with a wire text) as a JSON array parameter.
pub fn of_enums<I, T>(items: I) -> String
where
    I: IntoIterator<Item = T>,
    T: Display,
{
    to_param(items.into_iter().map(|item| item.to_string()))
}

/// Reads a JSON array parameter back, for code that echoes what it sent.
pub fn from_param(text: &str) -> Result<Vec<String>, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_items_with_quotes_and_commas() {
        let items = ["a,b", "say \"hi\"", "[x]"];
        assert_eq!(from_param(&to_param(items)).unwrap(), items);
    }

    #[test]
    fn empty_list_is_brackets() {
        assert_eq!(to_param(Vec::<String>::new()), "[]");
    }
}
