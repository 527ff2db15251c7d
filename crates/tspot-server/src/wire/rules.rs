//! Wire rules the spec declares on single fields (see spec/README.md, "Wire rules"); the
//! generated router parses a field through one of these when its declaration says so.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::fields::FromField;
use super::lenient;

/// Text where a blank value counts as not sent (`x-tspot-blank-is-absent`): scripts and HTML
/// forms send `name=` for a field they leave empty, which must then take the field's default (or
/// be refused as missing when the field is required) rather than be taken as an empty value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NonBlank(pub String);

impl FromField for NonBlank {
    fn from_field(raw: &str) -> Result<Self, String> {
        Ok(NonBlank(raw.to_owned()))
    }

    fn empty_is_absent() -> bool {
        true
    }
}

/// One value that may also arrive as a list holding just it (`x-tspot-list-of-one`), in any form
/// `x-tspot-lenient-list` accepts: `g`, `["g"]`, `['g']` or `[g]`. The product documentation's
/// example of `searchdata`'s `data_source_guid` is `["4fdf9d2c-..."]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ListOfOne<T>(pub T);

impl<T: FromField> FromField for ListOfOne<T> {
    fn from_field(raw: &str) -> Result<Self, String> {
        match lenient::parse_list(raw)?.as_slice() {
            [one] => T::from_field(one).map(ListOfOne),
            [] => Err("an empty list holds no value".into()),
            many => Err(format!("one value expected, not a list of {}", many.len())),
        }
    }

    // `[]` is refused, but a blank field is simply not sent.
    fn empty_is_absent() -> bool {
        true
    }
}

/// The properties of a JSON document's objects whose blank text counts as not sent (a property
/// of the document's schema declared `x-tspot-blank-is-absent`).
pub trait BlankProperties {
    const NAMES: &'static [&'static str];
}

/// A JSON document (`x-tspot-json`) read like [`super::Json`], after removing every property
/// named by `P` whose value is blank text from the document's objects (the document itself, or
/// each item of a list): a principals file converted from a spreadsheet says `"mail": ""` for a
/// user without one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct JsonBlankIsAbsent<T, P>(pub T, PhantomData<P>);

impl<T: DeserializeOwned, P: BlankProperties> FromField for JsonBlankIsAbsent<T, P> {
    fn from_field(raw: &str) -> Result<Self, String> {
        let invalid = |e: serde_json::Error| format!("not valid JSON for this field: {e}");
        let mut document: Value = serde_json::from_str(raw).map_err(invalid)?;
        match &mut document {
            Value::Array(items) => items.iter_mut().for_each(drop_blanks::<P>),
            object => drop_blanks::<P>(object),
        }
        serde_json::from_value(document)
            .map(|value| JsonBlankIsAbsent(value, PhantomData))
            .map_err(invalid)
    }
}

fn drop_blanks<P: BlankProperties>(value: &mut Value) {
    if let Value::Object(object) = value {
        object.retain(|name, value| {
            let blank = value.as_str().is_some_and(|text| text.trim().is_empty());
            !(blank && P::NAMES.contains(&name.as_str()))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Fields;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn blank_text_is_absent_for_non_blank_fields_only() {
        let f = fields(&[("id", " "), ("email", ""), ("name", " a ")]);
        assert_eq!(f.optional::<NonBlank>(&["id"]).unwrap(), None);
        assert_eq!(f.optional::<NonBlank>(&["email"]).unwrap(), None);
        // Only blankness is judged; a value keeps its spaces.
        assert_eq!(
            f.optional::<NonBlank>(&["name"]).unwrap(),
            Some(NonBlank(" a ".into()))
        );
        // The same fields read as plain text keep the empty value.
        assert_eq!(
            f.optional::<String>(&["email"]).unwrap(),
            Some(String::new())
        );
        let e = f.required::<NonBlank>(&["id"]).unwrap_err();
        assert_eq!(e.message(), "Missing required parameter 'id'");
    }

    #[test]
    fn a_value_or_a_list_of_exactly_one() {
        let guid = "4fdf9d2c-6f34-4e3b-9fa6-bd0ca69676e1";
        for raw in [
            guid.to_string(),
            format!("[\"{guid}\"]"),
            format!("['{guid}']"),
            format!("[{guid}]"),
            format!(" [ \"{guid}\" ] "),
        ] {
            let f = fields(&[("data_source_guid", &raw)]);
            let got = f.required::<ListOfOne<String>>(&["data_source_guid"]);
            assert_eq!(got.unwrap().0, guid, "{raw}");
        }
        let f = fields(&[("two", "[\"a\",\"b\"]"), ("none", "[]"), ("blank", " ")]);
        let e = f.required::<ListOfOne<String>>(&["two"]).unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid value for parameter 'two': one value expected, not a list of 2"
        );
        let e = f.required::<ListOfOne<String>>(&["none"]).unwrap_err();
        assert!(e.message().contains("an empty list holds no value"), "{e}");
        let e = f.required::<ListOfOne<String>>(&["blank"]).unwrap_err();
        assert_eq!(e.message(), "Missing required parameter 'blank'");
    }

    #[test]
    fn blank_properties_of_json_documents_are_absent() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Principal {
            name: String,
            mail: Option<String>,
        }
        #[derive(Debug)]
        struct Mail;
        impl BlankProperties for Mail {
            const NAMES: &'static [&'static str] = &["mail"];
        }
        type Doc<T> = JsonBlankIsAbsent<T, Mail>;
        let f = fields(&[
            (
                "list",
                r#"[{"name": " ", "mail": " "}, {"name": "b", "mail": "b@x"}]"#,
            ),
            ("one", r#"{"name": "", "mail": ""}"#),
            ("bad", r#"[{"name": 1}]"#),
        ]);
        let got = f.required::<Doc<Vec<Principal>>>(&["list"]).unwrap().0;
        // Only the declared property: a blank name stays for the operation to refuse.
        assert_eq!(
            got,
            [
                Principal {
                    name: " ".into(),
                    mail: None
                },
                Principal {
                    name: "b".into(),
                    mail: Some("b@x".into())
                },
            ]
        );
        let got = f.required::<Doc<Principal>>(&["one"]).unwrap().0;
        assert_eq!(
            got,
            Principal {
                name: String::new(),
                mail: None
            }
        );
        let e = f.required::<Doc<Vec<Principal>>>(&["bad"]).unwrap_err();
        assert!(e.message().contains("not valid JSON for this field"), "{e}");
    }
}
