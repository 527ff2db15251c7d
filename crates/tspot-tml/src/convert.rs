//! Conversions between the generic [`Value`] tree and the typed model.
//!
//! Reading is lenient where ThoughtSpot's own reader is (a number where a text is expected becomes
//! its text, a single item where a list is expected becomes a one-item list) and strict otherwise;
//! errors name the path of the offending field (`liveboard.layout.tiles[2].x`).

use std::fmt;

use crate::error::TmlError;
use crate::value::{Map, Number, Value};

/// Where a value sits in the document.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Reads a typed value from the generic tree.
pub(crate) trait FromValue: Sized {
    fn from_value(value: Value, path: &Path<'_>) -> Result<Self, TmlError>;
}

/// Writes a typed value to the generic tree.
pub(crate) trait ToValue {
    fn to_value(&self) -> Value;
}

/// A struct field: how an absent key reads, and whether the field writes a key at all.
pub(crate) trait Field: Sized {
    fn read(value: Option<Value>, path: &Path<'_>) -> Result<Self, TmlError>;
    fn write(&self) -> Option<Value>;
}

/// `None` is absent (or `null`) and writes no key.
impl<T: FromValue + ToValue> Field for Option<T> {
    fn read(value: Option<Value>, path: &Path<'_>) -> Result<Self, TmlError> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::from_value(v, path).map(Some),
        }
    }
    fn write(&self) -> Option<Value> {
        self.as_ref().map(ToValue::to_value)
    }
}

/// An empty list is absent and writes no key; a single item reads as a one-item list.
impl<T: FromValue + ToValue> Field for Vec<T> {
    fn read(value: Option<Value>, path: &Path<'_>) -> Result<Self, TmlError> {
        match value {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::List(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::from_value(item, &path.index(i)))
                .collect(),
            Some(single) => Ok(vec![T::from_value(single, &path.index(0))?]),
        }
    }
    fn write(&self) -> Option<Value> {
        (!self.is_empty()).then(|| Value::List(self.iter().map(ToValue::to_value).collect()))
    }
}

pub(crate) fn mismatch(path: &Path<'_>, expected: &str, found: &Value) -> TmlError {
    let shown = match found.scalar_text() {
        Some(text) if text.chars().count() <= 40 => format!(" ({text:?})"),
        Some(text) => format!(" ({:?}...)", text.chars().take(40).collect::<String>()),
        None => String::new(),
    };
    let at = match path {
        Path::Root => "the document".to_owned(),
        _ => format!("`{path}`"),
    };
    TmlError::invalid(format!(
        "{at}: expected {expected}, found {}{shown}",
        found.kind()
    ))
}

/// A mapping (a `null` reads as an empty one).
pub(crate) fn expect_map(value: Value, path: &Path<'_>) -> Result<Map, TmlError> {
    match value {
        Value::Map(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(mismatch(path, "a mapping", &other)),
    }
}

/// Puts typed fields and preserved extras into one mapping, keys in `order` first (the library's
/// dataclass order), then any remaining keys in the order they were read.
pub(crate) fn merge_ordered(mut typed: Map, extra: &Map, order: &[&str]) -> Value {
    let mut out = Map::with_capacity(typed.len() + extra.len());
    for &key in order {
        if let Some(v) = typed.shift_remove(key) {
            out.insert(key.to_owned(), v);
        } else if let Some(v) = extra.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    out.extend(typed);
    for (k, v) in extra {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Map(out)
}

impl FromValue for Value {
    fn from_value(value: Value, _: &Path<'_>) -> Result<Self, TmlError> {
        Ok(value)
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl FromValue for String {
    fn from_value(value: Value, path: &Path<'_>) -> Result<Self, TmlError> {
        match value {
            Value::String(s) => Ok(s),
            other => other
                .scalar_text()
                .ok_or_else(|| mismatch(path, "a text", &other)),
        }
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FromValue for bool {
    fn from_value(value: Value, path: &Path<'_>) -> Result<Self, TmlError> {
        match &value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(mismatch(path, "true or false", &value)),
        }
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromValue for i32 {
    fn from_value(value: Value, path: &Path<'_>) -> Result<Self, TmlError> {
        let n = match &value {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        n.and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| mismatch(path, "a whole number (32 bits)", &value))
    }
}

impl ToValue for i32 {
    fn to_value(&self) -> Value {
        Value::Number((*self).into())
    }
}

impl FromValue for f64 {
    fn from_value(value: Value, path: &Path<'_>) -> Result<Self, TmlError> {
        let n = match &value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        };
        n.ok_or_else(|| mismatch(path, "a number", &value))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}
