//! Where the data of tables lives: connections to databases, and the engine that queries them.

pub mod cache;
pub mod demo;
pub mod engine;
pub mod install;
