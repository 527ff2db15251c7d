//! End-to-end tests: the generated client talks over real TCP to the generated router, backed by a
//! small in-test implementation of the trait. One module per API area.

mod fake;
mod harness;

mod data;
mod docs;
mod group;
mod metadata;
mod router;
mod session;
mod spec;
mod tml;
mod user;

mod reference;
