//! The one error type of the crate.

use std::fmt;

/// Why a query could not be compiled.
///
/// `message` is the sentence without the position; [`Display`](fmt::Display) appends
/// ` at position N` when the error has one, e.g. `Unknown column [salez] at position 0`, and names
/// the offending token too when the message does not (`...: <token> at position N`), so every
/// error with a position says what it found there.
/// Positions are **character** offsets (not bytes) into the query string. Errors about the
/// model (a bad formula, a join that cannot be reached) or a runtime filter have no position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchError {
    /// What went wrong, without the position.
    pub message: String,
    /// The offending token as written in the query (`[salez]`, `foo`, `'abc`), when there is one.
    pub token: Option<String>,
    /// Character offset of the token in the query.
    pub position: Option<usize>,
}

impl SearchError {
    /// An error at a token of the query.
    pub fn at(message: impl Into<String>, token: impl Into<String>, position: usize) -> Self {
        SearchError {
            message: message.into(),
            token: Some(token.into()),
            position: Some(position),
        }
    }

    /// An error with no place in the query (model, runtime filters).
    pub fn general(message: impl Into<String>) -> Self {
        SearchError {
            message: message.into(),
            token: None,
            position: None,
        }
    }
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.position, &self.token) {
            (Some(p), Some(token))
                if !token.is_empty() && !self.message.contains(token.as_str()) =>
            {
                write!(f, "{}: {token} at position {p}", self.message)
            }
            (Some(p), _) => write!(f, "{} at position {p}", self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for SearchError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_named_once() {
        let named = SearchError::at("Unknown column [x]", "[x]", 4);
        assert_eq!(named.to_string(), "Unknown column [x] at position 4");
        let unnamed = SearchError::at("Invalid value", "'abc'", 7);
        assert_eq!(unnamed.to_string(), "Invalid value: 'abc' at position 7");
        assert_eq!(SearchError::general("No place").to_string(), "No place");
    }
}
