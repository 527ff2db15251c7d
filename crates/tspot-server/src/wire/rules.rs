//! Wire rules the spec declares on single fields (see spec/README.md, "Wire rules"); the
//! generated router parses a field through one of these when its declaration says so.

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
}
