//! `tspot objects ...`, `tspot viz ...`.

use clap::{Args, Subcommand};

use super::{ObjectSort, ObjectSubtype, ObjectType};

#[derive(Subcommand)]
pub enum ObjectsCommand {
    /// List the objects of one type that you may see.
    List(ListObjectsArgs),
}

#[derive(Args)]
pub struct ListObjectsArgs {
    /// The type of object (LIVEBOARD is short for PINBOARD_ANSWER_BOOK).
    #[arg(long = "type", value_enum, ignore_case = true, value_name = "TYPE")]
    pub object_type: ObjectType,

    /// Only these subtypes; repeat for several.
    #[arg(
        long = "subtype",
        value_enum,
        ignore_case = true,
        value_name = "SUBTYPE"
    )]
    pub subtypes: Vec<ObjectSubtype>,

    /// Only names matching this pattern (case-insensitive; `%` is the wildcard).
    #[arg(long, value_name = "PATTERN")]
    pub pattern: Option<String>,

    /// Only objects with this tag; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Sort by this field.
    #[arg(long, value_enum, ignore_case = true, value_name = "FIELD")]
    pub sort: Option<ObjectSort>,

    /// Sort descending.
    #[arg(long, requires = "sort")]
    pub descending: bool,

    /// At most this many objects.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,

    /// Skip this many objects first.
    #[arg(long, value_name = "N")]
    pub offset: Option<u32>,
}

#[derive(Subcommand)]
pub enum VizCommand {
    /// List the visualizations of a Liveboard.
    List(ListVizArgs),
}

#[derive(Args)]
pub struct ListVizArgs {
    /// The Liveboard, by name or GUID.
    #[arg(
        value_name = "PINBOARD",
        add = clap_complete::ArgValueCompleter::new(super::complete::liveboards)
    )]
    pub pinboard: String,
}
