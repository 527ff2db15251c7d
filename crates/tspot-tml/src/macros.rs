//! Declarative macros that give every TML struct and enum the same reading, writing and serde
//! behaviour.

/// A TML message: typed `Option`/`Vec` fields under their TML keys, plus `extra` for every key
/// not typed here. `order` lists the fields of the thoughtspot-tml dataclass named after the `/`,
/// in its order; writing follows it (typed and extra keys alike), then appends unknown keys.
macro_rules! tml_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $lib:literal {
            $( $(#[$fmeta:meta])* $key:literal => $field:ident : $ty:ty, )*
        }
        order: [$($order:literal),* $(,)?]
    ) => {
        $(#[$meta])*
        #[doc = ""]
        #[doc = concat!("Mirrors thoughtspot-tml's `", $lib, "`.")]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* #[doc = concat!("TML key `", $key, "`.")] pub $field: $ty, )*
            /// Keys not typed above, verbatim and in document order; written back in the library's
            /// field order, unknown keys last.
            pub extra: $crate::value::Map,
        }

        impl $name {
            /// The fields of the library's dataclass, in its (and ThoughtSpot's) order.
            pub const FIELD_ORDER: &'static [&'static str] = &[$($order),*];
            /// The keys this struct types.
            pub const TYPED_KEYS: &'static [&'static str] = &[$($key),*];
        }

        impl $crate::convert::FromValue for $name {
            fn from_value(
                value: $crate::value::Value,
                path: &$crate::convert::Path<'_>,
            ) -> Result<Self, $crate::error::TmlError> {
                #[allow(unused_mut)]
                let mut map = $crate::convert::expect_map(value, path)?;
                Ok($name {
                    $( $field: $crate::convert::Field::read(map.shift_remove($key), &path.key($key))?, )*
                    extra: map,
                })
            }
        }

        impl $crate::convert::ToValue for $name {
            fn to_value(&self) -> $crate::value::Value {
                #[allow(unused_mut)]
                let mut typed = $crate::value::Map::new();
                $(
                    if let Some(v) = $crate::convert::Field::write(&self.$field) {
                        typed.insert($key.to_owned(), v);
                    }
                )*
                $crate::convert::merge_ordered(typed, &self.extra, Self::FIELD_ORDER)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&$crate::convert::ToValue::to_value(self), serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$crate::value::Value as serde::Deserialize>::deserialize(deserializer)?;
                $crate::convert::FromValue::from_value(value, &$crate::convert::Path::Root)
                    .map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A ThoughtSpot enumeration written as text. Values this crate does not know read as `Other`
/// and are written back unchanged, so newer exports still load.
macro_rules! tml_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant, )*
            /// A value not known to this crate, as written.
            Other(String),
        }

        impl $name {
            /// Every value this crate knows, as ThoughtSpot writes it.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];

            /// The value as ThoughtSpot writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match $name::from(text.as_str()) {
                    $name::Other(_) => $name::Other(text),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::convert::FromValue for $name {
            fn from_value(
                value: $crate::value::Value,
                path: &$crate::convert::Path<'_>,
            ) -> Result<Self, $crate::error::TmlError> {
                <String as $crate::convert::FromValue>::from_value(value, path).map($name::from)
            }
        }

        impl $crate::convert::ToValue for $name {
            fn to_value(&self) -> $crate::value::Value {
                $crate::value::Value::String(self.as_str().to_owned())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map($name::from)
            }
        }
    };
}
