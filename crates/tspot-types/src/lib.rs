//! Model types of the ThoughtSpot REST API v1, shared by `tspot-client` and `tspot-server`.
//!
//! Everything but [`Open`] and the runtime filter operators' [`Arity`] is generated from
//! `spec/thoughtspot-v1.yaml` by `cargo xtask codegen` (progenitor's type space): one type per
//! schema of the spec's `components/schemas`, a builder for each structure in [`builder`], and
//! for each enumeration `Display`/`FromStr` in the wire spelling and its `VALUES`. The client and
//! the server use these types, never copies of them.
//!
//! Enumerations that a newer ThoughtSpot release may extend are [`Open`] where a response carries
//! them (`Principal::principal_type_enum`, `Principal::visibility`, `VizHeader::viz_type`), so a
//! value this version does not know is kept instead of failing the whole response:
//!
//! ```
//! use tspot_types::{Open, VizHeader, VizType};
//!
//! let header: VizHeader = serde_json::from_value(serde_json::json!({
//!     "id": "4a7d6c4e-0d4f-4b5d-9b7e-2a5b9c8d7e6f",
//!     "name": "Revenue",
//!     "author": "67e15c06-d153-4924-a4cd-ff615393b60f",
//!     "created": 1600028569951i64,
//!     "modified": 1600029455591i64,
//!     "modifiedBy": "67e15c06-d153-4924-a4cd-ff615393b60f",
//!     "owner": "0f7af46f-e48c-4cca-b60f-d63d5ddbe59f",
//!     "vizType": "SANKEY_3D"
//! }))
//! .unwrap();
//! assert_eq!(header.viz_type, Some(Open::Unknown("SANKEY_3D".into())));
//! assert_ne!(header.viz_type.unwrap(), VizType::Chart);
//! ```

// Formatted by prettyplease in `cargo xtask codegen`, never by rustfmt.
#[rustfmt::skip]
#[allow(clippy::all)]
mod generated;
mod filter;
mod open;

pub use filter::Arity;
pub use generated::*;
pub use open::Open;
