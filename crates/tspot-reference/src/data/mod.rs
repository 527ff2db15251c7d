//! Where the data of tables lives: connections to databases, and the engines that query them.

pub mod cache;
pub mod demo;
pub mod engine;
pub mod engines;
pub mod error;
pub mod install;
pub mod postgres;
