//! Enumerations a newer ThoughtSpot release may extend (`anyOf: [enum, string]` in the spec).

use std::fmt;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, IntoDeserializer};
use serde::{Serialize, Serializer};

/// A value of the enumeration `T`, or a value a newer release added that `T` does not list.
///
/// It serialises as the plain string either way, so an unknown value read from one cluster is
/// written back unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Open<T> {
    /// One of the values this version knows.
    Known(T),
    /// Any other value, as sent.
    Unknown(String),
}

impl<T> Open<T> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Open::Known(value) => Some(value),
            Open::Unknown(_) => None,
        }
    }
}

impl<T> From<T> for Open<T> {
    fn from(value: T) -> Self {
        Open::Known(value)
    }
}

/// Compares with a known value: an unknown value equals none.
impl<T: PartialEq> PartialEq<T> for Open<T> {
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T: fmt::Display> fmt::Display for Open<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Open::Known(value) => value.fmt(f),
            Open::Unknown(value) => f.write_str(value),
        }
    }
}

/// Parses a known value, else keeps the text; never fails.
impl<T: std::str::FromStr> std::str::FromStr for Open<T> {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(text
            .parse()
            .map_or_else(|_| Open::Unknown(text.to_string()), Open::Known))
    }
}

impl<T: Serialize> Serialize for Open<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Open::Known(value) => value.serialize(serializer),
            Open::Unknown(value) => serializer.serialize_str(value),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Open<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let known = T::deserialize(
            IntoDeserializer::<serde::de::value::Error>::into_deserializer(text.as_str()),
        );
        Ok(known.map_or(Open::Unknown(text), Open::Known))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PrincipalType, Visibility, VizType};

    #[test]
    fn known_values_stay_typed_and_others_are_kept() {
        let known: Open<VizType> = serde_json::from_str("\"CHART\"").unwrap();
        assert_eq!(known, Open::Known(VizType::Chart));
        assert_eq!(known, VizType::Chart);
        let unknown: Open<PrincipalType> = serde_json::from_str("\"SAML_GROUP\"").unwrap();
        assert_eq!(unknown, Open::Unknown("SAML_GROUP".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"SAML_GROUP\"");
        assert_eq!(unknown.to_string(), "SAML_GROUP");
        let parsed: Open<Visibility> = "NON_SHARABLE".parse().unwrap();
        assert_eq!(parsed, Visibility::NonSharable);
    }

    #[test]
    fn only_strings_are_accepted() {
        assert!(serde_json::from_str::<Open<VizType>>("3").is_err());
    }
}
