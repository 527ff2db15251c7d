//! `cargo xtask spec-diff OLD NEW`: the breaking-change guard between two OpenAPI 3.0 documents.
//!
//! A change breaks an existing client when a client written (or generated) against OLD stops
//! working against a server of NEW. The rules, each reported as one finding:
//!
//! - **operations**: an operation (method and path; path parameter names do not matter) is gone,
//!   or its `operationId` changed (generated clients name their methods after it);
//! - **responses** (every status both documents have, through `$ref`, `allOf` and nested
//!   objects, arrays and maps): a success status (1xx to 3xx) or a media type is gone; a field is
//!   gone, is no longer `required`, has another type or format, may now be `null`, or (an enum) may
//!   hold a value OLD did not list, which generated clients reject;
//! - **requests**: a parameter (query, header, cookie) or a request-body field (urlencoded form,
//!   multipart part or JSON property, at any depth of a field that existed before) is newly
//!   required, or was optional and is now required; a request body is newly required; a request
//!   media type is gone; an existing parameter or field has another type, no longer accepts `null`,
//!   or accepts fewer enum values.
//!
//! Findings are allowed when NEW's `info.version` has a greater major than OLD's: the command
//! prints them and succeeds. Otherwise it prints them and fails.
//!
//! Field paths are written from the body's root `$`: `$[].header.id` is the `id` of the `header`
//! of each element of an array body, `$.*` the values of a map.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};

/// One breaking change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// `METHOD /path (operationId)`.
    pub operation: String,
    /// What broke, in words.
    pub what: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.what)
    }
}

/// The outcome of comparing two documents.
pub struct Report {
    pub old_version: String,
    pub new_version: String,
    pub findings: Vec<Finding>,
    /// NEW's major version is greater than OLD's: breaking changes are allowed.
    pub major_bump: bool,
}

impl Report {
    pub fn passes(&self) -> bool {
        self.findings.is_empty() || self.major_bump
    }
}

pub fn run(old_path: &str, new_path: &str) -> Result<(), String> {
    let read =
        |path: &str| std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"));
    let report = compare_texts(old_path, &read(old_path)?, new_path, &read(new_path)?)?;
    let versions = format!(
        "{old_path} ({}) -> {new_path} ({})",
        report.old_version, report.new_version
    );
    if report.findings.is_empty() {
        println!("spec-diff: no breaking changes, {versions}");
        return Ok(());
    }
    println!(
        "spec-diff: {} breaking change(s), {versions}:",
        report.findings.len()
    );
    for finding in &report.findings {
        println!("  - {finding}");
    }
    if report.passes() {
        // A new major allows breaking changes only when spec/CHANGELOG.md records them: a section
        // for the new version that names every operation broken.
        let changelog_path = crate::codegen::workspace_root().join(CHANGELOG);
        let changelog = std::fs::read_to_string(&changelog_path)
            .map_err(|e| format!("cannot read {}: {e}", changelog_path.display()))?;
        let unrecorded = unrecorded(&report, &changelog);
        if unrecorded.is_empty() {
            println!("allowed: the major version went up and {CHANGELOG} records the changes");
            Ok(())
        } else {
            Err(format!(
                "the major version went up, but {CHANGELOG} does not record these breaking changes \
                 in a `## {}` section naming their operations:\n  - {}",
                report.new_version,
                unrecorded
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n  - ")
            ))
        }
    } else {
        Err(format!(
            "{} breaking change(s) from {old_path} to {new_path} without a new major version; undo \
             them, or raise info.version in {new_path} to {}.0.0 and record them in spec/CHANGELOG.md",
            report.findings.len(),
            major(&report.old_version).map_or(0, |m| m + 1)
        ))
    }
}

/// Where breaking changes are recorded, relative to the workspace root.
pub const CHANGELOG: &str = "spec/CHANGELOG.md";

/// The findings of `report` that `changelog` does not record: it needs a section headed
/// `## <new version>` (up to the next `## `) that names the operation id of each.
pub fn unrecorded<'a>(report: &'a Report, changelog: &str) -> Vec<&'a Finding> {
    let heading = format!("## {}", report.new_version);
    let mut section: Option<String> = None;
    for line in changelog.lines() {
        if line.starts_with("## ") {
            if section.is_some() {
                break;
            }
            if line == heading || line.starts_with(&format!("{heading} ")) {
                section = Some(String::new());
            }
        } else if let Some(text) = section.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    report
        .findings
        .iter()
        .filter(|finding| {
            let id = finding
                .operation
                .rsplit_once('(')
                .map_or(finding.operation.as_str(), |(_, id)| {
                    id.trim_end_matches(')')
                });
            !section
                .as_ref()
                .is_some_and(|section| section.contains(&format!("`{id}`")))
        })
        .collect()
}

/// Parses both documents (YAML or JSON) and compares them.
pub fn compare_texts(
    old_name: &str,
    old_text: &str,
    new_name: &str,
    new_text: &str,
) -> Result<Report, String> {
    let load = |name: &str, text: &str| -> Result<OpenAPI, String> {
        let document: OpenAPI = serde_yaml_ng::from_str(text)
            .map_err(|e| format!("{name} is not an OpenAPI 3.0 document: {e}"))?;
        if !document.openapi.starts_with("3.0.") {
            return Err(format!(
                "{name} says openapi {}; spec-diff reads 3.0.x",
                document.openapi
            ));
        }
        Ok(document)
    };
    let (old, new) = (load(old_name, old_text)?, load(new_name, new_text)?);
    let old_major = major(&old.info.version).ok_or_else(|| {
        format!(
            "{old_name}: info.version {:?} is not semver",
            old.info.version
        )
    })?;
    let new_major = major(&new.info.version).ok_or_else(|| {
        format!(
            "{new_name}: info.version {:?} is not semver",
            new.info.version
        )
    })?;
    Ok(Report {
        findings: compare(&old, &new),
        major_bump: new_major > old_major,
        old_version: old.info.version,
        new_version: new.info.version,
    })
}

fn major(version: &str) -> Option<u64> {
    version
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Every breaking change from `old` to `new`, sorted.
pub fn compare(old: &OpenAPI, new: &OpenAPI) -> Vec<Finding> {
    let mut diff = Diff {
        old,
        new,
        findings: Vec::new(),
        seen: HashSet::new(),
    };
    let new_operations = operations(new);
    for (key, (label, old_op, old_path_params)) in operations(old) {
        let Some((_, new_op, new_path_params)) = new_operations.get(&key) else {
            diff.report(&label, "operation removed".into());
            continue;
        };
        if let (Some(a), Some(b)) = (&old_op.operation_id, &new_op.operation_id)
            && a != b
        {
            diff.report(&label, format!("operationId renamed from {a} to {b}"));
        }
        diff.operation(&label, (old_op, old_path_params), (new_op, new_path_params));
    }
    let mut findings = diff.findings;
    findings.sort();
    findings.dedup();
    findings
}

type PathParams<'a> = &'a [ReferenceOr<Parameter>];

/// Operations keyed by `METHOD /path` with path parameter names blanked, with their label and the
/// path item's shared parameters.
fn operations(document: &OpenAPI) -> IndexMap<String, (String, &Operation, PathParams<'_>)> {
    let mut all = IndexMap::new();
    for (path, item) in document.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let method = method.to_uppercase();
            let key = format!("{method} {}", blank_path_params(path));
            let id = operation
                .operation_id
                .as_deref()
                .unwrap_or("no operationId");
            let label = format!("{method} {path} ({id})");
            all.insert(key, (label, operation, item.parameters.as_slice()));
        }
    }
    all
}

fn blank_path_params(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Direction {
    /// Server to client: the new side may not offer less.
    Response,
    /// Client to server: the new side may not demand more.
    Request,
}

struct Diff<'a> {
    old: &'a OpenAPI,
    new: &'a OpenAPI,
    findings: Vec<Finding>,
    /// Pairs of named schemas already compared at an operation and place, so recursive schemas end.
    seen: HashSet<(Direction, String, String, String)>,
}

impl<'a> Diff<'a> {
    fn report(&mut self, operation: &str, what: String) {
        self.findings.push(Finding {
            operation: operation.to_owned(),
            what,
        });
    }

    fn operation(
        &mut self,
        label: &str,
        (old, old_shared): (&'a Operation, PathParams<'a>),
        (new, new_shared): (&'a Operation, PathParams<'a>),
    ) {
        self.parameters(
            label,
            parameters(self.old, old_shared, old),
            parameters(self.new, new_shared, new),
        );
        self.request_body(label, old, new);
        self.responses(label, old, new);
    }

    fn parameters(
        &mut self,
        label: &str,
        old: IndexMap<(String, String), &'a Parameter>,
        new: IndexMap<(String, String), &'a Parameter>,
    ) {
        for ((location, name), parameter) in &new {
            let data = parameter.parameter_data_ref();
            let before = old.get(&(location.clone(), name.clone()));
            // Path parameters are part of the operation's key: a new path is a new operation.
            if data.required && location != "path" {
                match before {
                    None => {
                        self.report(label, format!("new required {location} parameter `{name}`"))
                    }
                    Some(before) if !before.parameter_data_ref().required => self.report(
                        label,
                        format!("{location} parameter `{name}` is now required"),
                    ),
                    Some(_) => {}
                }
            }
            if let Some(before) = before
                && let (ParameterSchemaOrContent::Schema(a), ParameterSchemaOrContent::Schema(b)) =
                    (&before.parameter_data_ref().format, &data.format)
            {
                let place = format!("{location} parameter `{name}`");
                self.request_schema(label, &place, "$".into(), a, b);
            }
        }
    }

    fn request_body(&mut self, label: &str, old: &'a Operation, new: &'a Operation) {
        let old_body = old
            .request_body
            .as_ref()
            .and_then(|b| request_body(self.old, b));
        let Some(new_body) = new
            .request_body
            .as_ref()
            .and_then(|b| request_body(self.new, b))
        else {
            return;
        };
        let was_required = old_body.is_some_and(|b| b.required);
        if new_body.required && !was_required {
            self.report(label, "request body is now required".into());
        }
        let Some(old_body) = old_body else {
            // A new body: its required fields are new required fields.
            for (media, content) in &new_body.content {
                if let Some(schema) = &content.schema {
                    let shape = shape(self.new, schema);
                    for field in &shape.required {
                        self.report(
                            label,
                            format!("request body {media}: new required field `$.{field}`"),
                        );
                    }
                }
            }
            return;
        };
        for (media, old_content) in &old_body.content {
            let Some(new_content) = new_body.content.get(media) else {
                self.report(label, format!("request body media type {media} removed"));
                continue;
            };
            if let (Some(a), Some(b)) = (&old_content.schema, &new_content.schema) {
                self.request_schema(label, &format!("request body {media}"), "$".into(), a, b);
            }
        }
    }

    fn responses(&mut self, label: &str, old: &'a Operation, new: &'a Operation) {
        let old_responses = responses(self.old, old);
        let new_responses = responses(self.new, new);
        for (status, old_response) in &old_responses {
            let Some(new_response) = new_responses.get(status) else {
                let success = match status.as_str() {
                    "default" => false,
                    s => s.as_bytes()[0] < b'4',
                };
                if success {
                    self.report(label, format!("response {status} removed"));
                }
                continue;
            };
            for (media, old_content) in &old_response.content {
                let Some(new_content) = media_type(&new_response.content, media) else {
                    self.report(
                        label,
                        format!("response {status} media type {media} removed"),
                    );
                    continue;
                };
                if let (Some(a), Some(b)) = (&old_content.schema, &new_content.schema) {
                    let place = format!("response {status} {media}");
                    self.response_schema(label, &place, "$".into(), a, b);
                }
            }
        }
    }

    /// Client-side guarantees the new response schema must keep.
    fn response_schema(
        &mut self,
        label: &str,
        place: &str,
        at: String,
        old: &ReferenceOr<Schema>,
        new: &ReferenceOr<Schema>,
    ) {
        let (o, n) = (shape(self.old, old), shape(self.new, new));
        if !self.first_visit(Direction::Response, label, place, &o, &n) || o.opaque {
            return;
        }
        if let Some(kind) = o.kind
            && (n.kind != Some(kind) || n.opaque)
        {
            let what = format!("{place}: `{at}` retyped from {kind} to {}", n.type_name());
            self.report(label, what);
            return;
        }
        let mut found = Vec::new();
        if o.format != n.format {
            found.push(format!(
                "`{at}` format changed from {} to {}",
                o.format.as_deref().unwrap_or("none"),
                n.format.as_deref().unwrap_or("none")
            ));
        }
        if n.nullable && !o.nullable {
            found.push(format!("`{at}` may now be null"));
        }
        if !o.enumeration.is_empty() {
            if n.enumeration.is_empty() {
                found.push(format!("`{at}` is no longer limited to its enum values"));
            } else {
                let added: Vec<&str> = n
                    .enumeration
                    .iter()
                    .filter(|v| !o.enumeration.contains(v))
                    .map(String::as_str)
                    .collect();
                if !added.is_empty() {
                    found.push(format!("`{at}` may now be {}", added.join(", ")));
                }
            }
        }
        let mut nested = Vec::new();
        for (name, old_field) in &o.properties {
            let field_at = format!("{at}.{name}");
            match n.properties.get(name) {
                None => found.push(format!("field `{field_at}` removed")),
                Some(new_field) => {
                    if o.required.contains(name) && !n.required.contains(name) {
                        found.push(format!("field `{field_at}` is no longer required"));
                    }
                    nested.push((field_at, old_field, new_field));
                }
            }
        }
        if let (Some(a), Some(b)) = (&o.items, &n.items) {
            nested.push((format!("{at}[]"), a, b));
        }
        match (&o.additional, &n.additional) {
            (Some(a), Some(b)) => nested.push((format!("{at}.*"), a, b)),
            (Some(_), None) => found.push(format!("the values of map `{at}` lost their schema")),
            _ => {}
        }
        for what in found {
            self.report(label, format!("{place}: {what}"));
        }
        for (field_at, a, b) in nested {
            self.response_schema(label, place, field_at, a, b);
        }
    }

    /// Server-side demands the new request schema may not add.
    fn request_schema(
        &mut self,
        label: &str,
        place: &str,
        at: String,
        old: &ReferenceOr<Schema>,
        new: &ReferenceOr<Schema>,
    ) {
        let (o, n) = (shape(self.old, old), shape(self.new, new));
        if !self.first_visit(Direction::Request, label, place, &o, &n) || o.opaque || n.opaque {
            return;
        }
        if let (Some(a), Some(b)) = (o.kind, n.kind)
            && a != b
        {
            self.report(label, format!("{place}: `{at}` retyped from {a} to {b}"));
            return;
        }
        let mut found = Vec::new();
        if o.nullable && !n.nullable {
            found.push(format!("`{at}` no longer accepts null"));
        }
        if !n.enumeration.is_empty() {
            if o.enumeration.is_empty() {
                found.push(format!(
                    "`{at}` is now limited to {}",
                    n.enumeration.join(", ")
                ));
            } else {
                let dropped: Vec<&str> = o
                    .enumeration
                    .iter()
                    .filter(|v| !n.enumeration.contains(v))
                    .map(String::as_str)
                    .collect();
                if !dropped.is_empty() {
                    found.push(format!("`{at}` no longer accepts {}", dropped.join(", ")));
                }
            }
        }
        for name in &n.required {
            let field_at = format!("{at}.{name}");
            if !o.properties.contains_key(name) && !o.required.contains(name) {
                found.push(format!("new required field `{field_at}`"));
            } else if !o.required.contains(name) {
                found.push(format!("field `{field_at}` is now required"));
            }
        }
        for what in found {
            self.report(label, format!("{place}: {what}"));
        }
        for (name, new_field) in &n.properties {
            if let Some(old_field) = o.properties.get(name) {
                self.request_schema(label, place, format!("{at}.{name}"), old_field, new_field);
            }
        }
        if let (Some(a), Some(b)) = (&o.items, &n.items) {
            self.request_schema(label, place, format!("{at}[]"), a, b);
        }
        if let (Some(a), Some(b)) = (&o.additional, &n.additional) {
            self.request_schema(label, place, format!("{at}.*"), a, b);
        }
    }

    /// False when this pair of named schemas was already compared here (recursive schemas).
    fn first_visit(
        &mut self,
        direction: Direction,
        label: &str,
        place: &str,
        o: &Shape,
        n: &Shape,
    ) -> bool {
        match (&o.name, &n.name) {
            (Some(a), Some(b)) => {
                self.seen
                    .insert((direction, format!("{label} {place}"), a.clone(), b.clone()))
            }
            _ => true,
        }
    }
}

/// The operation's parameters (path item's, overridden by the operation's) by (location, name).
fn parameters<'a>(
    document: &'a OpenAPI,
    shared: &'a [ReferenceOr<Parameter>],
    operation: &'a Operation,
) -> IndexMap<(String, String), &'a Parameter> {
    let mut all = IndexMap::new();
    for parameter in shared.iter().chain(&operation.parameters) {
        if let Ok(parameter) = crate::spec::parameter(document, parameter) {
            let location = match parameter {
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Path { .. } => "path",
                Parameter::Cookie { .. } => "cookie",
            };
            let name = &parameter.parameter_data_ref().name;
            // Header names are case-insensitive.
            let name = if location == "header" {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            };
            all.insert((location.to_owned(), name), parameter);
        }
    }
    all
}

fn request_body<'a>(
    document: &'a OpenAPI,
    body: &'a ReferenceOr<RequestBody>,
) -> Option<&'a RequestBody> {
    match body {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => document
            .components
            .as_ref()?
            .request_bodies
            .get(reference.strip_prefix("#/components/requestBodies/")?)?
            .as_item(),
    }
}

/// The operation's responses by status (`200`, `2XX`, `default`), `$ref`s followed.
fn responses<'a>(
    document: &'a OpenAPI,
    operation: &'a Operation,
) -> IndexMap<String, &'a Response> {
    let resolve = |response: &'a ReferenceOr<Response>| match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => document
            .components
            .as_ref()?
            .responses
            .get(reference.strip_prefix("#/components/responses/")?)?
            .as_item(),
    };
    let mut all = IndexMap::new();
    for (status, response) in &operation.responses.responses {
        let status = match status {
            StatusCode::Code(code) => code.to_string(),
            StatusCode::Range(range) => format!("{range}XX"),
        };
        if let Some(response) = resolve(response) {
            all.insert(status, response);
        }
    }
    if let Some(response) = operation.responses.default.as_ref().and_then(resolve) {
        all.insert("default".into(), response);
    }
    all
}

/// Media types compare without parameters and case (`application/json; charset=utf-8`).
fn media_type<'a>(content: &'a IndexMap<String, MediaType>, wanted: &str) -> Option<&'a MediaType> {
    let bare = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    content
        .iter()
        .find(|(m, _)| bare(m) == bare(wanted))
        .map(|(_, c)| c)
}

/// What a schema says about a value, seen through `$ref` and merged over `allOf`.
#[derive(Default)]
struct Shape {
    /// The component, when reached through a `$ref`.
    name: Option<String>,
    /// `oneOf`, `anyOf` or `not`: not compared.
    opaque: bool,
    kind: Option<&'static str>,
    format: Option<String>,
    nullable: bool,
    /// Enum values as JSON text.
    enumeration: Vec<String>,
    properties: IndexMap<String, ReferenceOr<Schema>>,
    required: BTreeSet<String>,
    items: Option<ReferenceOr<Schema>>,
    /// The schema of a map's values (`additionalProperties: SCHEMA`).
    additional: Option<ReferenceOr<Schema>>,
}

impl Shape {
    fn type_name(&self) -> &'static str {
        if self.opaque {
            "a oneOf/anyOf"
        } else {
            self.kind.unwrap_or("any type")
        }
    }

    fn merge(&mut self, other: Shape) {
        self.opaque |= other.opaque;
        self.kind = self.kind.or(other.kind);
        self.format = self.format.take().or(other.format);
        self.nullable |= other.nullable;
        if self.enumeration.is_empty() {
            self.enumeration = other.enumeration;
        }
        for (name, schema) in other.properties {
            self.properties.entry(name).or_insert(schema);
        }
        self.required.extend(other.required);
        self.items = self.items.take().or(other.items);
        self.additional = self.additional.take().or(other.additional);
    }
}

fn shape(document: &OpenAPI, schema: &ReferenceOr<Schema>) -> Shape {
    shape_at(document, schema, 0)
}

fn shape_at(document: &OpenAPI, schema: &ReferenceOr<Schema>, depth: usize) -> Shape {
    if depth > 32 {
        return Shape {
            opaque: true,
            ..Shape::default()
        };
    }
    let schema = match schema {
        ReferenceOr::Reference { reference } => {
            let name = crate::spec::schema_ref_name(reference);
            let target = name.and_then(|name| document.components.as_ref()?.schemas.get(name));
            let mut shape = match target {
                Some(target) => shape_at(document, target, depth + 1),
                None => Shape {
                    opaque: true,
                    ..Shape::default()
                },
            };
            shape.name = Some(reference.clone());
            return shape;
        }
        ReferenceOr::Item(schema) => schema,
    };
    // `format` and `enum` read alike for every type from the schema's JSON form.
    let raw = serde_json::to_value(schema).unwrap_or_default();
    let mut shape = Shape {
        nullable: schema.schema_data.nullable,
        format: raw
            .get("format")
            .and_then(|f| f.as_str())
            .map(str::to_owned),
        enumeration: raw
            .get("enum")
            .and_then(|e| e.as_array())
            .map(|values| values.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
        ..Shape::default()
    };
    let unbox = |s: &ReferenceOr<Box<Schema>>| crate::spec::unbox(s);
    let properties = |p: &IndexMap<String, ReferenceOr<Box<Schema>>>| {
        p.iter().map(|(k, v)| (k.clone(), unbox(v))).collect()
    };
    let additional = |a: &Option<AdditionalProperties>| match a {
        Some(AdditionalProperties::Schema(s)) => Some((**s).clone()),
        _ => None,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => shape.kind = Some("string"),
        SchemaKind::Type(Type::Number(_)) => shape.kind = Some("number"),
        SchemaKind::Type(Type::Integer(_)) => shape.kind = Some("integer"),
        SchemaKind::Type(Type::Boolean(_)) => shape.kind = Some("boolean"),
        SchemaKind::Type(Type::Object(t)) => {
            shape.kind = Some("object");
            shape.properties = properties(&t.properties);
            shape.required = t.required.iter().cloned().collect();
            shape.additional = additional(&t.additional_properties);
        }
        SchemaKind::Type(Type::Array(t)) => {
            shape.kind = Some("array");
            shape.items = t.items.as_ref().map(unbox);
        }
        SchemaKind::AllOf { all_of } => {
            for part in all_of {
                shape.merge(shape_at(document, part, depth + 1));
            }
            if let [ReferenceOr::Reference { reference }] = all_of.as_slice() {
                shape.name = Some(reference.clone());
            }
        }
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
            shape.opaque = true;
        }
        SchemaKind::Any(any) => {
            shape.kind = match any.typ.as_deref() {
                Some("string") => Some("string"),
                Some("number") => Some("number"),
                Some("integer") => Some("integer"),
                Some("boolean") => Some("boolean"),
                Some("object") => Some("object"),
                Some("array") => Some("array"),
                _ => None,
            };
            shape.properties = properties(&any.properties);
            shape.required = any.required.iter().cloned().collect();
            shape.items = any.items.as_ref().map(unbox);
            shape.additional = additional(&any.additional_properties);
            shape.opaque = !any.one_of.is_empty() || !any.any_of.is_empty() || any.not.is_some();
            for part in &any.all_of {
                shape.merge(shape_at(document, part, depth + 1));
            }
        }
    }
    shape
}

#[cfg(test)]
mod tests;
