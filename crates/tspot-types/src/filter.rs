//! What the spec's prose says of [`RuntimeFilterOperator`] and the enumeration cannot: how
//! many values each operator takes, and that the server reads `op<n>` in any case.

use std::fmt;

use crate::RuntimeFilterOperator;

/// How many values (`val<n>`) an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arity {
    /// Exactly one.
    One,
    /// Exactly two (a range).
    Two,
    /// One or more.
    AtLeastOne,
}

impl Arity {
    /// Whether `count` values fit.
    pub fn accepts(self, count: usize) -> bool {
        match self {
            Arity::One => count == 1,
            Arity::Two => count == 2,
            Arity::AtLeastOne => count >= 1,
        }
    }
}

impl fmt::Display for Arity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arity::One => "exactly 1 value",
            Arity::Two => "exactly 2 values",
            Arity::AtLeastOne => "at least 1 value",
        })
    }
}

impl RuntimeFilterOperator {
    /// How many values the operator takes.
    pub fn arity(self) -> Arity {
        match self {
            Self::Eq
            | Self::Ne
            | Self::Lt
            | Self::Le
            | Self::Gt
            | Self::Ge
            | Self::Contains
            | Self::BeginsWith
            | Self::EndsWith => Arity::One,
            Self::BwIncMax | Self::BwIncMin | Self::BwInc | Self::Bw => Arity::Two,
            Self::In => Arity::AtLeastOne,
        }
    }

    /// The operator named by `text` in any case, around spaces (`" begins_with "`), as the
    /// server reads `op<n>`; the wire spelling is the `Display` one.
    pub fn parse_any_case(text: &str) -> Option<RuntimeFilterOperator> {
        let text = text.trim();
        Self::VALUES
            .iter()
            .find(|value| value.eq_ignore_ascii_case(text))
            .and_then(|value| value.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_parses_in_any_case_and_has_its_arity() {
        assert_eq!(RuntimeFilterOperator::VALUES.len(), 14);
        for name in RuntimeFilterOperator::VALUES {
            let op = RuntimeFilterOperator::parse_any_case(&name.to_lowercase()).unwrap();
            assert_eq!(op.to_string(), name);
            // Every operator has its arity (the match is exhaustive).
            assert!(op.arity().accepts(2) || op.arity().accepts(1));
        }
        assert_eq!(
            RuntimeFilterOperator::parse_any_case(" begins_with "),
            Some(RuntimeFilterOperator::BeginsWith)
        );
        assert_eq!(RuntimeFilterOperator::parse_any_case("LIKE"), None);
        assert_eq!(RuntimeFilterOperator::parse_any_case(""), None);
        assert_eq!(RuntimeFilterOperator::Bw.arity(), Arity::Two);
        assert_eq!(RuntimeFilterOperator::In.arity(), Arity::AtLeastOne);
        assert!(Arity::AtLeastOne.accepts(3) && !Arity::AtLeastOne.accepts(0));
        assert!(Arity::Two.accepts(2) && !Arity::Two.accepts(1));
    }
}
