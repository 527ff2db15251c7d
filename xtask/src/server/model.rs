//! The server side of the spec as a model: the operations grouped by tag, each with the fields the
//! router parses, the checks it makes before the trait is called, and the answers the trait gives.
//! [`super::emit`] turns it into code; nothing here knows about tokens.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StatusCode, Type,
};
use serde_json::Value;

use crate::spec;

/// The schema of the body `ApiError` writes (crates/tspot-server/src/wire/error.rs). An error
/// status answered with it is `Err(ApiError)`, not a variant of its operation's response.
pub const ERROR_SCHEMA: &str = "ErrorResponse";

/// Every operation of the spec, by tag.
#[derive(Debug)]
pub struct Api {
    pub tags: Vec<Tag>,
}

/// One tag: one trait of the server, named after it.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub description: String,
    pub operations: Vec<Op>,
}

#[derive(Debug)]
pub struct Op {
    /// Its place among the spec's operations (the order of the operation table).
    pub position: usize,
    pub path: String,
    pub method: &'static str,
    pub id: String,
    pub tag: String,
    pub doc: String,
    pub security: Vec<Vec<String>>,
    /// Every security requirement names session credentials (cookie or bearer token).
    pub needs_session: bool,
    pub merge_fields: bool,
    /// Header parameters the router requires: (name, example value for the error message).
    pub required_headers: Vec<(String, String)>,
    pub runtime_filters: bool,
    pub fields: Vec<Field>,
    /// The answers the trait method gives: successes, and errors whose body is not the error
    /// body (none in this spec).
    pub responses: Vec<Resp>,
    /// Documented error statuses answered with `ApiError`: (status, description).
    pub errors: Vec<(u16, String)>,
}

#[derive(Debug)]
pub struct Field {
    /// The name, then the aliases the router also accepts.
    pub names: Vec<String>,
    /// The Rust field name.
    pub ident: String,
    pub kind: Kind,
    pub presence: Presence,
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    /// Text where a blank value counts as not sent (`x-tspot-blank-is-absent`).
    NonBlankText,
    Bool,
    Int32,
    Int64,
    Number,
    /// A model enumeration, by type name.
    Enum(String),
    List(Box<Kind>),
    /// One value, which may also arrive as a list holding just it (`x-tspot-list-of-one`).
    ListOfOne(Box<Kind>),
    /// A JSON document of a model type, and the properties of its objects whose blank text counts
    /// as not sent (`x-tspot-blank-is-absent` on a property of the document's schema).
    Json(ModelType, Vec<String>),
}

/// A model type (of the types crate), or a list of one.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelType {
    One(String),
    List(String),
}

#[derive(Debug, PartialEq)]
pub enum Presence {
    Required,
    Default(DefaultValue),
    Optional,
}

/// A field's default, checked against its kind.
#[derive(Debug, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Number(f64),
    Text(String),
    /// An enumeration value, checked against the enumeration.
    EnumValue(String),
    EmptyList,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    /// The variant name: the status's reason phrase (`NoContent`).
    pub variant: String,
    pub body: Body,
    pub headers: Vec<Header>,
    pub doc: String,
}

#[derive(Debug, PartialEq)]
pub enum Body {
    None,
    Json(ModelType),
    Bytes(String),
    Text(String),
}

#[derive(Debug)]
pub struct Header {
    /// Lower case.
    pub name: String,
    pub ident: String,
    pub list: bool,
    pub required: bool,
}

impl Api {
    /// Every operation, in the spec's order.
    pub fn operations(&self) -> Vec<&Op> {
        let mut all: Vec<&Op> = self.tags.iter().flat_map(|tag| &tag.operations).collect();
        all.sort_by_key(|op| op.position);
        all
    }
}

impl Tag {
    /// `UserApi` for `user`.
    pub fn trait_name(&self) -> String {
        format!("{}Api", self.name.to_upper_camel_case())
    }
}

impl Op {
    /// The trait method, from the operation id: `searchData` is `search_data`.
    pub fn method_name(&self) -> String {
        self.id.to_snake_case()
    }

    pub fn input_name(&self) -> String {
        format!("{}Input", self.id.to_upper_camel_case())
    }

    /// The answer when there is one with neither headers nor a sibling: its body type alone
    /// (`()` for none) is what the trait method returns.
    pub fn single_answer(&self) -> Option<&Resp> {
        match self.responses.as_slice() {
            [only] if only.headers.is_empty() => Some(only),
            _ => None,
        }
    }

    /// The response enum's name, when the operation needs one ([`Op::single_answer`] is `None`).
    pub fn response_name(&self) -> String {
        format!("{}Response", self.id.to_upper_camel_case())
    }
}

/// Reads the spec into the model. `type_names` holds the model types (of the types crate) that
/// fields and bodies may name.
pub fn read(document: &OpenAPI, type_names: &[String]) -> Result<Api, String> {
    let mut tags: Vec<Tag> = document
        .tags
        .iter()
        .map(|tag| Tag {
            name: tag.name.clone(),
            description: tag.description.clone().unwrap_or_default(),
            operations: Vec::new(),
        })
        .collect();
    for (position, (path, method, operation)) in spec::operations(document).into_iter().enumerate()
    {
        let op = Op::from_spec(document, position, path, method, operation, type_names)
            .map_err(|e| format!("operation `{}`: {e}", spec::operation_id(operation)))?;
        match tags.iter_mut().find(|tag| tag.name == op.tag) {
            Some(tag) => tag.operations.push(op),
            None => tags.push(Tag {
                name: op.tag.clone(),
                description: String::new(),
                operations: vec![op],
            }),
        }
    }
    tags.retain(|tag| !tag.operations.is_empty());
    let mut methods: Vec<String> = tags
        .iter()
        .flat_map(|t| &t.operations)
        .map(Op::method_name)
        .collect();
    methods.sort();
    if let Some(pair) = methods.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!(
            "two operations make the method `{}`; the router's implementation holds every trait",
            pair[0]
        ));
    }
    Ok(Api { tags })
}

/// What a security requirement asks of a request, by the kind of scheme it names.
enum SchemeKind {
    /// Session credentials: the `JSESSIONID` cookie (apiKey in cookie) or a bearer token.
    Session,
    /// A header the router requires (apiKey in header), with the value to suggest in its 400.
    Header { name: String, hint: String },
}

fn scheme_kind(document: &OpenAPI, scheme: &str) -> Result<SchemeKind, String> {
    let scheme_def = document
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(scheme))
        .and_then(ReferenceOr::as_item)
        .ok_or_else(|| format!("unknown security scheme `{scheme}`"))?;
    match scheme_def {
        openapiv3::SecurityScheme::APIKey {
            location: openapiv3::APIKeyLocation::Cookie,
            ..
        } => Ok(SchemeKind::Session),
        openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
            Ok(SchemeKind::Session)
        }
        openapiv3::SecurityScheme::APIKey {
            location: openapiv3::APIKeyLocation::Header,
            name,
            extensions,
            ..
        } => Ok(SchemeKind::Header {
            name: name.clone(),
            hint: extensions
                .get("x-tspot-value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        }),
        _ => Err(format!(
            "security scheme `{scheme}`: only cookie and header API keys and bearer tokens are supported"
        )),
    }
}

impl Op {
    fn from_spec(
        document: &OpenAPI,
        position: usize,
        path: &str,
        method: &'static str,
        operation: &Operation,
        type_names: &[String],
    ) -> Result<Op, String> {
        let id = operation
            .operation_id
            .clone()
            .ok_or("every operation needs an operationId")?;
        let tag = match operation.tags.as_slice() {
            [tag] => tag.clone(),
            _ => return Err("every operation needs exactly one tag".into()),
        };
        let doc = [
            operation.summary.clone().unwrap_or_default(),
            operation.description.clone().unwrap_or_default(),
            format!("`{method} {path}`"),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
        let security: Vec<Vec<String>> = operation
            .security
            .as_ref()
            .or(document.security.as_ref())
            .map(|requirements| {
                requirements
                    .iter()
                    .map(|r| r.keys().cloned().collect())
                    .collect()
            })
            .unwrap_or_default();
        let flag = |name: &str| operation.extensions.get(name) == Some(&Value::Bool(true));

        let mut fields = Vec::new();
        let mut required_headers = Vec::new();
        // A header API key that every security requirement lists is a header the router requires;
        // a requirement met by session credentials alone makes the operation need a session.
        let mut needs_session = !security.is_empty();
        let mut header_counts: Vec<(String, String, usize)> = Vec::new();
        for requirement in &security {
            let mut has_session = false;
            for scheme in requirement {
                match scheme_kind(document, scheme)? {
                    SchemeKind::Session => has_session = true,
                    SchemeKind::Header { name, hint } => {
                        match header_counts.iter_mut().find(|(n, _, _)| *n == name) {
                            Some(entry) => entry.2 += 1,
                            None => header_counts.push((name, hint, 1)),
                        }
                    }
                }
            }
            needs_session &= has_session;
        }
        for (name, hint, count) in header_counts {
            if count == security.len() {
                required_headers.push((name, hint));
            }
        }
        // Names that are declared for readers but parsed as aliases of another field.
        let alias_names = alias_names(document, operation)?;
        for parameter in &operation.parameters {
            let parameter = spec::parameter(document, parameter)?;
            let data = match parameter {
                Parameter::Query { parameter_data, .. } => parameter_data,
                Parameter::Header { parameter_data, .. } => {
                    // Header parameters are checked by the router, not handed to the trait.
                    if parameter_data.required {
                        let hint = parameter_data
                            .example
                            .as_ref()
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        required_headers.push((parameter_data.name.clone(), hint));
                    }
                    continue;
                }
                _ => return Err("only query and header parameters are supported".into()),
            };
            if alias_names.contains(&data.name) {
                continue;
            }
            // Declared for generated clients; the router collects them into `runtime_filters`.
            if flag("x-tspot-runtime-filters") && is_runtime_filter_field(&data.name) {
                continue;
            }
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(format!("parameter `{}` needs a schema", data.name));
            };
            let mut field = spec::field_schema(document, schema)
                .ok_or_else(|| format!("parameter `{}`: unresolved schema", data.name))?;
            field.extensions.extend(data.extensions.clone());
            let description = data.description.as_deref().or(field.description);
            fields.push(Field::new(
                document,
                type_names,
                &data.name,
                &field,
                data.required,
                description,
            )?);
        }
        if let Some(body) = &operation.request_body {
            let body = body
                .as_item()
                .ok_or("request body references are not supported")?;
            // The router reads urlencoded and multipart bodies alike, so an operation may declare
            // both, with one schema.
            let mut schemas = Vec::new();
            for (content_type, media) in &body.content {
                if !matches!(
                    content_type.as_str(),
                    "application/x-www-form-urlencoded" | "multipart/form-data"
                ) {
                    return Err(format!("unsupported request content type {content_type}"));
                }
                let schema = media.schema.as_ref().ok_or("request body needs a schema")?;
                schemas.push(form_object(document, schema).ok_or_else(|| {
                    format!("the {content_type} body schema must be an object (or allOf one)")
                })?);
            }
            let object = *schemas
                .first()
                .ok_or("a request body needs a content type")?;
            if schemas.iter().any(|other| *other != object) {
                return Err("every request content type needs the same fields".into());
            }
            for (name, property) in &object.properties {
                if alias_names.contains(name) {
                    continue;
                }
                let property = spec::unbox(property);
                let field = spec::field_schema(document, &property)
                    .ok_or_else(|| format!("property `{name}`: unresolved schema"))?;
                fields.push(Field::new(
                    document,
                    type_names,
                    name,
                    &field,
                    // A field the body requires is required when the body is, or when the
                    // operation reads fields from the query string too (the body may be left out
                    // for them); otherwise fields of an optional body are optional.
                    (body.required || flag("x-tspot-merge-fields"))
                        && object.required.contains(name),
                    field.description,
                )?);
            }
        }

        let mut responses = Vec::new();
        let mut errors = Vec::new();
        for (status, response) in &operation.responses.responses {
            let StatusCode::Code(status) = status else {
                return Err("status ranges are not supported".into());
            };
            let response = match response {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| document.components.as_ref()?.responses.get(name))
                    .and_then(ReferenceOr::as_item)
                    .ok_or_else(|| format!("unresolved response {reference}"))?,
            };
            let resp = Resp::new(document, *status, response, type_names)?;
            if *status >= 400 && resp.body == Body::Json(ModelType::One(ERROR_SCHEMA.into())) {
                errors.push((*status, response.description.clone()));
            } else {
                responses.push(resp);
            }
        }
        if responses.is_empty() {
            return Err("no success response".into());
        }

        Ok(Op {
            position,
            path: path.to_string(),
            method,
            id,
            tag,
            doc,
            security,
            needs_session,
            merge_fields: flag("x-tspot-merge-fields"),
            required_headers,
            runtime_filters: flag("x-tspot-runtime-filters"),
            fields,
            responses,
            errors,
        })
    }
}

fn scalar_kind(
    reference: Option<&str>,
    schema: &Schema,
    type_names: &[String],
) -> Result<Kind, String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => match reference {
            Some(reference) => Ok(Kind::Enum(type_name(reference, type_names)?)),
            None => Err("enumerations must be a $ref to a named schema".into()),
        },
        SchemaKind::Type(Type::String(_)) => Ok(Kind::Text),
        SchemaKind::Type(Type::Boolean(_)) => Ok(Kind::Bool),
        SchemaKind::Type(Type::Integer(integer)) => Ok(match &integer.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                Kind::Int32
            }
            _ => Kind::Int64,
        }),
        SchemaKind::Type(Type::Number(_)) => Ok(Kind::Number),
        _ => Err("only string, boolean, integer, number and $ref enums travel as fields; use x-tspot-json or x-tspot-lenient-list for structured values".into()),
    }
}

/// A `$ref`, or an array of `$ref` items, as a model type.
fn model_type(
    reference: Option<&str>,
    schema: &Schema,
    type_names: &[String],
) -> Result<ModelType, String> {
    if let Some(reference) = reference {
        return Ok(ModelType::One(type_name(reference, type_names)?));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Reference { reference }) => {
                Ok(ModelType::List(type_name(reference, type_names)?))
            }
            _ => Err("arrays need $ref items".into()),
        },
        _ => Err("a $ref or an array of $ref is needed".into()),
    }
}

fn default_value(kind: &Kind, default: &Value, schema: &Schema) -> Result<DefaultValue, String> {
    match (kind, default) {
        (Kind::Bool, Value::Bool(b)) => Ok(DefaultValue::Bool(*b)),
        (Kind::Int64, Value::Number(n)) => Ok(DefaultValue::Int(
            n.as_i64().ok_or("integer default out of range")?,
        )),
        (Kind::Int32, Value::Number(n)) => Ok(DefaultValue::Int(
            n.as_i64()
                .filter(|n| i32::try_from(*n).is_ok())
                .ok_or("int32 default out of range")?,
        )),
        (Kind::Number, Value::Number(n)) => Ok(DefaultValue::Number(
            n.as_f64().ok_or("number default out of range")?,
        )),
        (Kind::Text | Kind::NonBlankText, Value::String(s)) => Ok(DefaultValue::Text(s.clone())),
        (Kind::Enum(_), Value::String(s)) => {
            let allowed = match &schema.schema_kind {
                SchemaKind::Type(Type::String(string)) => &string.enumeration,
                _ => return Err("enum default on a non-string schema".into()),
            };
            if !allowed.iter().flatten().any(|v| v == s) {
                return Err(format!("default `{s}` is not one of the enum values"));
            }
            Ok(DefaultValue::EnumValue(s.clone()))
        }
        (Kind::List(_), Value::Array(items)) if items.is_empty() => Ok(DefaultValue::EmptyList),
        _ => Err(format!("unsupported default {default}")),
    }
}

/// A Rust identifier for a wire name (`type` is `type_`).
pub fn ident(name: &str) -> String {
    let snake = name.to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else {
        format!("{snake}_")
    }
}

impl Resp {
    fn new(
        document: &OpenAPI,
        status: u16,
        response: &openapiv3::Response,
        type_names: &[String],
    ) -> Result<Resp, String> {
        let reason = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .ok_or_else(|| format!("unknown status {status}"))?;
        let variant = reason.replace(['-', '\''], " ").to_upper_camel_case();
        // A response declared in several content types (JSON also offered as `text/plain` to
        // clients that ask for it) is answered as JSON.
        let contents: Vec<_> = match response.content.get("application/json") {
            Some(media) if response.content.len() > 1 => vec![("application/json", media)],
            _ => response
                .content
                .iter()
                .map(|(content_type, media)| (content_type.as_str(), media))
                .collect(),
        };
        let body = match contents.as_slice() {
            [] => Body::None,
            [(content_type, media)] => match *content_type {
                "application/json" => {
                    let schema = media
                        .schema
                        .as_ref()
                        .ok_or_else(|| format!("{status} response needs a schema"))?;
                    let resolved = spec::resolve(document, schema)
                        .ok_or_else(|| format!("{status} response: unresolved schema"))?;
                    Body::Json(
                        model_type(reference_of(schema), resolved, type_names)
                            .map_err(|e| format!("{status} response: {e}"))?,
                    )
                }
                "text/plain" => Body::Text(content_type.to_string()),
                other => Body::Bytes(other.to_string()),
            },
            _ => return Err(format!("{status} response has several content types")),
        };
        let mut headers: Vec<Header> = response
            .headers
            .iter()
            .map(|(name, header)| {
                let header = match header {
                    ReferenceOr::Item(header) => header,
                    ReferenceOr::Reference { reference } => reference
                        .strip_prefix("#/components/headers/")
                        .and_then(|n| document.components.as_ref()?.headers.get(n))
                        .and_then(ReferenceOr::as_item)
                        .ok_or_else(|| format!("header {name}: unresolved {reference}"))?,
                };
                let list = matches!(
                    &header.format,
                    ParameterSchemaOrContent::Schema(ReferenceOr::Item(Schema {
                        schema_kind: SchemaKind::Type(Type::Array(_)),
                        ..
                    }))
                );
                Ok(Header {
                    ident: ident(name),
                    name: name.to_ascii_lowercase(),
                    list,
                    required: header.required,
                })
            })
            .collect::<Result<_, String>>()?;
        headers.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Resp {
            status,
            variant,
            body,
            headers,
            doc: response.description.clone(),
        })
    }
}

/// Names that an operation declares as parameters or body properties for readers, but that the
/// server parses as aliases of another field (`x-tspot-aliases` on that field).
fn alias_names(document: &OpenAPI, operation: &Operation) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut collect = |extensions: &indexmap::IndexMap<String, Value>| -> Result<(), String> {
        if let Some(aliases) = extensions.get("x-tspot-aliases") {
            let aliases: Vec<String> = serde_json::from_value(aliases.clone())
                .map_err(|e| format!("x-tspot-aliases must be a list of names: {e}"))?;
            names.extend(aliases);
        }
        Ok(())
    };
    for parameter in &operation.parameters {
        collect(
            &spec::parameter(document, parameter)?
                .parameter_data_ref()
                .extensions,
        )?;
    }
    if let Some(body) = operation
        .request_body
        .as_ref()
        .and_then(ReferenceOr::as_item)
    {
        for media in body.content.values() {
            let object = media
                .schema
                .as_ref()
                .and_then(|schema| form_object(document, schema));
            for property in object.into_iter().flat_map(|o| o.properties.values()) {
                if let Some(field) = spec::field_schema(document, &spec::unbox(property)) {
                    collect(&field.extensions)?;
                }
            }
        }
    }
    Ok(names)
}

/// `col<n>`, `op<n>`, `val<n>`: a runtime filter's fields.
fn is_runtime_filter_field(name: &str) -> bool {
    ["col", "op", "val"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The object schema of a form body: a component, or a component that is `allOf` one other (a
/// schema of its own for one content type, holding the same fields).
fn form_object<'a>(
    document: &'a OpenAPI,
    schema: &'a ReferenceOr<Schema>,
) -> Option<&'a openapiv3::ObjectType> {
    let schema = spec::resolve(document, schema)?;
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(object),
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => form_object(document, &all_of[0]),
        _ => None,
    }
}

fn reference_of(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(_) => None,
    }
}

/// The model type a `$ref` names, checked against the types crate.
fn type_name(reference: &str, type_names: &[String]) -> Result<String, String> {
    let name = spec::schema_ref_name(reference)
        .ok_or_else(|| format!("unsupported reference {reference}"))?
        .to_upper_camel_case();
    if !type_names.contains(&name) {
        return Err(format!(
            "progenitor produced no type named {name} for {reference}"
        ));
    }
    Ok(name)
}

impl Field {
    fn new(
        document: &OpenAPI,
        type_names: &[String],
        name: &str,
        field: &spec::FieldSchema<'_>,
        required: bool,
        description: Option<&str>,
    ) -> Result<Field, String> {
        let context = |e: String| format!("field `{name}`: {e}");
        let (reference, schema, extensions) = (field.reference, field.schema, &field.extensions);
        let kind = if let Some(list) = extensions.get("x-tspot-lenient-list") {
            let items: ReferenceOr<Schema> = serde_json::from_value(
                list.get("items")
                    .cloned()
                    .ok_or("x-tspot-lenient-list needs `items`")
                    .map_err(|e| context(e.into()))?,
            )
            .map_err(|e| context(format!("x-tspot-lenient-list items: {e}")))?;
            let item_schema = spec::resolve(document, &items)
                .ok_or_else(|| context("unresolved list item schema".into()))?;
            let item =
                scalar_kind(reference_of(&items), item_schema, type_names).map_err(context)?;
            Kind::List(Box::new(item))
        } else if let Some(json) = extensions.get("x-tspot-json") {
            let json_error = |e: String| context(format!("x-tspot-json: {e}"));
            let (ty, blanks) = match json {
                // The field's own schema describes the JSON document.
                Value::Bool(true) => (
                    model_type(reference, schema, type_names).map_err(json_error)?,
                    blank_properties(document, schema).map_err(json_error)?,
                ),
                // A file part (`format: binary`) holding a JSON document of this schema.
                Value::Object(_) => {
                    let inner: ReferenceOr<Schema> = serde_json::from_value(json.clone())
                        .map_err(|e| json_error(e.to_string()))?;
                    let inner_schema = spec::resolve(document, &inner)
                        .ok_or_else(|| json_error("unresolved schema".into()))?;
                    (
                        model_type(reference_of(&inner), inner_schema, type_names)
                            .map_err(json_error)?,
                        blank_properties(document, inner_schema).map_err(json_error)?,
                    )
                }
                _ => return Err(context("x-tspot-json must be true or a schema".into())),
            };
            Kind::Json(ty, blanks)
        } else {
            scalar_kind(reference, schema, type_names).map_err(context)?
        };
        let kind = text_rules(kind, extensions).map_err(context)?;
        let presence = if required {
            Presence::Required
        } else if let Some(default) = field.default {
            Presence::Default(default_value(&kind, default, schema).map_err(context)?)
        } else {
            Presence::Optional
        };
        let mut names = vec![name.to_string()];
        if let Some(aliases) = extensions.get("x-tspot-aliases") {
            let aliases: Vec<String> = serde_json::from_value(aliases.clone())
                .map_err(|e| context(format!("x-tspot-aliases must be a list of names: {e}")))?;
            names.extend(aliases);
        }
        Ok(Field {
            ident: ident(name),
            names,
            kind,
            presence,
            doc: description.unwrap_or_default().to_string(),
        })
    }
}

/// The properties of a JSON document's objects (the document's schema, or its items) that say
/// `x-tspot-blank-is-absent`; each must be a string.
fn blank_properties(document: &OpenAPI, schema: &Schema) -> Result<Vec<String>, String> {
    if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind {
        let items = spec::unbox(array.items.as_ref().ok_or("an array needs items")?);
        let items = spec::resolve(document, &items).ok_or("unresolved items")?;
        return blank_properties(document, items);
    }
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    for (name, property) in &object.properties {
        let property = spec::unbox(property);
        let Some(field) = spec::field_schema(document, &property) else {
            continue;
        };
        if field.extensions.get("x-tspot-blank-is-absent") != Some(&Value::Bool(true)) {
            continue;
        }
        if !matches!(field.schema.schema_kind, SchemaKind::Type(Type::String(_))) {
            return Err(format!(
                "x-tspot-blank-is-absent on `{name}`: it applies to string properties"
            ));
        }
        names.push(name.clone());
    }
    Ok(names)
}

/// The per-field wire rules of spec/README.md that change how a scalar is read.
fn text_rules(kind: Kind, extensions: &indexmap::IndexMap<String, Value>) -> Result<Kind, String> {
    let flag = |name: &str| -> Result<bool, String> {
        match extensions.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(format!("{name} must be true or false, not {other}")),
        }
    };
    let kind = if flag("x-tspot-blank-is-absent")? {
        match kind {
            Kind::Text => Kind::NonBlankText,
            // Other scalars count a blank value as not sent anyway.
            _ => return Err("x-tspot-blank-is-absent applies to plain string fields".into()),
        }
    } else {
        kind
    };
    if flag("x-tspot-list-of-one")? {
        return match kind {
            Kind::List(_) | Kind::ListOfOne(_) | Kind::Json(..) => {
                Err("x-tspot-list-of-one applies to a field holding one value".into())
            }
            one => Ok(Kind::ListOfOne(Box::new(one))),
        };
    }
    Ok(kind)
}

#[cfg(test)]
mod tests;
