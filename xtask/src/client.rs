//! The client crate: progenitor's builder interface, one extension trait per tag.

use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr};
use proc_macro2::TokenStream;

use crate::spec;

/// The generated client, and the model types (progenitor's type space) the server shares.
pub struct Generated {
    pub client: TokenStream,
    pub types: TokenStream,
}

pub fn generate(document: &OpenAPI) -> Result<Generated, String> {
    let for_progenitor = progenitor_copy(document);
    match run_progenitor(&for_progenitor) {
        Ok(generated) => Ok(generated),
        Err(whole) => Err(match failing_operation(&for_progenitor) {
            Some((operation_id, reason)) => {
                format!("progenitor cannot generate operation `{operation_id}`: {reason}")
            }
            None => format!("progenitor cannot generate the client: {whole}"),
        }),
    }
}

/// Multipart bodies are beyond progenitor (issue 518): those operations are dropped from its copy
/// of the spec and written by hand in `crates/tspot-client/src/multipart.rs`.
pub fn is_handwritten(operation: &Operation) -> bool {
    operation
        .request_body
        .as_ref()
        .and_then(ReferenceOr::as_item)
        .is_some_and(|body| body.content.contains_key("multipart/form-data"))
}

fn progenitor_copy(document: &OpenAPI) -> OpenAPI {
    let mut copy = document.clone();
    for item in copy.paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            drop_handwritten(item);
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                // The client sets these on every request (see crates/tspot-client/src/session.rs).
                operation
                    .parameters
                    .retain(|p| !spec::is_client_default_header(document, p));
            }
        }
    }
    copy.paths.paths.retain(|_, item| {
        item.as_item()
            .is_none_or(|item| item.iter().next().is_some())
    });
    copy
}

fn drop_handwritten(item: &mut PathItem) {
    for slot in [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.delete,
    ] {
        if slot.as_ref().is_some_and(is_handwritten) {
            *slot = None;
        }
    }
}

fn settings() -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Separate)
        .with_derive("PartialEq");
    settings
}

/// Runs progenitor, turning its panics into errors.
fn run_progenitor(document: &OpenAPI) -> Result<Generated, String> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut generator = progenitor::Generator::new(&settings());
        generator.generate_tokens(document).map(|client| Generated {
            client,
            types: generator.get_type_space().to_stream(),
        })
    }));
    std::panic::set_hook(previous_hook);
    match result {
        Ok(Ok(generated)) => Ok(generated),
        Ok(Err(error)) => Err(error.to_string()),
        Err(panic) => Err(panic_message(panic.as_ref())),
    }
}

/// Tries each operation alone to name the one progenitor refuses.
fn failing_operation(document: &OpenAPI) -> Option<(String, String)> {
    spec::operations(document)
        .into_iter()
        .find_map(|(path, method, operation)| {
            let mut single = document.clone();
            let mut item = PathItem::default();
            match method {
                "GET" => item.get = Some(operation.clone()),
                "POST" => item.post = Some(operation.clone()),
                "PUT" => item.put = Some(operation.clone()),
                _ => item.delete = Some(operation.clone()),
            }
            single.paths.paths.clear();
            single
                .paths
                .paths
                .insert(path.to_string(), ReferenceOr::Item(item));
            run_progenitor(&single)
                .err()
                .map(|reason| (spec::operation_id(operation).to_string(), reason))
        })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        format!("progenitor panicked: {text}")
    } else if let Some(text) = panic.downcast_ref::<String>() {
        format!("progenitor panicked: {text}")
    } else {
        "progenitor panicked".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_WITH_A_BAD_OPERATION: &str = r#"
openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /fine:
    get:
      operationId: fineOperation
      responses:
        '204': {description: ok}
  /broken:
    post:
      operationId: brokenOperation
      requestBody:
        content:
          application/json:
            schema: {type: object}
          application/x-www-form-urlencoded:
            schema: {type: object}
      responses:
        '204': {description: ok}
"#;

    #[test]
    fn a_refused_operation_is_named_in_the_error() {
        let document = spec::load(SPEC_WITH_A_BAD_OPERATION).unwrap();
        let error = generate(&document)
            .err()
            .expect("two body content types are refused");
        assert!(
            error.contains("`brokenOperation`"),
            "the error names the operation: {error}"
        );
    }

    #[test]
    fn multipart_operations_are_left_to_the_handwritten_client() {
        let spec = SPEC_WITH_A_BAD_OPERATION.replace(
            "          application/x-www-form-urlencoded:\n            schema: {type: object}\n",
            "",
        )
        .replace("application/json:", "multipart/form-data:");
        let document = spec::load(&spec).unwrap();
        let generated = generate(&document).unwrap().client.to_string();
        assert!(generated.contains("fine_operation"));
        assert!(!generated.contains("broken_operation"));
    }
}
