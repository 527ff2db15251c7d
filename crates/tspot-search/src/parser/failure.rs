//! Parse failures: where the parse stopped and why, turned into a [`SearchError`] that names
//! the token and its character position.

use winnow::error::{AddContext, ErrMode, Needed, ParserError};
use winnow::stream::Stream;

use super::Tokens;
use crate::error::SearchError;
use crate::lexer::{Tok, Token};

/// Words the grammar knows (an unknown word is reported as an unknown keyword).
pub(super) const KEYWORDS: &[&str] = &[
    "sum",
    "average",
    "avg",
    "count",
    "unique",
    "min",
    "minimum",
    "max",
    "maximum",
    "standard",
    "deviation",
    "variance",
    "top",
    "bottom",
    "sort",
    "by",
    "ranked",
    "for",
    "each",
    "ascending",
    "descending",
    "asc",
    "desc",
    "between",
    "and",
    "not",
    "contains",
    "begins",
    "ends",
    "with",
    "before",
    "after",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "this",
    "ago",
    "to",
    "date",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "quarter",
    "quarters",
    "year",
    "years",
    "of",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
    "true",
    "false",
];

/// Keywords of the product's language this implementation does not support.
pub(super) const UNSUPPORTED: &[&str] = &[
    "growth",
    "vs",
    "versus",
    "similar",
    "calendar",
    "detailed",
    "year-over-year",
    "all",
    "hour",
    "hours",
    "minute",
    "minutes",
    "median",
    "percentile",
];

/// Why a parse failed: where (as the number of tokens left) and, for a phrase cut short,
/// what was expected.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseFailure {
    pub(super) remaining: usize,
    pub(super) expected: Option<&'static str>,
    pub(super) message: Option<String>,
}

impl<'t> ParserError<Tokens<'t>> for ParseFailure {
    type Inner = Self;

    fn from_input(input: &Tokens<'t>) -> Self {
        ParseFailure {
            remaining: input.eof_offset(),
            expected: None,
            message: None,
        }
    }

    fn incomplete(input: &Tokens<'t>, _needed: Needed) -> Self {
        Self::from_input(input)
    }

    fn or(self, other: Self) -> Self {
        // Keep the failure that got furthest.
        if other.remaining < self.remaining
            || (other.remaining == self.remaining && self.expected.is_none())
        {
            other
        } else {
            self
        }
    }

    fn into_inner(self) -> Result<Self::Inner, Self> {
        Ok(self)
    }
}

impl<'t> AddContext<Tokens<'t>, &'static str> for ParseFailure {
    fn add_context(
        mut self,
        _input: &Tokens<'t>,
        _token_start: &<Tokens<'t> as Stream>::Checkpoint,
        context: &'static str,
    ) -> Self {
        // The innermost context is the most precise one.
        if self.expected.is_none() && self.message.is_none() {
            self.expected = Some(context);
        }
        self
    }
}

pub(super) fn backtrack(i: &Tokens<'_>) -> ErrMode<ParseFailure> {
    ErrMode::Backtrack(ParseFailure::from_input(i))
}

/// The error for a failed parse: the token it stopped at, and why.
pub(super) fn describe(e: ParseFailure, query: &str, tokens: &[Token]) -> SearchError {
    let index = tokens.len().saturating_sub(e.remaining);
    let Some(t) = tokens.get(index) else {
        let message = match (e.message, e.expected) {
            (Some(m), _) => m,
            (None, Some(expected)) => format!("Expected {expected} but the query ended"),
            (None, None) => "Unexpected end of the query".to_string(),
        };
        return SearchError {
            message,
            token: None,
            position: Some(query.chars().count()),
        };
    };
    if let Some(message) = e.message {
        return SearchError::at(message, t.raw.clone(), t.pos);
    }
    if let Some(expected) = e.expected {
        return SearchError::at(
            format!("Expected {expected}, found {}", t.raw),
            t.raw.clone(),
            t.pos,
        );
    }
    let message = match &t.tok {
        Tok::Word(w) if KEYWORDS.contains(&w.as_str()) => format!("Unexpected keyword '{}'", t.raw),
        Tok::Word(_) => format!("Unknown keyword '{}'", t.raw),
        Tok::Str(_) | Tok::Num(_) => {
            format!("Unexpected value {}: a value must follow a column", t.raw)
        }
        Tok::Op(_) => format!(
            "Unexpected operator '{}': an operator must follow a column",
            t.raw
        ),
        Tok::Column(_) => format!("Unexpected column {}", t.raw),
        Tok::Comma | Tok::Dot => format!("Unexpected '{}'", t.raw),
    };
    SearchError::at(message, t.raw.clone(), t.pos)
}
