//! The one error type of the crate.

use std::fmt;

/// What went wrong, for callers that map errors to their own codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TmlErrorKind {
    /// The text is not valid YAML or JSON (`line` and `column` are set).
    Syntax,
    /// The top level is not a mapping, or it has none of the object keys.
    NoObject,
    /// More than one object key (for example both `table` and `answer`).
    SeveralObjects(Vec<String>),
    /// An object type ThoughtSpot has but this crate does not model (`view`, `model`, ...).
    UnsupportedType(String),
    /// A field has the wrong shape (a list where a text is expected, ...); the message names its path.
    Invalid,
}

/// An error reading a TML document.
///
/// `line` and `column` are 1-based and point into the text given to [`crate::parse`]; they are set
/// for syntax errors and, where the key can be found, for errors about the top-level object key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub kind: TmlErrorKind,
}

impl TmlError {
    pub(crate) fn new(kind: TmlErrorKind, message: impl Into<String>) -> Self {
        TmlError {
            message: message.into(),
            line: None,
            column: None,
            kind,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(TmlErrorKind::Invalid, message)
    }

    pub(crate) fn at(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }
}

impl fmt::Display for TmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{} (line {line}, column {column})", self.message)
            }
            (Some(line), None) => write!(f, "{} (line {line})", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TmlError {}
