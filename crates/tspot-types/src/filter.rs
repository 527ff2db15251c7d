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
    /// Every operator, in the spec's order. (A value the spec adds fails to compile in
    /// [`RuntimeFilterOperator::arity`] until it is listed here too.)
    pub const ALL: [RuntimeFilterOperator; 14] = [
        Self::Eq,
        Self::Ne,
        Self::Lt,
        Self::Le,
        Self::Gt,
        Self::Ge,
        Self::Contains,
        Self::BeginsWith,
        Self::EndsWith,
        Self::BwIncMax,
        Self::BwIncMin,
        Self::BwInc,
        Self::Bw,
        Self::In,
    ];

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
        Self::ALL
            .into_iter()
            .find(|op| op.to_string().eq_ignore_ascii_case(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_parses_in_any_case_and_has_its_arity() {
        for op in RuntimeFilterOperator::ALL {
            let name = op.to_string();
            assert_eq!(name.parse::<RuntimeFilterOperator>().ok(), Some(op));
            assert_eq!(
                RuntimeFilterOperator::parse_any_case(&name.to_lowercase()),
                Some(op)
            );
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
