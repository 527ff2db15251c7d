//! tspot-format: numbers and dates as ThoughtSpot shows them, in one place, so that the PDF
//! export (`tspot-pdf`, fed by `tspot-reference`) and the command line (`tspot`) print the same
//! text for the same value.
//!
//! ```
//! use tspot_format::{Bucket, Column, Compact, axis, date, headline, number};
//!
//! assert_eq!(number(1234567.891), "1,234,567.89");
//! // One decimals choice for a whole column...
//! let column = Column::new([1.5, 2.0, 3.25]);
//! assert_eq!(column.format(2.0), "2.00");
//! // ... and one unit and decimals choice for a whole axis.
//! assert_eq!(axis(&[0.0, 2500.0, 5000.0]), ["0", "2.5K", "5.0K"]);
//! assert_eq!(Compact::new([0.0, 2500.0, 5000.0]).format(5000.0), "5.0K");
//! assert_eq!(headline(34_761_234.0), "34.76M");
//! assert_eq!(date(1_793_491_200), "2026-11-01");
//! assert_eq!(Bucket::from_column_name("Month(Order Date)"), Some(Bucket::Month));
//! assert_eq!(Bucket::Month.format(1_793_491_200), "Nov 2026");
//! ```
//!
//! The rules are in README.md.

mod date;
mod number;

pub use date::{Bucket, date, date_in_column, datetime};
pub use number::{
    Column, Compact, MAX_DECIMALS, NULL, Unit, axis, column, decimals_needed, fixed, headline,
    number,
};
