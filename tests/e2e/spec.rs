//! The spec itself: the operation table, and every example against its schema and its Rust type.

use serde_json::{Value, json};
use tspot_server::{OPERATIONS, types};

pub const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/thoughtspot-v1.yaml");

fn spec() -> Value {
    serde_yaml_ng::from_str(&std::fs::read_to_string(SPEC_PATH).unwrap()).unwrap()
}

#[test]
fn operation_table() {
    let rows: Vec<String> = OPERATIONS
        .iter()
        .map(|op| {
            let security: Vec<String> = op.security.iter().map(|r| r.join("+")).collect();
            format!(
                "{:<5} {:<40} {:<26} {:<9} {}",
                op.method,
                op.path,
                op.operation_id,
                op.tag,
                security.join(" | ")
            )
        })
        .collect();
    assert_eq!(rows.len(), 17, "the 17 operations of the v1 API");
    insta::assert_snapshot!(rows.join("\n"));
}

/// Every example in the spec, with the schema it must satisfy: `(where, schema, example)`.
fn examples(spec: &Value) -> Vec<(String, Value, Value)> {
    let mut found = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        if let Some(example) = schema.get("example") {
            found.push((format!("schema {name}"), reference.clone(), example.clone()));
        }
        for (property, property_schema) in schema["properties"].as_object().into_iter().flatten() {
            if let Some(example) = property_schema.get("example") {
                found.push((
                    format!("schema {name}.{property}"),
                    property_schema.clone(),
                    example.clone(),
                ));
            }
        }
    }
    let mut media = Vec::new();
    for (name, response) in spec["components"]["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        media.push((format!("response {name}"), response.clone()));
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if let Some(example) = parameter.get("example") {
                    found.push((
                        format!("{at} parameter {}", parameter["name"]),
                        parameter["schema"].clone(),
                        example.clone(),
                    ));
                }
            }
            media.push((format!("{at} request"), operation["requestBody"].clone()));
            for (status, response) in operation["responses"].as_object().unwrap() {
                media.push((format!("{at} {status}"), response.clone()));
            }
        }
    }
    for (at, holder) in media {
        for (content_type, media_type) in holder["content"].as_object().into_iter().flatten() {
            let schema = media_type["schema"].clone();
            if let Some(example) = media_type.get("example") {
                found.push((
                    format!("{at} {content_type}"),
                    schema.clone(),
                    example.clone(),
                ));
            }
            for (name, example) in media_type["examples"].as_object().into_iter().flatten() {
                found.push((
                    format!("{at} {content_type} example {name}"),
                    schema.clone(),
                    example["value"].clone(),
                ));
            }
        }
    }
    found
}

#[test]
fn every_example_validates_against_its_schema() {
    let spec = spec();
    let examples = examples(&spec);
    assert!(
        examples.len() > 50,
        "only {} examples found",
        examples.len()
    );
    let mut failures = Vec::new();
    for (at, schema, example) in &examples {
        // OpenAPI 3.0 schemas are JSON Schema draft 4 plus keywords validators ignore.
        let mut document = schema.clone();
        if let Some(object) = document.as_object_mut() {
            object.insert("components".into(), spec["components"].clone());
        }
        let validator = jsonschema::draft4::new(&document)
            .unwrap_or_else(|e| panic!("{at}: schema does not compile: {e}"));
        for error in validator.iter_errors(example) {
            failures.push(format!("{at}: {error} at {}", error.instance_path()));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not match their schema:\n{}",
        failures.join("\n")
    );
}

/// Deserialises a value as the generated Rust type of a component schema.
fn as_generated_type(schema: &str, value: &Value) -> Result<(), String> {
    macro_rules! check {
        ($($name:ident),* $(,)?) => {
            match schema {
                $(stringify!($name) => serde_json::from_value::<types::$name>(value.clone())
                    .map(|_| ())
                    .map_err(|e| e.to_string()),)*
                other => Err(format!("no generated type registered for schema {other}")),
            }
        };
    }
    check!(
        AccessLevel,
        DataFormat,
        ErrorResponse,
        ExportPinboardPdfForm,
        GroupDetails,
        GroupHeader,
        GroupPrivilegeForm,
        GroupPrivilegeParts,
        MetadataCategory,
        MetadataHeader,
        MetadataSort,
        MetadataSubtype,
        MetadataType,
        OrgScope,
        PdfLayoutType,
        PdfOrientation,
        PinboardData,
        PinboardDataForm,
        Principal,
        PrincipalType,
        Privilege,
        RuntimeFilterOperator,
        SearchDataForm,
        SearchDataResult,
        SessionAuthTokenForm,
        SessionLoginForm,
        SessionLoginTokenForm,
        TagHeader,
        TmlDependency,
        TmlExportForm,
        TmlExportInfo,
        TmlExportObject,
        TmlExportResult,
        TmlFormat,
        TmlImportForm,
        TmlImportHeader,
        TmlImportObjectResult,
        TmlImportPolicy,
        TmlImportResponse,
        TmlImportResult,
        TmlStatus,
        TmlStatusCode,
        UserSyncForm,
        UserSyncPrincipal,
        UserSyncResult,
        UserUpdatePasswordForm,
        Visibility,
        VizData,
        VizHeader,
        VizTitle,
        VizTitleValue,
        VizType,
    )
}

#[test]
fn every_schema_example_deserializes_into_the_generated_type() {
    let spec = spec();
    let mut failures = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let example = schema.get("example").cloned();
        match example {
            Some(example) => {
                if let Err(e) = as_generated_type(name, &example) {
                    failures.push(format!("{name}: {e}"));
                }
            }
            None => failures.push(format!("{name}: no example")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
