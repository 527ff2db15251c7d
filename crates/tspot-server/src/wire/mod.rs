//! Hand-written runtime the generated router calls into: turning raw HTTP requests into typed
//! values the way ThoughtSpot's v1 service (and the clients written against it) expect, and
//! turning failures into ThoughtSpot's error body.

pub mod error;
pub mod fields;
pub mod filters;
pub mod lenient;
pub mod rules;

pub use error::ApiError;
pub use fields::{DEFAULT_BODY_LIMIT, Enum, Fields, FromField, Json, List};
pub use filters::{FilterOperator, RuntimeFilter};
pub use rules::{BlankProperties, JsonBlankIsAbsent, ListOfOne, NonBlank};
