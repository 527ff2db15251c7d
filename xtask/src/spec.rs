//! Loading the spec and the small queries both generators make of it.

use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, Schema};

pub fn load(text: &str) -> Result<OpenAPI, String> {
    let document: OpenAPI = serde_yaml_ng::from_str(text).map_err(|e| {
        format!("spec/thoughtspot-v1.yaml is not a valid OpenAPI 3.0 document: {e}")
    })?;
    if !document.openapi.starts_with("3.0.") {
        return Err(format!(
            "spec/thoughtspot-v1.yaml says openapi {}; progenitor reads 3.0.x only",
            document.openapi
        ));
    }
    Ok(document)
}

/// Every operation as (path, method, operation), in document order.
pub fn operations(document: &OpenAPI) -> Vec<(&str, &'static str, &Operation)> {
    document
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| Some((path.as_str(), item.as_item()?)))
        .flat_map(|(path, item)| {
            let methods: [(&'static str, &Option<Operation>); 4] = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("DELETE", &item.delete),
            ];
            methods
                .into_iter()
                .filter_map(move |(method, op)| op.as_ref().map(|op| (path, method, op)))
        })
        .collect()
}

pub fn operation_id(operation: &Operation) -> &str {
    operation
        .operation_id
        .as_deref()
        .unwrap_or("<operation without operationId>")
}

/// The component name behind `#/components/schemas/Name`.
pub fn schema_ref_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// Follows a `$ref` to the component schema.
pub fn resolve<'a>(document: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => {
            let name = schema_ref_name(reference)?;
            document.components.as_ref()?.schemas.get(name)?.as_item()
        }
    }
}

pub fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// A field's schema seen through `$ref` and the `allOf: [$ref]` wrapper that OpenAPI 3.0 needs to
/// attach a description or default to a reference.
pub struct FieldSchema<'a> {
    /// The component reference, when the type is a named schema.
    pub reference: Option<&'a str>,
    /// The schema that says what the value is.
    pub schema: &'a Schema,
    /// The wrapper's default, else the component's.
    pub default: Option<&'a serde_json::Value>,
    pub description: Option<&'a str>,
    /// Vendor extensions of the wrapper and the schema, the wrapper's winning.
    pub extensions: indexmap::IndexMap<String, serde_json::Value>,
}

pub fn field_schema<'a>(
    document: &'a OpenAPI,
    schema: &'a ReferenceOr<Schema>,
) -> Option<FieldSchema<'a>> {
    let (reference, wrapper) = match schema {
        ReferenceOr::Reference { reference } => (Some(reference.as_str()), None),
        ReferenceOr::Item(item) => match &item.schema_kind {
            openapiv3::SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Reference { reference } => (Some(reference.as_str()), Some(item)),
                ReferenceOr::Item(_) => (None, Some(item)),
            },
            // `type: string` beside the `allOf` (which tells multipart validators the part is text)
            // makes openapiv3 read the wrapper as `Any`.
            openapiv3::SchemaKind::Any(any) if any.all_of.len() == 1 => match &any.all_of[0] {
                ReferenceOr::Reference { reference } => (Some(reference.as_str()), Some(item)),
                ReferenceOr::Item(_) => (None, Some(item)),
            },
            _ => (None, Some(item)),
        },
    };
    let target = match reference {
        Some(reference) => document
            .components
            .as_ref()?
            .schemas
            .get(schema_ref_name(reference)?)?
            .as_item()?,
        None => wrapper?,
    };
    let mut extensions = target.schema_data.extensions.clone();
    if let Some(wrapper) = wrapper {
        extensions.extend(wrapper.schema_data.extensions.clone());
    }
    let from_wrapper = |f: fn(&'a Schema) -> Option<&'a _>| wrapper.and_then(f);
    Some(FieldSchema {
        reference,
        schema: target,
        default: from_wrapper(|w| w.schema_data.default.as_ref())
            .or(target.schema_data.default.as_ref()),
        description: wrapper
            .and_then(|w| w.schema_data.description.as_deref())
            .or(target.schema_data.description.as_deref()),
        extensions,
    })
}

/// A parameter, following a `$ref` to `components/parameters`.
pub fn parameter<'a>(
    document: &'a OpenAPI,
    parameter: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter, String> {
    match parameter {
        ReferenceOr::Item(parameter) => Ok(parameter),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|name| document.components.as_ref()?.parameters.get(name))
            .and_then(ReferenceOr::as_item)
            .ok_or_else(|| format!("unresolved parameter {reference}")),
    }
}

/// Parameters clients send on every request as a default header (`X-Requested-By`), marked
/// `x-tspot-client-default-header: true`: not an argument of each generated client method.
pub fn is_client_default_header(document: &OpenAPI, parameter: &ReferenceOr<Parameter>) -> bool {
    self::parameter(document, parameter).is_ok_and(|p| {
        p.parameter_data_ref()
            .extensions
            .get("x-tspot-client-default-header")
            == Some(&serde_json::Value::Bool(true))
    })
}
