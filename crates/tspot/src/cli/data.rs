//! `tspot search`, `tspot pinboard ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{PdfLayout, PdfOrientation};

#[derive(Args)]
pub struct SearchArgs {
    /// The query, in ThoughtSpot's search language: columns in square brackets, text values in
    /// single quotes, e.g. "[Sales] [Region] [Region] = 'west'".
    #[arg(value_name = "QUERY")]
    pub query: String,

    /// The worksheet, view or table to search, by name or GUID.
    #[arg(
        long,
        value_name = "NAME_OR_GUID",
        add = clap_complete::ArgValueCompleter::new(super::complete::data_sources)
    )]
    pub source: String,

    /// At most this many rows.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,

    /// Skip this many rows first.
    #[arg(long, value_name = "N")]
    pub offset: Option<u32>,
}

#[derive(Subcommand)]
pub enum PinboardCommand {
    /// Print the data behind a Liveboard's visualizations, one table per visualization.
    ///
    /// CSV output has one block per visualization, separated by an empty line: pick one
    /// visualization with --viz for a plain CSV file.
    Data(PinboardDataArgs),

    /// Save a Liveboard as PDF.
    Pdf(PinboardPdfArgs),
}

#[derive(Args)]
pub struct PinboardDataArgs {
    /// The Liveboard, by name or GUID.
    #[arg(
        value_name = "PINBOARD",
        add = clap_complete::ArgValueCompleter::new(super::complete::liveboards)
    )]
    pub pinboard: String,

    /// Only this visualization, by name or GUID; repeat for several.
    #[arg(long = "viz", value_name = "VIZ")]
    pub vizzes: Vec<String>,

    /// At most this many rows per visualization.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,

    /// Skip this many rows of each visualization first.
    #[arg(long, value_name = "N")]
    pub offset: Option<u32>,

    /// A runtime filter, `'COLUMN OP VALUE'` (e.g. `'Region EQ west'`, `'Category IN Toys,
    /// Books'`, `'Sales BW 10, 20'`); operators EQ NE LT LE GT GE (or = != < <= > >=),
    /// CONTAINS BEGINS_WITH ENDS_WITH, BW BW_INC BW_INC_MIN BW_INC_MAX (two values), IN. Repeat
    /// for several (at most 5); they all apply.
    #[arg(long = "filter", value_name = "FILTER", value_parser = parse_filter)]
    pub filters: Vec<tspot_client::RuntimeFilter>,
}

#[derive(Args)]
pub struct PinboardPdfArgs {
    /// The Liveboard, by name or GUID.
    #[arg(
        value_name = "PINBOARD",
        add = clap_complete::ArgValueCompleter::new(super::complete::liveboards)
    )]
    pub pinboard: String,

    /// Where to write the PDF; `-` for standard output.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,

    /// The Liveboard's own layout, or one visualization per page. Default: the server's
    /// (the Liveboard's layout); --viz implies `visualization`.
    #[arg(long, value_enum, ignore_case = true, value_name = "LAYOUT")]
    pub layout: Option<PdfLayout>,

    /// Page orientation. Default: the server's (landscape).
    #[arg(long, value_enum, ignore_case = true, value_name = "ORIENTATION")]
    pub orientation: Option<PdfOrientation>,

    /// Only this visualization, by name or GUID; repeat for several.
    #[arg(long = "viz", value_name = "VIZ")]
    pub vizzes: Vec<String>,

    /// Leave out the cover page.
    #[arg(long)]
    pub no_cover: bool,

    /// Leave out the page listing the filters.
    #[arg(long)]
    pub no_filter_page: bool,

    /// Leave out the logo.
    #[arg(long)]
    pub no_logo: bool,

    /// Leave out page numbers.
    #[arg(long)]
    pub no_page_numbers: bool,

    /// Print only the first page of each table (visualization layout).
    #[arg(long)]
    pub truncate_tables: bool,

    /// Text in the footer of each page.
    #[arg(long, value_name = "TEXT")]
    pub footer: Option<String>,

    /// A runtime filter, `'COLUMN OP VALUE'` (e.g. `'Region EQ west'`, `'Category IN Toys,
    /// Books'`, `'Sales BW 10, 20'`); operators EQ NE LT LE GT GE (or = != < <= > >=),
    /// CONTAINS BEGINS_WITH ENDS_WITH, BW BW_INC BW_INC_MIN BW_INC_MAX (two values), IN. Repeat
    /// for several (at most 5); they all apply.
    #[arg(long = "filter", value_name = "FILTER", value_parser = parse_filter)]
    pub filters: Vec<tspot_client::RuntimeFilter>,
}

/// `--filter` as the client's typed runtime filter.
fn parse_filter(text: &str) -> Result<tspot_client::RuntimeFilter, String> {
    text.parse()
        .map_err(|e: tspot_client::ApiError| e.to_string())
}
