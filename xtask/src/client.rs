//! The client crate (progenitor's builder interface, one extension trait per tag) and the types
//! crate it shares with the server (progenitor's type space).

use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr,
    Schema, SchemaData, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use proc_macro2::TokenStream;
use serde_json::Value;

use crate::spec;

/// The generated client, and the model types (progenitor's type space) of `crates/tspot-types`.
pub struct Generated {
    /// The client's operations; every model type is `::tspot_types::Name` (type replacement).
    pub client: TokenStream,
    /// The model types, for `crates/tspot-types/src/generated.rs`.
    pub types: TokenStream,
}

/// The crate the model types live in, as the client names it.
const TYPES_CRATE: &str = "::tspot_types";

/// Suffix of the component progenitor's view adds for each open enumeration `E`
/// (`anyOf: [{$ref: E}, {type: string}]`): `E` + this names `tspot_types::Open<E>`.
const OPEN_SUFFIX: &str = "OrUnknown";

pub fn generate(document: &OpenAPI) -> Result<Generated, String> {
    let view = progenitor_copy(document)?;
    // First the types alone (where the open enumerations are the hand-written `crate::Open<E>`),
    // then the client with every model type replaced by the types crate's.
    let mut types = run_or_name_the_failure(&view, &settings(&view, "crate"))?.types;
    types.extend(enumeration_values(&view));
    let mut client = run_or_name_the_failure(&view, &settings(&view, TYPES_CRATE))?.client;
    client = without_types_module(client)?;
    client = with_documented_builders(client, &view)?;
    Ok(Generated { client, types })
}

fn run_or_name_the_failure(
    view: &OpenAPI,
    settings: &progenitor::GenerationSettings,
) -> Result<Generated, String> {
    run_progenitor(view, settings).map_err(|whole| match failing_operation(view, settings) {
        Some((operation_id, reason)) => {
            format!("progenitor cannot generate operation `{operation_id}`: {reason}")
        }
        None => format!("progenitor cannot generate the client: {whole}"),
    })
}

/// The client's `pub mod types`, left with nothing of its own once every model type is replaced,
/// becomes `pub use ::tspot_types as types;`, so `types::X` in the client (and
/// `tspot_client::types`) names the types crate.
fn without_types_module(client: TokenStream) -> Result<TokenStream, String> {
    let mut file: syn::File =
        syn::parse2(client).map_err(|e| format!("the generated client does not parse: {e}"))?;
    let mut leftovers = Vec::new();
    file.items.retain(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => {
            let own = module
                .content
                .iter()
                .flat_map(|(_, items)| items)
                .filter(|item| {
                    // progenitor's `error` module (ConversionError) is all that should remain.
                    !matches!(item, syn::Item::Mod(m) if m.ident == "error")
                });
            leftovers.extend(own.map(|item| quote::quote!(#item).to_string()));
            false
        }
        _ => true,
    });
    file.items.push(syn::parse_quote! {
        /// The model types: the `tspot-types` crate.
        pub use ::tspot_types as types;
    });
    // The builders' `use super::types;` is left unused once their types are the crate's.
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "builder"
        {
            module
                .attrs
                .push(syn::parse_quote!(#[allow(unused_imports)]));
        }
    }
    without_placeholder_examples(&mut file.items);
    if !leftovers.is_empty() {
        return Err(format!(
            "the client defines model types of its own besides tspot-types': {}",
            leftovers.join("; ")
        ));
    }
    Ok(quote::quote!(#file))
}

/// Documents what progenitor leaves bare in the `builder` module: each builder's `new`, and each
/// setter with its parameter's description from the spec (the body setter with its schema's).
fn with_documented_builders(client: TokenStream, view: &OpenAPI) -> Result<TokenStream, String> {
    use heck::{ToSnakeCase, ToUpperCamelCase};
    use std::collections::HashMap;

    // Builder name (the operation id in UpperCamelCase) -> setter name -> description.
    let mut described: HashMap<String, HashMap<String, String>> = HashMap::new();
    for (_, _, operation) in spec::operations(view) {
        let setters = described
            .entry(spec::operation_id(operation).to_upper_camel_case())
            .or_default();
        for parameter in &operation.parameters {
            let data = spec::parameter(view, parameter)?.parameter_data_ref();
            let text = data
                .description
                .clone()
                .unwrap_or_else(|| format!("The `{}` parameter.", data.name));
            setters.insert(data.name.to_snake_case(), text);
        }
        if operation.request_body.is_some() {
            setters.insert(
                "body".into(),
                "The request's form fields: a value of the body type, or its builder from \
                 `types::builder`."
                    .into(),
            );
        }
    }

    let mut file: syn::File =
        syn::parse2(client).map_err(|e| format!("the generated client does not parse: {e}"))?;
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        for inner in module.content.iter_mut().flat_map(|(_, items)| items) {
            let syn::Item::Impl(block) = inner else {
                continue;
            };
            let syn::Type::Path(target) = block.self_ty.as_ref() else {
                continue;
            };
            let Some(name) = target.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            let setters = described.get(&name);
            for member in &mut block.items {
                let syn::ImplItem::Fn(method) = member else {
                    continue;
                };
                if method.attrs.iter().any(|a| a.path().is_ident("doc")) {
                    continue;
                }
                let method_name = method.sig.ident.to_string();
                let text = if method_name == "new" {
                    "A builder for this call on `client`; the client's method of the same name is \
                     the usual way in."
                        .to_string()
                } else {
                    setters
                        .and_then(|s| s.get(method_name.trim_end_matches('_')))
                        .cloned()
                        .unwrap_or_else(|| format!("Sets `{method_name}`."))
                };
                method.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
            }
        }
    }
    Ok(quote::quote!(#file))
}

/// Drops the ```` ```ignore ```` examples progenitor writes into each client method's docs: they
/// call every setter with an undeclared variable, never compile, and show as untested examples on
/// docs.rs. The crate's own documentation carries examples that compile and run.
fn without_placeholder_examples(items: &mut [syn::Item]) {
    for item in items {
        // The per-tag extension traits (`ClientDataExt`, ...) carry the methods' docs.
        let syn::Item::Trait(block) = item else {
            continue;
        };
        for member in &mut block.items {
            if let syn::TraitItem::Fn(method) = member {
                strip_doc_examples(&mut method.attrs);
            }
        }
    }
}

fn strip_doc_examples(attrs: &mut [syn::Attribute]) {
    for attr in attrs {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            continue;
        };
        if !doc.path.is_ident("doc") {
            continue;
        }
        if let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &doc.value
        {
            let stripped = strip_ignore_blocks(&text.value());
            if stripped != text.value() {
                doc.value = syn::parse_quote!(#stripped);
            }
        }
    }
}

fn strip_ignore_blocks(doc: &str) -> String {
    let mut out = doc.to_string();
    while let Some(start) = out.find("```ignore") {
        let after = start + "```ignore".len();
        let Some(end) = out[after..].find("```") else {
            break;
        };
        let end = after + end + "```".len();
        out.replace_range(start..end, "");
    }
    out.trim_end().to_string()
}

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
/// - Open enumerations (`anyOf: [{$ref: E}, {type: string}]`) become a `$ref` to a component
///   `E` + [`OPEN_SUFFIX`] added here, which [`settings`] replaces with `tspot_types::Open<E>`
///   (the known values typed, any other string kept).
fn progenitor_copy(document: &OpenAPI) -> Result<OpenAPI, String> {
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
        let mut open = Vec::new();
        for schema in components.schemas.values_mut() {
            if let ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Object(object)),
                ..
            }) = schema
            {
                for property in object.properties.values_mut() {
                    if let Some(name) = refer_to_open_enum(property) {
                        open.push(name);
                    }
                }
            }
        }
        for name in open {
            let key = format!("{name}{OPEN_SUFFIX}");
            if components
                .schemas
                .get(&key)
                .is_some_and(|s| !is_open_placeholder(s))
            {
                return Err(format!(
                    "component `{key}` clashes with the open form of `{name}`"
                ));
            }
            components
                .schemas
                .insert(key, ReferenceOr::Item(open_placeholder()));
        }
    }
    Ok(copy)
}

/// The component standing for `Open<E>`: never converted (replaced by name), a plain string for
/// the record.
fn open_placeholder() -> Schema {
    Schema {
        schema_data: SchemaData {
            extensions: [("x-tspot-open-enum".to_string(), Value::Bool(true))]
                .into_iter()
                .collect(),
            ..Default::default()
        },
        schema_kind: SchemaKind::Type(Type::String(Default::default())),
    }
}

/// `VALUES` for each closed string enumeration of the components: its values as the spec lists
/// them, so code that lists, matches in another case or names the choices reads them from here.
fn enumeration_values(view: &OpenAPI) -> TokenStream {
    use heck::ToUpperCamelCase;
    let mut out = TokenStream::new();
    for (name, schema) in view.components.iter().flat_map(|c| &c.schemas) {
        let Some(Schema {
            schema_kind: SchemaKind::Type(Type::String(string)),
            ..
        }) = schema.as_item()
        else {
            continue;
        };
        let values: Vec<&str> = string
            .enumeration
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if values.is_empty() || is_open_placeholder(schema) {
            continue;
        }
        let ty = quote::format_ident!("{}", name.to_upper_camel_case());
        let count = values.len();
        out.extend(quote::quote! {
            impl #ty {
                /// Every value, in the spec's order and its wire spelling.
                pub const VALUES: [&'static str; #count] = [#(#values),*];
            }
        });
    }
    out
}

fn is_open_placeholder(schema: &ReferenceOr<Schema>) -> bool {
    schema
        .as_item()
        .is_some_and(|s| s.schema_data.extensions.contains_key("x-tspot-open-enum"))
}

/// The names of the open enumerations of the view: the placeholders [`progenitor_copy`] added.
fn open_enums(view: &OpenAPI) -> Vec<String> {
    view.components
        .iter()
        .flat_map(|c| &c.schemas)
        .filter(|(_, schema)| is_open_placeholder(schema))
        .filter_map(|(key, _)| key.strip_suffix(OPEN_SUFFIX).map(str::to_string))
        .collect()
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
        // An optional body of optional fields goes (searchdata's `include_column_details`,
        // which changes nothing): with the model types replaced, progenitor has no builder to
        // start an empty body from, and every call would have to set one.
        if !body.required && has_no_required_field(document, body) {
            operation.request_body = None;
        }
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

/// Whether no field of `body` is required.
fn has_no_required_field(document: &OpenAPI, body: &openapiv3::RequestBody) -> bool {
    body.content
        .values()
        .filter_map(|media| spec::resolve(document, media.schema.as_ref()?))
        .all(|schema| match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => object.required.is_empty(),
            _ => false,
        })
}

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
/// see it: a reference to the placeholder of `Open<E>`. Returns `E`.
fn refer_to_open_enum(property: &mut ReferenceOr<Box<Schema>>) -> Option<String> {
    let ReferenceOr::Item(schema) = property else {
        return None;
    };
    let SchemaKind::AnyOf { any_of } = &schema.schema_kind else {
        return None;
    };
    let [
        ReferenceOr::Reference { reference },
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::String(_)),
            ..
        }),
    ] = any_of.as_slice()
    else {
        return None;
    };
    let name = spec::schema_ref_name(reference)?.to_string();
    // `allOf` keeps the property's own description and nullability beside the reference.
    schema.schema_kind = SchemaKind::AllOf {
        all_of: vec![ReferenceOr::Reference {
            reference: format!("#/components/schemas/{name}{OPEN_SUFFIX}"),
        }],
    };
    Some(name)
}

/// progenitor's settings: `Open<E>` stands for each open enumeration, and unless `types_crate`
/// is `crate` (the types crate itself), every model type is replaced by `{types_crate}::Name`.
fn settings(view: &OpenAPI, types_crate: &str) -> progenitor::GenerationSettings {
    use heck::ToUpperCamelCase;
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Separate)
        .with_derive("PartialEq");
    for name in open_enums(view) {
        let ty = name.to_upper_camel_case();
        settings.with_replacement(
            format!("{ty}{OPEN_SUFFIX}"),
            format!("{types_crate}::Open<{types_crate}::{ty}>"),
            std::iter::empty(),
        );
    }
    if types_crate != "crate" {
        let names = view.components.iter().flat_map(|c| c.schemas.iter());
        for (name, schema) in names {
            if !is_open_placeholder(schema) {
                let ty = name.to_upper_camel_case();
                settings.with_replacement(&ty, format!("{types_crate}::{ty}"), std::iter::empty());
            }
        }
    }
    settings
}

/// Runs progenitor, turning its panics into errors.
fn run_progenitor(
    document: &OpenAPI,
    settings: &progenitor::GenerationSettings,
) -> Result<Generated, String> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut generator = progenitor::Generator::new(settings);
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
fn failing_operation(
    document: &OpenAPI,
    settings: &progenitor::GenerationSettings,
) -> Option<(String, String)> {
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
            run_progenitor(&single, settings)
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
  /optional:
    post:
      operationId: optionalBody
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                details: {type: boolean}
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
        let view = progenitor_copy(&document).unwrap();
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

        // An optional body of optional fields goes: no call should have to set one.
        assert!(post("/optional").unwrap().request_body.is_none());

        // The open enum is the hand-written `Open<Kind>` of the types crate; the closed one
        // stays `Kind`.
        let generated = generate(&document).unwrap();
        let types = generated.types.to_string();
        assert!(
            types.contains(
                "pub kind : :: std :: option :: Option < crate :: Open < crate :: Kind > >"
            ),
            "{types}"
        );
        assert!(
            types.contains("pub kind : :: std :: option :: Option < Kind >"),
            "{types}"
        );
        assert!(!types.contains("KindOrUnknown"), "{types}");
        let client = generated.client.to_string();
        assert!(client.contains("multipart_only"));
        assert!(!client.contains("file_upload"));
    }

    #[test]
    fn the_client_defines_no_model_type_of_its_own() {
        let document = spec::load(FORMS).unwrap();
        let generated = generate(&document).unwrap();
        let client = generated.client.to_string();
        assert!(
            client.contains("pub use :: tspot_types as types ;"),
            "{client}"
        );
        assert!(client.contains(":: tspot_types :: Form"), "{client}");
        for declared in ["pub struct Form ", "pub enum Kind ", "pub mod types {"] {
            assert!(
                !client.contains(declared),
                "the client declares `{declared}`"
            );
        }
        let types = generated.types.to_string();
        assert!(types.contains("pub struct Form "), "{types}");
        // A closed enumeration lists its values.
        assert!(
            types.contains(r#"pub const VALUES : [& 'static str ; 2usize] = ["A" , "B"]"#),
            "{types}"
        );
    }
}
