//! ThoughtSpot Modeling Language (TML) documents for `table`, `worksheet`, `answer` and
//! `liveboard` (also read from the legacy `pinboard` key): read from YAML or JSON, written back
//! as YAML or JSON.
//!
//! The model mirrors the field names, types and nesting of the `thoughtspot-tml` Python library
//! (its dataclasses are generated from ThoughtSpot's EDoc protobuf). Fields the model does not
//! type are kept in each struct's `extra` map and written back, so nothing is lost. Writing is
//! deterministic: `guid` first, then `obj_id`, then the object key; inside objects the library's
//! field order; absent optional fields and empty lists are omitted.
//!
//! ```
//! let doc = tspot_tml::parse("guid: 1b2c\ntable:\n  name: dim_store\n").unwrap();
//! assert_eq!(doc.object.type_name(), "table");
//! assert_eq!(doc.object.name(), "dim_store");
//! assert_eq!(tspot_tml::to_yaml(&doc), "guid: 1b2c\ntable:\n  name: dim_store\n");
//! assert_eq!(tspot_tml::to_json(&doc), r#"{"guid": "1b2c", "table": {"name": "dim_store"}}"#);
//! ```

#[macro_use]
mod macros;

mod convert;
mod document;
pub mod enums;
mod error;
mod json;
pub mod model;
mod parse;
pub mod value;
mod yaml;

pub use document::{Document, Object, SUPPORTED_TYPES, UNSUPPORTED_TYPES};
pub use enums::*;
pub use error::{TmlError, TmlErrorKind};
pub use model::answer::{
    Answer, AnswerColumn, AxisConfig, ChartColumn, ChartViz, TableViz, TableVizColumn,
};
pub use model::common::{
    ColumnProperties, Filter, Formula, FormulaProperties, Identity, Join, JoinPath, Relation,
    TablePath,
};
pub use model::liveboard::{Layout, Liveboard, Tab, Tile, Visualization};
pub use model::table::{DbColumnProperties, Table, TableColumn};
pub use model::worksheet::{Worksheet, WorksheetColumn, WorksheetProperties};
pub use value::{Map, Value};

/// Reads a TML document from YAML or JSON text.
///
/// Errors: YAML/JSON syntax (with line and column), a top level that is not a mapping or has no
/// object key, several object keys, an object type this crate does not model (`view`,
/// `sql_view`, `model`, `cohort`, `connection`), or a field of the wrong shape (the message names
/// its path).
pub fn parse(text: &str) -> Result<Document, TmlError> {
    let value = parse::parse_value(text)?;
    Document::from_value(value).map_err(|err| {
        let key = match &err.kind {
            TmlErrorKind::UnsupportedType(key) => Some(key.as_str()),
            TmlErrorKind::SeveralObjects(keys) => keys.get(1).map(String::as_str),
            _ => None,
        };
        match key {
            Some(key) => {
                let position = parse::top_level_key(text, key);
                err.at(position)
            }
            None => err,
        }
    })
}

/// Writes a document as YAML in the style of ThoughtSpot's exports (ends with a newline).
pub fn to_yaml(doc: &Document) -> String {
    yaml::emit(&doc.to_value())
}

/// Writes a document as one line of JSON, as in a `formattype=JSON` export's `edoc`.
pub fn to_json(doc: &Document) -> String {
    json::emit(&doc.to_value())
}
