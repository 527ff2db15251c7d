//! A whole TML document: identifiers plus exactly one object.

use crate::convert::{Field, FromValue, Path, ToValue};
use crate::error::{TmlError, TmlErrorKind};
use crate::model::answer::Answer;
use crate::model::liveboard::Liveboard;
use crate::model::table::Table;
use crate::model::worksheet::Worksheet;
use crate::value::{Map, Value};

/// Object keys this crate models.
pub const SUPPORTED_TYPES: &[&str] = &["table", "worksheet", "answer", "liveboard", "pinboard"];

/// Object keys ThoughtSpot has that this crate reads only to reject them.
pub const UNSUPPORTED_TYPES: &[&str] = &["view", "sql_view", "model", "cohort", "connection"];

/// The object of a document.
// Unboxed for easy matching; a process holds few documents at a time.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Table(Table),
    Worksheet(Worksheet),
    Answer(Answer),
    Liveboard(Liveboard),
}

impl Object {
    /// The object's `name` (empty when it has none).
    pub fn name(&self) -> &str {
        let name = match self {
            Object::Table(o) => &o.name,
            Object::Worksheet(o) => &o.name,
            Object::Answer(o) => &o.name,
            Object::Liveboard(o) => &o.name,
        };
        name.as_deref().unwrap_or("")
    }

    /// `"table"`, `"worksheet"`, `"answer"` or `"liveboard"` (also for a legacy `pinboard`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Object::Table(_) => "table",
            Object::Worksheet(_) => "worksheet",
            Object::Answer(_) => "answer",
            Object::Liveboard(_) => "liveboard",
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Object::Table(o) => o.to_value(),
            Object::Worksheet(o) => o.to_value(),
            Object::Answer(o) => o.to_value(),
            Object::Liveboard(o) => o.to_value(),
        }
    }
}

/// A TML document: `guid` and/or `obj_id`, one object, and any other top-level keys verbatim.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub guid: Option<String>,
    pub obj_id: Option<String>,
    /// The object; a liveboard read from the legacy `pinboard` key is written back as
    /// `liveboard` (thoughtspot-tml cannot load `pinboard` from JSON text).
    pub object: Object,
    /// Other top-level keys, verbatim, written after the object.
    pub extra: Map,
}

impl Document {
    /// A document with no identifiers around `object`.
    pub fn new(object: Object) -> Self {
        Document {
            guid: None,
            obj_id: None,
            object,
            extra: Map::new(),
        }
    }

    /// The file name ThoughtSpot gives the document on export: `<name>.<type>.tml`.
    pub fn file_name(&self) -> String {
        format!("{}.{}.tml", self.object.name(), self.object.type_name())
    }

    /// The document as a generic value tree, keys in write order.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        if let Some(v) = self.guid.write() {
            map.insert("guid".to_owned(), v);
        }
        if let Some(v) = self.obj_id.write() {
            map.insert("obj_id".to_owned(), v);
        }
        map.insert(self.object.type_name().to_owned(), self.object.to_value());
        for (k, v) in &self.extra {
            if !map.contains_key(k) {
                map.insert(k.clone(), v.clone());
            }
        }
        Value::Map(map)
    }

    /// Reads a document from a generic value tree (see [`crate::parse`] for the errors).
    pub fn from_value(value: Value) -> Result<Self, TmlError> {
        let root = Path::Root;
        let mut map = match value {
            Value::Map(map) => map,
            Value::Null => {
                return Err(TmlError::new(
                    TmlErrorKind::NoObject,
                    "the document is empty: a TML document is a mapping with a `guid` and one object key",
                ));
            }
            other => {
                return Err(TmlError::new(
                    TmlErrorKind::NoObject,
                    format!(
                        "a TML document is a mapping with a `guid` and one object key, found {}",
                        other.kind()
                    ),
                ));
            }
        };
        let keys: Vec<String> = map
            .keys()
            .filter(|k| {
                SUPPORTED_TYPES.contains(&k.as_str()) || UNSUPPORTED_TYPES.contains(&k.as_str())
            })
            .cloned()
            .collect();
        let key = match keys.as_slice() {
            [] => {
                return Err(TmlError::new(
                    TmlErrorKind::NoObject,
                    "no TML object key: expected one of `table`, `worksheet`, `answer`, `liveboard` (or the legacy `pinboard`)",
                ));
            }
            [one] => one.clone(),
            several => {
                let list = several
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(TmlError::new(
                    TmlErrorKind::SeveralObjects(several.to_vec()),
                    format!("several TML object keys ({list}): a document has exactly one"),
                ));
            }
        };
        if UNSUPPORTED_TYPES.contains(&key.as_str()) {
            return Err(TmlError::new(
                TmlErrorKind::UnsupportedType(key.clone()),
                format!(
                    "unsupported TML type `{key}`: only `table`, `worksheet`, `answer` and `liveboard` (or `pinboard`) are supported"
                ),
            ));
        }
        let guid = Field::read(map.shift_remove("guid"), &root.key("guid"))?;
        let obj_id = Field::read(map.shift_remove("obj_id"), &root.key("obj_id"))?;
        let body = map.shift_remove(&key).unwrap_or_default();
        let path = root.key(&key);
        let object = match key.as_str() {
            "table" => Object::Table(Table::from_value(body, &path)?),
            "worksheet" => Object::Worksheet(Worksheet::from_value(body, &path)?),
            "answer" => Object::Answer(Answer::from_value(body, &path)?),
            _ => Object::Liveboard(Liveboard::from_value(body, &path)?),
        };
        Ok(Document {
            guid,
            obj_id,
            object,
            extra: map,
        })
    }
}

impl serde::Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.to_value(), serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
        Document::from_value(value).map_err(serde::de::Error::custom)
    }
}
