//! The server-trait crate: typed inputs, one trait per tag, response enums where an operation has
//! several answers, and an axum router that parses requests the way ThoughtSpot does.
//!
//! The spec is read into a [`model`] first (checked, plain data), which [`emit`] turns into code.
//! The model types themselves are the types crate's (progenitor's type space).

mod emit;
mod model;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;

pub fn generate(document: &OpenAPI, types: &TokenStream) -> Result<TokenStream, String> {
    let type_names = declared_types(types)?;
    let api = model::read(document, &type_names)?;
    Ok(emit::file(&api))
}

/// The structs and enums the types crate declares at its root.
fn declared_types(types: &TokenStream) -> Result<Vec<String>, String> {
    let file: syn::File =
        syn::parse2(types.clone()).map_err(|e| format!("the generated types do not parse: {e}"))?;
    Ok(file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect())
}
