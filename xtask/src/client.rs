//! The client crate: progenitor's builder interface, one extension trait per tag.

use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr,
    Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use proc_macro2::TokenStream;
use serde_json::Value;

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

/// Response enumerations that stay closed in the Rust client and server although the spec leaves
/// them open. Code outside the generators uses them as closed `Copy` enums: the CLI
/// (`crates/tspot`) matches `PrincipalType` and `VizType` by value, and the reference server and
/// its tests build `Principal`s with a `Visibility`. An open type (an untagged enum with a
/// `String` fallback) offers neither. Remove a name here once that code reads the open type.
const CLOSED_FOR_RUST: &[&str] = &["PrincipalType", "Visibility", "VizType"];

/// The spec as progenitor gets it: the same document, reduced where progenitor 0.15 cannot take a
/// construct (spec/README.md, "The Rust client's view"). One source of truth: this is derived in
/// memory on every run, never written down.
///
/// - Request bodies: `multipart/form-data` is dropped (progenitor issue 518) and one content type
///   is kept (issue 76), urlencoded. An operation whose body was multipart only gets the body's
///   fields as query parameters instead when the server reads them from the query string too
///   (`x-tspot-merge-fields`); one with a file part (user/sync) is dropped and written by hand
///   (`crates/tspot-client/src/user_sync.rs`).
/// - Responses: JSON only where a response also offers `text/plain`, and no body-less success
///   beside a success with a body (progenitor issues 344, 950): removeprivilege's 204 goes.
/// - Open enumerations (`anyOf: [{$ref: E}, {type: string}]`) become `oneOf`, which typify turns
///   into an untagged enum (the known values first, any other string kept), or the closed `$ref`
///   for the names in [`CLOSED_FOR_RUST`].
fn progenitor_copy(document: &OpenAPI) -> OpenAPI {
    let mut copy = document.clone();
    for item in copy.paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            for slot in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
            ] {
                let keep = match slot {
                    Some(operation) => reduce_operation(document, operation),
                    None => true,
                };
                if !keep {
                    *slot = None;
                }
            }
        }
    }
    copy.paths.paths.retain(|_, item| {
        item.as_item()
            .is_none_or(|item| item.iter().next().is_some())
    });
    if let Some(components) = copy.components.as_mut() {
        for schema in components.schemas.values_mut() {
            if let ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Object(object)),
                ..
            }) = schema
            {
                for property in object.properties.values_mut() {
                    if let ReferenceOr::Item(property) = property {
                        close_or_open_enum(property);
                    }
                }
            }
        }
    }
    copy
}

/// Whether progenitor generates `operation` (else the client crate writes it by hand); reduces it
/// to what progenitor takes.
fn reduce_operation(document: &OpenAPI, operation: &mut Operation) -> bool {
    // The client sets these on every request (see crates/tspot-client/src/session.rs).
    operation
        .parameters
        .retain(|p| !spec::is_client_default_header(document, p));
    reduce_responses(operation);
    let Some(ReferenceOr::Item(body)) = operation.request_body.as_mut() else {
        return true;
    };
    let had_form = body.content.contains_key(FORM);
    body.content.retain(|content_type, _| content_type == FORM);
    if had_form {
        return true;
    }
    if operation.extensions.get("x-tspot-merge-fields") != Some(&Value::Bool(true)) {
        return false;
    }
    // The server reads these fields from the query string as well: send them there.
    let required_body = body.required;
    let Some(schema) = document
        .paths
        .paths
        .values()
        .filter_map(ReferenceOr::as_item)
        .flat_map(|item| item.iter())
        .find(|(_, op)| op.operation_id == operation.operation_id)
        .and_then(|(_, op)| op.request_body.as_ref()?.as_item())
        .and_then(|body| body.content.values().next()?.schema.as_ref())
        .and_then(|schema| spec::resolve(document, schema))
    else {
        return false;
    };
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return false;
    };
    let mut parameters = Vec::new();
    for (name, property) in &object.properties {
        let property = spec::unbox(property);
        let Some(field) = spec::field_schema(document, &property) else {
            return false;
        };
        if is_binary(field.schema) {
            // A file part has no query-string form.
            return false;
        }
        if property_is_alias(document, object, name) {
            continue;
        }
        let schema = match field.reference {
            Some(reference) => ReferenceOr::Reference {
                reference: reference.to_string(),
            },
            None => property.clone(),
        };
        parameters.push(ReferenceOr::Item(Parameter::Query {
            parameter_data: ParameterData {
                name: name.clone(),
                description: field.description.map(str::to_string),
                required: required_body && object.required.contains(name),
                deprecated: None,
                format: ParameterSchemaOrContent::Schema(schema),
                example: None,
                examples: Default::default(),
                explode: None,
                extensions: Default::default(),
            },
            allow_reserved: false,
            style: Default::default(),
            allow_empty_value: None,
        }));
    }
    operation.parameters.extend(parameters);
    operation.request_body = None;
    true
}

const FORM: &str = "application/x-www-form-urlencoded";

fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
}

/// A property another property of the same form names in `x-tspot-aliases`.
fn property_is_alias(document: &OpenAPI, object: &openapiv3::ObjectType, name: &str) -> bool {
    object.properties.values().any(|property| {
        spec::field_schema(document, &spec::unbox(property))
            .and_then(|field| field.extensions.get("x-tspot-aliases").cloned())
            .and_then(|aliases| serde_json::from_value::<Vec<String>>(aliases).ok())
            .is_some_and(|aliases| aliases.iter().any(|alias| alias == name))
    })
}

fn reduce_responses(operation: &mut Operation) {
    for response in operation.responses.responses.values_mut() {
        if let ReferenceOr::Item(response) = response
            && response.content.len() > 1
            && response.content.contains_key("application/json")
        {
            response
                .content
                .retain(|content_type, _| content_type == "application/json");
        }
    }
    let is_success = |status: &StatusCode| matches!(status, StatusCode::Code(200..=299));
    let has_body = |response: &ReferenceOr<openapiv3::Response>| {
        response
            .as_item()
            .is_none_or(|response| !response.content.is_empty())
    };
    let successes_with_body = operation
        .responses
        .responses
        .iter()
        .filter(|(status, response)| is_success(status) && has_body(response))
        .count();
    if successes_with_body > 0 {
        operation
            .responses
            .responses
            .retain(|status, response| !is_success(status) || has_body(response));
    }
}

/// `anyOf: [{$ref: E}, {type: string}]` (an enumeration the product extends) as progenitor should
/// see it: `oneOf` (an untagged enum in Rust), or `allOf: [{$ref: E}]` for [`CLOSED_FOR_RUST`].
fn close_or_open_enum(property: &mut Box<Schema>) {
    let SchemaKind::AnyOf { any_of } = &property.schema_kind else {
        return;
    };
    let [
        ReferenceOr::Reference { reference },
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::String(_)),
            ..
        }),
    ] = any_of.as_slice()
    else {
        return;
    };
    let closed =
        spec::schema_ref_name(reference).is_some_and(|name| CLOSED_FOR_RUST.contains(&name));
    property.schema_kind = if closed {
        SchemaKind::AllOf {
            all_of: vec![any_of[0].clone()],
        }
    } else {
        SchemaKind::OneOf {
            one_of: any_of.clone(),
        }
    };
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
      parameters:
        - {name: token, in: cookie, schema: {type: string}}
      responses:
        '204': {description: ok}
"#;

    #[test]
    fn a_refused_operation_is_named_in_the_error() {
        let document = spec::load(SPEC_WITH_A_BAD_OPERATION).unwrap();
        let error = generate(&document)
            .err()
            .expect("cookie parameters are refused");
        assert!(
            error.contains("`brokenOperation`"),
            "the error names the operation: {error}"
        );
    }

    const FORMS: &str = r#"
openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /both:
    post:
      operationId: bothTypes
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Form'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Form'}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Form'}}
            text/plain: {schema: {$ref: '#/components/schemas/Form'}}
        '204': {description: also ok}
  /multipart:
    post:
      operationId: multipartOnly
      x-tspot-merge-fields: true
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Plain'}
      responses:
        '204': {description: ok}
  /file:
    post:
      operationId: fileUpload
      x-tspot-merge-fields: true
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                document: {type: string, format: binary}
      responses:
        '204': {description: ok}
components:
  schemas:
    Kind:
      type: string
      enum: [A, B]
    Form:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind:
          anyOf:
            - $ref: '#/components/schemas/Kind'
            - type: string
    Plain:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind:
          allOf:
            - $ref: '#/components/schemas/Kind'
          description: a closed enum travels as its named type
"#;

    #[test]
    fn progenitor_gets_a_reduced_view_of_forms_responses_and_open_enums() {
        let document = spec::load(FORMS).unwrap();
        let view = progenitor_copy(&document);
        let post = |path: &str| {
            view.paths
                .paths
                .get(path)
                .and_then(|i| i.as_item()?.post.clone())
        };

        // Two content types: the urlencoded one stays; JSON only; no 204 beside the 200.
        let both = post("/both").unwrap();
        let body = both.request_body.unwrap().into_item().unwrap();
        assert_eq!(body.content.keys().collect::<Vec<_>>(), [FORM]);
        let ok = both.responses.responses[&StatusCode::Code(200)]
            .as_item()
            .unwrap();
        assert_eq!(ok.content.keys().collect::<Vec<_>>(), ["application/json"]);
        assert!(
            !both
                .responses
                .responses
                .contains_key(&StatusCode::Code(204))
        );

        // Multipart only, merged fields: the fields become query parameters.
        let multipart = post("/multipart").unwrap();
        assert!(multipart.request_body.is_none());
        let names: Vec<(String, bool)> = multipart
            .parameters
            .iter()
            .map(|p| {
                let data = p.as_item().unwrap().parameter_data_ref();
                (data.name.clone(), data.required)
            })
            .collect();
        assert_eq!(names, [("name".into(), true), ("kind".into(), false)]);

        // A file part has no other form: the operation is written by hand.
        assert!(post("/file").is_none());

        // The open enum is an untagged enum in Rust, known values first.
        let generated = generate(&document).unwrap();
        let types = generated.types.to_string();
        assert!(types.contains("pub enum FormKind"), "{types}");
        assert!(generated.client.to_string().contains("multipart_only"));
        assert!(!generated.client.to_string().contains("file_upload"));
    }

    #[test]
    fn enums_named_closed_for_rust_stay_closed() {
        let spec = FORMS
            .replace("    Kind:\n", "    VizType:\n")
            .replace("schemas/Kind'", "schemas/VizType'");
        let document = spec::load(&spec).unwrap();
        let types = generate(&document).unwrap().types.to_string();
        assert!(!types.contains("pub enum FormKind"), "{types}");
        assert!(
            types.contains("pub kind : :: std :: option :: Option < VizType >"),
            "{types}"
        );
    }
}
