//! Running searches over the data: searchdata, Liveboard data, visualization headers and PDF.

pub mod liveboard;
pub mod pdf;
pub mod run;
