//! Named request fields and their typed lookup.
//!
//! ThoughtSpot's service reads a parameter from the query string or the body alike (a servlet
//! `getParameter`), so handlers look fields up by name and never see where they came from.

use std::collections::HashSet;
use std::str::FromStr;

use super::error::ApiError;
use super::filters::{self, RuntimeFilter};
use super::lenient;

mod body;

pub use body::DEFAULT_BODY_LIMIT;

/// The request's fields in arrival order: query string first, then body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pairs: Vec<(String, String)>,
}

impl Fields {
    /// Fields of a query string (without the `?`), percent-decoded with `+` as space.
    pub fn from_query(query: Option<&str>) -> Fields {
        let mut fields = Fields::default();
        if let Some(q) = query {
            fields.extend_urlencoded(q.as_bytes());
        }
        fields
    }

    /// Fields of a POST: the query string when `merge_query`, then the body (empty,
    /// urlencoded or multipart).
    pub async fn from_request(
        headers: &http::HeaderMap,
        query: Option<&str>,
        body: axum::body::Body,
        merge_query: bool,
        limit: usize,
    ) -> Result<Fields, ApiError> {
        let mut fields = if merge_query {
            Fields::from_query(query)
        } else {
            Fields::default()
        };
        body::read_into(&mut fields, headers, body, limit).await?;
        Ok(fields)
    }

    /// Builds fields from name/value pairs, kept in the given order.
    pub fn from_pairs<N, V>(pairs: impl IntoIterator<Item = (N, V)>) -> Fields
    where
        N: Into<String>,
        V: Into<String>,
    {
        Fields {
            pairs: pairs
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        }
    }

    /// Appends one field after those already present.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((name.into(), value.into()));
    }

    fn extend_urlencoded(&mut self, raw: &[u8]) {
        // Invalid UTF-8 after percent-decoding becomes U+FFFD, as form_urlencoded does.
        self.pairs
            .extend(form_urlencoded::parse(raw).map(|(n, v)| (n.into_owned(), v.into_owned())));
    }

    /// The first value of the first name in `names` that is present; `names[0]` is the
    /// documented name, the rest are aliases.
    pub fn get(&self, names: &[&str]) -> Option<&str> {
        self.lookup(names).map(|(_, value)| value)
    }

    /// Like `get`, but also says which of `names` was found, for error messages.
    fn lookup<'n>(&self, names: &[&'n str]) -> Option<(&'n str, &str)> {
        names.iter().find_map(|&name| {
            let (_, value) = self.pairs.iter().find(|(n, _)| n == name)?;
            Some((name, value.as_str()))
        })
    }

    /// Every value of `name`, in arrival order (runtime filter values repeat `val<n>`).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    /// Each distinct field name once, in order of first arrival.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        // A set, not a scan of earlier pairs: a 32 MiB body can hold millions of fields.
        let mut seen = HashSet::new();
        self.pairs
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(move |name| seen.insert(*name))
    }

    /// Every (name, value) pair in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// A field the operation cannot do without.
    pub fn required<T: FromField>(&self, names: &[&str]) -> Result<T, ApiError> {
        self.optional(names)?.ok_or_else(|| {
            let documented = names.first().copied().unwrap_or_default();
            ApiError::bad_request(format!("Missing required parameter '{documented}'"))
        })
    }

    /// A field that may be absent; empty counts as absent unless `T` says otherwise. The first of
    /// `names` present wins; an alias sent beside it must still be a valid value (the spec declares
    /// the aliases, so a client sending nonsense under one is told so).
    pub fn optional<T: FromField>(&self, names: &[&str]) -> Result<Option<T>, ApiError> {
        let Some((name, raw)) = self.lookup(names) else {
            return Ok(None);
        };
        let parse = |name: &str, raw: &str| -> Result<Option<T>, ApiError> {
            if raw.trim().is_empty() && T::empty_is_absent() {
                return Ok(None);
            }
            T::from_field(raw).map(Some).map_err(|reason| {
                ApiError::bad_request(format!("Invalid value for parameter '{name}': {reason}"))
            })
        };
        let value = parse(name, raw)?;
        let chosen = names.iter().position(|n| *n == name).unwrap_or_default();
        for &other in &names[chosen + 1..] {
            if let Some(raw) = self.get(&[other]) {
                parse(other, raw)?;
            }
        }
        Ok(value)
    }

    /// A field with a server-side default.
    pub fn or_default<T: FromField>(
        &self,
        names: &[&str],
        default: impl FnOnce() -> T,
    ) -> Result<T, ApiError> {
        Ok(self.optional(names)?.unwrap_or_else(default))
    }

    /// The numbered `col<n>`/`op<n>`/`val<n>` runtime filters.
    pub fn runtime_filters(&self) -> Result<Vec<RuntimeFilter>, ApiError> {
        filters::collect(self)
    }
}

/// A value that can be read from the text of one field.
pub trait FromField: Sized {
    fn from_field(raw: &str) -> Result<Self, String>;

    /// Whether an empty (or blank) field counts as not sent; clients send `x=` for "unset".
    fn empty_is_absent() -> bool {
        true
    }
}

impl FromField for String {
    fn from_field(raw: &str) -> Result<Self, String> {
        Ok(raw.to_owned())
    }

    // An empty string is a real value (an empty description, an empty footer text).
    fn empty_is_absent() -> bool {
        false
    }
}

impl FromField for bool {
    fn from_field(raw: &str) -> Result<Self, String> {
        lenient::parse_bool(raw)
    }
}

impl FromField for i32 {
    fn from_field(raw: &str) -> Result<Self, String> {
        parse_integer(raw)
    }
}

impl FromField for i64 {
    fn from_field(raw: &str) -> Result<Self, String> {
        parse_integer(raw)
    }
}

fn parse_integer<T: FromStr>(raw: &str) -> Result<T, String> {
    let text = raw.trim();
    text.parse()
        .map_err(|_| format!("'{text}' is not an integer in range"))
}

impl FromField for f64 {
    fn from_field(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        match text.parse::<f64>() {
            // NaN and infinities have no JSON form, so no handler should ever see them.
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(format!("'{text}' is not a number")),
        }
    }
}

/// An enumeration value, spelled as the spec lists it (surrounding whitespace aside): request
/// enumerations are closed, and real clients send the listed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Enum<T>(pub T);

impl<T: FromStr> FromField for Enum<T> {
    fn from_field(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        text.parse()
            .map(Enum)
            .map_err(|_| format!("'{text}' is not a valid value"))
    }
}

/// A list inside one field, in any form `lenient::parse_list` accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct List<T>(pub Vec<T>);

impl<T: FromField> FromField for List<T> {
    fn from_field(raw: &str) -> Result<Self, String> {
        let items = lenient::parse_list(raw)?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                T::from_field(item).map_err(|reason| format!("list item {}: {reason}", i + 1))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(List)
    }

    // An empty field is a deliberately empty list, as `[]` is.
    fn empty_is_absent() -> bool {
        false
    }
}

/// A JSON document inside one field (for example the `principals` part of `user/sync`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromField for Json<T> {
    fn from_field(raw: &str) -> Result<Self, String> {
        serde_json::from_str(raw)
            .map(Json)
            .map_err(|e| format!("not valid JSON for this field: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    #[derive(Debug, PartialEq)]
    enum Format {
        Compact,
        Full,
    }

    impl FromStr for Format {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            match s {
                "COMPACT" => Ok(Format::Compact),
                "FULL" => Ok(Format::Full),
                _ => Err(()),
            }
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn query_is_decoded() {
        let f = Fields::from_query(Some(
            "pattern=sal%25&subtypes=%5B%22WORKSHEET%22%5D&q=a+b&empty=&flag",
        ));
        assert_eq!(f.get(&["pattern"]), Some("sal%"));
        assert_eq!(f.get(&["subtypes"]), Some("[\"WORKSHEET\"]"));
        assert_eq!(f.get(&["q"]), Some("a b"));
        assert_eq!(f.get(&["empty"]), Some(""));
        assert_eq!(f.get(&["flag"]), Some(""));
        assert!(Fields::from_query(None).is_empty());
        assert!(Fields::from_query(Some("")).is_empty());
    }

    #[test]
    fn get_prefers_documented_name_then_aliases() {
        let f = fields(&[("newpassword", "n"), ("password", "p"), ("password", "p2")]);
        assert_eq!(f.get(&["password", "newpassword"]), Some("p"));
        assert_eq!(f.get(&["objectsID", "newpassword"]), Some("n"));
        assert_eq!(f.get(&["missing"]), None);
        assert_eq!(f.get(&[]), None);
        assert!(f.contains("password") && !f.contains("Password"));
        assert_eq!(f.names().collect::<Vec<_>>(), ["newpassword", "password"]);
        assert_eq!(f.len(), 3);
    }

    #[test]
    fn required_reports_missing_and_invalid() {
        let f = fields(&[("batchsize", "ten"), ("blank", ""), ("objectid", "x")]);
        let e = f.required::<i32>(&["offset"]).unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.code(), 10002);
        assert_eq!(e.message(), "Missing required parameter 'offset'");
        let e = f.required::<i32>(&["blank"]).unwrap_err();
        assert_eq!(e.message(), "Missing required parameter 'blank'");
        let e = f.required::<i64>(&["batchsize"]).unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid value for parameter 'batchsize': 'ten' is not an integer in range"
        );
        let e = f.required::<i32>(&["objectsID", "objectid"]).unwrap_err();
        assert!(
            e.message()
                .starts_with("Invalid value for parameter 'objectid'"),
            "{e}"
        );
        let e = f.required::<String>(&["fromUserName", "from"]).unwrap_err();
        assert_eq!(e.message(), "Missing required parameter 'fromUserName'");
        let e = f.required::<String>(&[]).unwrap_err();
        assert_eq!(e.message(), "Missing required parameter ''");
    }

    #[test]
    fn strings_keep_empty_and_whitespace() {
        let f = fields(&[("footer_text", ""), ("name", " a b ")]);
        assert_eq!(f.required::<String>(&["footer_text"]).unwrap(), "");
        assert_eq!(f.required::<String>(&["name"]).unwrap(), " a b ");
        assert_eq!(f.optional::<String>(&["x"]).unwrap(), None);
    }

    #[test]
    fn scalars() {
        let f = fields(&[
            ("b", " TRUE "),
            ("n", " -1 "),
            ("big", "9999999999"),
            ("x", "2.5"),
            ("bad", "1.5"),
            ("nan", "NaN"),
            ("inf", "inf"),
            ("empty", ""),
        ]);
        assert!(f.required::<bool>(&["b"]).unwrap());
        assert_eq!(f.required::<i32>(&["n"]).unwrap(), -1);
        assert_eq!(f.required::<i64>(&["big"]).unwrap(), 9_999_999_999);
        assert!(f.required::<i32>(&["big"]).is_err());
        assert!(f.required::<i32>(&["bad"]).is_err());
        assert_eq!(f.required::<f64>(&["x"]).unwrap(), 2.5);
        assert!(f.required::<f64>(&["nan"]).is_err());
        assert!(f.required::<f64>(&["inf"]).is_err());
        assert_eq!(f.optional::<bool>(&["empty"]).unwrap(), None);
        assert_eq!(f.optional::<i64>(&["empty"]).unwrap(), None);
        assert!(f.optional::<bool>(&["n"]).is_err());
    }

    #[test]
    fn or_default_only_fills_absent() {
        let f = fields(&[("batchsize", ""), ("offset", "3"), ("bad", "x")]);
        assert_eq!(f.or_default(&["batchsize"], || -1).unwrap(), -1);
        assert_eq!(f.or_default(&["pagenumber"], || -1).unwrap(), -1);
        assert_eq!(f.or_default(&["offset"], || -1).unwrap(), 3);
        assert!(f.or_default(&["bad"], || -1).is_err());
    }

    #[test]
    fn enums_match_the_listed_spelling() {
        let f = fields(&[("a", "COMPACT"), ("b", " FULL "), ("c", "Fancy"), ("d", "")]);
        assert_eq!(
            f.required::<Enum<Format>>(&["a"]).unwrap().0,
            Format::Compact
        );
        assert_eq!(f.required::<Enum<Format>>(&["b"]).unwrap().0, Format::Full);
        assert!(
            fields(&[("l", "full")])
                .required::<Enum<Format>>(&["l"])
                .is_err()
        );
        let e = f.required::<Enum<Format>>(&["c"]).unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid value for parameter 'c': 'Fancy' is not a valid value"
        );
        assert_eq!(f.optional::<Enum<Format>>(&["d"]).unwrap(), None);
    }

    #[test]
    fn lists_of_strings_numbers_and_enums() {
        let f = fields(&[
            ("vizid", "['v1', 'v2']"),
            ("fetchids", "[\"a\"]"),
            ("subtypes", "WORKSHEET"),
            ("formats", "[COMPACT, FULL]"),
            ("nums", "[1, 2]"),
            ("badnums", "[1, x]"),
            ("empty", ""),
            ("broken", "['a"),
        ]);
        assert_eq!(
            f.required::<List<String>>(&["vizid"]).unwrap().0,
            ["v1", "v2"]
        );
        assert_eq!(f.required::<List<String>>(&["fetchids"]).unwrap().0, ["a"]);
        assert_eq!(
            f.required::<List<String>>(&["subtypes"]).unwrap().0,
            ["WORKSHEET"]
        );
        let formats = f.required::<List<Enum<Format>>>(&["formats"]).unwrap().0;
        assert_eq!(formats, [Enum(Format::Compact), Enum(Format::Full)]);
        assert_eq!(f.required::<List<i32>>(&["nums"]).unwrap().0, [1, 2]);
        let e = f.required::<List<i32>>(&["badnums"]).unwrap_err();
        assert!(
            e.message().contains("list item 2: 'x' is not an integer"),
            "{e}"
        );
        assert_eq!(
            f.required::<List<String>>(&["empty"]).unwrap().0,
            Vec::<String>::new()
        );
        let e = f.required::<List<String>>(&["broken"]).unwrap_err();
        assert!(e.message().contains("unterminated string"), "{e}");
        assert_eq!(f.optional::<List<String>>(&["absent"]).unwrap(), None);
    }

    #[test]
    fn tml_import_objects_from_python_repr() {
        let wire = "import_objects=%5B%27guid%3A+g1%5Cnanswer%3A%5Cn++name%3A+x%5Cn%27%5D\
                    &import_policy=VALIDATE_ONLY&force_create=false";
        let f = Fields::from_query(Some(wire));
        let docs = f.required::<List<String>>(&["import_objects"]).unwrap().0;
        assert_eq!(docs, ["guid: g1\nanswer:\n  name: x\n"]);
        assert!(!f.required::<bool>(&["force_create"]).unwrap());
    }

    #[test]
    fn json_fields() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Principal {
            name: String,
        }
        let f = fields(&[("principals", "[{\"name\": \"a\"}]"), ("bad", "[{")]);
        let got = f
            .required::<Json<Vec<Principal>>>(&["principals"])
            .unwrap()
            .0;
        assert_eq!(got, [Principal { name: "a".into() }]);
        let e = f.required::<Json<Vec<Principal>>>(&["bad"]).unwrap_err();
        assert!(
            e.message().contains("not valid JSON") && e.message().contains("line 1"),
            "{e}"
        );
    }

    #[test]
    fn runtime_filters_delegate() {
        let f = Fields::from_query(Some("id=lb1&col1=region&op1=eq&val1=west"));
        let got = f.runtime_filters().unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].operator, crate::wire::FilterOperator::Eq);
    }
}
