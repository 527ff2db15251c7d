//! The server-trait crate: typed inputs, per-operation response enums, the `ThoughtSpotApi`
//! trait and an axum router that parses requests the way ThoughtSpot does.
//!
//! The model types come from progenitor's type space (the same types the client uses); everything
//! else is generated here from a walk of the openapiv3 document.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StatusCode, Type,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::spec;

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

pub fn generate(document: &OpenAPI, types: &TokenStream) -> Result<TokenStream, String> {
    let type_names = types.to_string();
    let operations = spec::operations(document)
        .into_iter()
        .map(|(path, method, operation)| {
            Op::from_spec(document, path, method, operation, &type_names)
                .map_err(|e| format!("operation `{}`: {e}", spec::operation_id(operation)))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let inputs = operations.iter().map(Op::input_struct);
    let responses = operations.iter().map(Op::response_enum);
    let trait_methods = operations.iter().map(Op::trait_method);
    let handlers = operations.iter().map(Op::handler);
    let routes = routes(&operations);
    let table = operations.iter().map(Op::table_row);

    Ok(quote! {
        #![allow(clippy::all, unused_imports, unused_variables, dead_code)]
        use std::sync::Arc;
        use axum::response::{IntoResponse, Response};
        use crate::context::RequestContext;
        use crate::wire::{self, ApiError};
        use crate::{respond, OperationInfo};

        /// The model types, shared with the client: the `tspot-types` crate.
        pub use tspot_types as types;

        /// Every operation of the spec: method, path, operation id, tag and security.
        pub const OPERATIONS: &[OperationInfo] = &[#(#table),*];

        /// The ThoughtSpot REST API v1, one method per operation.
        ///
        /// The router has already refused requests without `X-Requested-By` (POST) and parsed every
        /// parameter; implementations decide sessions, privileges and results.
        pub trait ThoughtSpotApi: Send + Sync + 'static {
            /// Checks the caller's session for an operation that needs one, before its body is
            /// read: a request with a bogus session is answered without buffering its body. An
            /// implementation may keep what it resolved in `ctx.extensions` for the operation.
            /// The default accepts every request that carries session credentials.
            fn authenticate(
                &self,
                ctx: &mut RequestContext,
            ) -> impl std::future::Future<Output = Result<(), ApiError>> + Send {
                let _ = ctx;
                async { Ok(()) }
            }

            /// The largest request body `operation_id` accepts, in bytes.
            fn body_limit(&self, operation_id: &'static str) -> usize {
                let _ = operation_id;
                wire::DEFAULT_BODY_LIMIT
            }

            #(#trait_methods)*
        }

        #(#inputs)*
        #(#responses)*
        #(#handlers)*

        /// An axum router for every operation under `/callosum/v1/tspublic/v1/...` and
        /// `/tspublic/v1/...`.
        pub fn router<A: ThoughtSpotApi>(api: Arc<A>) -> axum::Router {
            axum::Router::new()
                #(#routes)*
                .with_state(api)
        }
    })
}

struct Op {
    path: String,
    method: &'static str,
    id: String,
    tag: String,
    doc: String,
    security: Vec<Vec<String>>,
    /// Every security requirement names session credentials (cookie or bearer token).
    needs_session: bool,
    merge_fields: bool,
    /// Header parameters the router requires: (name, example value for the error message).
    required_headers: Vec<(String, String)>,
    runtime_filters: bool,
    fields: Vec<Field>,
    responses: Vec<Resp>,
}

struct Field {
    names: Vec<String>,
    ident: Ident,
    kind: Kind,
    presence: Presence,
    doc: String,
}

#[derive(Clone)]
enum Kind {
    Text,
    Bool,
    Int32,
    Int64,
    Number,
    Enum(Ident),
    List(Box<Kind>),
    Json(TokenStream),
}

enum Presence {
    Required,
    Default(TokenStream),
    Optional,
}

struct Resp {
    status: u16,
    variant: Ident,
    body: Body,
    headers: Vec<Header>,
    doc: String,
}

enum Body {
    None,
    Json(TokenStream),
    Bytes(String),
    Text(String),
}

struct Header {
    name: String,
    ident: Ident,
    list: bool,
    required: bool,
}

impl Op {
    fn from_spec(
        document: &OpenAPI,
        path: &str,
        method: &'static str,
        operation: &Operation,
        type_names: &str,
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
            responses.push(Resp::new(document, *status, response, type_names)?);
        }
        if responses.is_empty() {
            return Err("no responses".into());
        }

        Ok(Op {
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
        })
    }

    fn fn_ident(&self) -> Ident {
        format_ident!("{}", self.id.to_snake_case())
    }

    fn input_ident(&self) -> Ident {
        format_ident!("{}Input", self.id.to_upper_camel_case())
    }

    fn response_ident(&self) -> Ident {
        format_ident!("{}Response", self.id.to_upper_camel_case())
    }

    fn input_struct(&self) -> TokenStream {
        let ident = self.input_ident();
        let doc = format!("Parsed inputs of `{}`.", self.id);
        let fields = self.fields.iter().map(|field| {
            let ident = &field.ident;
            let ty = field.rust_type();
            let doc = field.doc_text();
            quote! { #[doc = #doc] pub #ident: #ty, }
        });
        let filters = self.runtime_filters.then(|| {
            quote! {
                /// Runtime filters sent as `col<n>`, `op<n>`, `val<n>`.
                pub runtime_filters: Vec<wire::RuntimeFilter>,
            }
        });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub struct #ident {
                #(#fields)*
                #filters
            }
        }
    }

    fn response_enum(&self) -> TokenStream {
        let ident = self.response_ident();
        let doc = format!("Every documented response of `{}`.", self.id);
        let variants = self.responses.iter().map(Resp::variant);
        let arms = self.responses.iter().map(Resp::response_arm);
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            #[must_use]
            pub enum #ident {
                #(#variants)*
            }

            impl IntoResponse for #ident {
                fn into_response(self) -> Response {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    }

    fn trait_method(&self) -> TokenStream {
        let doc = &self.doc;
        let name = self.fn_ident();
        let input = self.input_ident();
        let response = self.response_ident();
        quote! {
            #[doc = #doc]
            fn #name(
                &self,
                ctx: RequestContext,
                input: #input,
            ) -> impl std::future::Future<Output = Result<#response, ApiError>> + Send;
        }
    }

    fn handler(&self) -> TokenStream {
        let name = format_ident!("handle_{}", self.id.to_snake_case());
        let method = self.fn_ident();
        let input = self.input_ident();
        // Without valid session credentials the answer is 401, before required headers (the CSRF
        // guard) are checked: the session is the first thing a caller has to fix, and a required
        // header is a security scheme of the spec, so a bad session with it missing is still 401.
        let session = self
            .needs_session
            .then(|| quote! { crate::context::require_session_credentials(&parts.headers)?; });
        let headers = self.required_headers.iter().map(|(name, hint)| {
            quote! { crate::context::require_header(&parts.headers, #name, #hint)?; }
        });
        let merge = self.merge_fields;
        let id = &self.id;
        let authenticate = self
            .needs_session
            .then(|| quote! { api.authenticate(&mut ctx).await?; });
        let collect = if self.method == "GET" {
            quote! { let fields = wire::Fields::from_query(parts.uri.query()); }
        } else {
            quote! {
                let limit = api.body_limit(#id);
                let fields = wire::Fields::from_request(&parts.headers, parts.uri.query(), body, #merge, limit).await?;
            }
        };
        let assignments = self.fields.iter().map(|field| {
            let ident = &field.ident;
            let value = field.parse_expr();
            quote! { #ident: #value, }
        });
        let filters = self
            .runtime_filters
            .then(|| quote! { runtime_filters: fields.runtime_filters()?, });
        quote! {
            async fn #name<A: ThoughtSpotApi>(
                axum::extract::State(api): axum::extract::State<Arc<A>>,
                request: axum::extract::Request,
            ) -> Response {
                let (parts, body) = request.into_parts();
                let result = async {
                    #session
                    #[allow(unused_mut)]
                    let mut ctx = RequestContext::from_parts(&parts);
                    #authenticate
                    #(#headers)*
                    #collect
                    let input = #input {
                        #(#assignments)*
                        #filters
                    };
                    api.#method(ctx, input).await
                }
                .await;
                match result {
                    Ok(response) => response.into_response(),
                    Err(error) => error.into_response(),
                }
            }
        }
    }

    fn table_row(&self) -> TokenStream {
        let method = self.method;
        let path = &self.path;
        let id = &self.id;
        let tag = &self.tag;
        let security = self.security.iter().map(|r| quote! { &[#(#r),*] });
        quote! {
            OperationInfo {
                method: #method,
                path: #path,
                operation_id: #id,
                tag: #tag,
                security: &[#(#security),*],
            }
        }
    }
}

/// One `.route(...)` per path and prefix; methods a path lacks answer 405 with `Allow`.
fn routes(operations: &[Op]) -> Vec<TokenStream> {
    let mut paths: Vec<&str> = operations.iter().map(|op| op.path.as_str()).collect();
    paths.dedup();
    paths.sort();
    paths.dedup();
    let mut routes = Vec::new();
    for path in paths {
        let on_path: Vec<&Op> = operations.iter().filter(|op| op.path == path).collect();
        let methods = on_path.iter().map(|op| {
            let filter = format_ident!("{}", op.method);
            let handler = format_ident!("handle_{}", op.id.to_snake_case());
            quote! { .on(axum::routing::MethodFilter::#filter, #handler::<A>) }
        });
        let allowed = on_path.iter().map(|op| format_ident!("{}", op.method));
        let method_router = quote! {
            axum::routing::MethodRouter::new()
                #(#methods)*
                .fallback(|| async { ApiError::method_not_allowed(&[#(http::Method::#allowed),*]) })
        };
        for prefix in ["", "/callosum/v1"] {
            let full = format!("{prefix}{path}");
            routes.push(quote! { .route(#full, #method_router) });
        }
    }
    routes
}

fn schema_ref(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(_) => None,
    }
}

fn type_ident(reference: &str, type_names: &str) -> Result<Ident, String> {
    let name = spec::schema_ref_name(reference)
        .ok_or_else(|| format!("unsupported reference {reference}"))?
        .to_upper_camel_case();
    let declared = [format!("pub struct {name} "), format!("pub enum {name} ")];
    if !declared.iter().any(|d| type_names.contains(d.as_str())) {
        return Err(format!(
            "progenitor produced no type named {name} for {reference}"
        ));
    }
    Ok(format_ident!("{}", name))
}

impl Field {
    #[allow(clippy::too_many_arguments)]
    fn new(
        document: &OpenAPI,
        type_names: &str,
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
            let item = scalar_kind(schema_ref(&items), item_schema, type_names).map_err(context)?;
            Kind::List(Box::new(item))
        } else if let Some(json) = extensions.get("x-tspot-json") {
            Kind::Json(match json {
                // The field's own schema describes the JSON document.
                Value::Bool(true) => json_type(reference, schema, type_names).map_err(context)?,
                // A file part (`format: binary`) holding a JSON document of this schema.
                Value::Object(_) => {
                    let inner: ReferenceOr<Schema> = serde_json::from_value(json.clone())
                        .map_err(|e| context(format!("x-tspot-json: {e}")))?;
                    let inner_schema = spec::resolve(document, &inner)
                        .ok_or_else(|| context("x-tspot-json: unresolved schema".into()))?;
                    json_type(schema_ref(&inner), inner_schema, type_names).map_err(context)?
                }
                _ => return Err(context("x-tspot-json must be true or a schema".into())),
            })
        } else {
            scalar_kind(reference, schema, type_names).map_err(context)?
        };
        let presence = if required {
            Presence::Required
        } else if let Some(default) = field.default {
            Presence::Default(default_expr(&kind, default, schema).map_err(context)?)
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
            ident: field_ident(name),
            names,
            kind,
            presence,
            doc: description.unwrap_or_default().to_string(),
        })
    }

    fn rust_type(&self) -> TokenStream {
        let ty = self.kind.rust_type();
        match self.presence {
            Presence::Optional => quote! { Option<#ty> },
            _ => ty,
        }
    }

    fn doc_text(&self) -> String {
        let mut doc = format!("`{}`", self.names[0]);
        if self.names.len() > 1 {
            doc.push_str(&format!(
                " (also accepted as `{}`)",
                self.names[1..].join("`, `")
            ));
        }
        if !self.doc.is_empty() {
            doc.push_str(": ");
            doc.push_str(&self.doc);
        }
        doc
    }

    fn parse_expr(&self) -> TokenStream {
        let names = &self.names;
        let wire_ty = self.kind.wire_type();
        let convert = self.kind.convert(quote! { v });
        match &self.presence {
            Presence::Required => quote! {{
                let v = fields.required::<#wire_ty>(&[#(#names),*])?;
                #convert
            }},
            Presence::Optional if self.kind.is_identity() => quote! {
                fields.optional::<#wire_ty>(&[#(#names),*])?
            },
            Presence::Optional => quote! {
                fields.optional::<#wire_ty>(&[#(#names),*])?.map(|v| #convert)
            },
            Presence::Default(default) => quote! {
                match fields.optional::<#wire_ty>(&[#(#names),*])? {
                    Some(v) => #convert,
                    None => #default,
                }
            },
        }
    }
}

impl Kind {
    fn rust_type(&self) -> TokenStream {
        match self {
            Kind::Text => quote! { String },
            Kind::Bool => quote! { bool },
            Kind::Int32 => quote! { i32 },
            Kind::Int64 => quote! { i64 },
            Kind::Number => quote! { f64 },
            Kind::Enum(ident) => quote! { types::#ident },
            Kind::List(item) => {
                let item = item.rust_type();
                quote! { Vec<#item> }
            }
            Kind::Json(ty) => ty.clone(),
        }
    }

    /// The type `wire::Fields` parses the raw text into.
    fn wire_type(&self) -> TokenStream {
        match self {
            Kind::Enum(ident) => quote! { wire::Enum<types::#ident> },
            Kind::List(item) => {
                let item = item.wire_type();
                quote! { wire::List<#item> }
            }
            Kind::Json(ty) => quote! { wire::Json<#ty> },
            other => other.rust_type(),
        }
    }

    /// Whether `wire_type` is `rust_type` itself.
    fn is_identity(&self) -> bool {
        !matches!(self, Kind::Enum(_) | Kind::Json(_) | Kind::List(_))
    }

    /// Turns a value of `wire_type` (named by `value`) into `rust_type`.
    fn convert(&self, value: TokenStream) -> TokenStream {
        match self {
            Kind::Enum(_) | Kind::Json(_) => quote! { #value.0 },
            Kind::List(item) => {
                let item = item.convert(quote! { item });
                quote! { #value.0.into_iter().map(|item| #item).collect() }
            }
            _ => value,
        }
    }
}

fn scalar_kind(reference: Option<&str>, schema: &Schema, type_names: &str) -> Result<Kind, String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => match reference {
            Some(reference) => Ok(Kind::Enum(type_ident(reference, type_names)?)),
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

fn json_type(
    reference: Option<&str>,
    schema: &Schema,
    type_names: &str,
) -> Result<TokenStream, String> {
    if let Some(reference) = reference {
        let ident = type_ident(reference, type_names)?;
        return Ok(quote! { types::#ident });
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Reference { reference }) => {
                let ident = type_ident(reference, type_names)?;
                Ok(quote! { Vec<types::#ident> })
            }
            _ => Err("x-tspot-json arrays need $ref items".into()),
        },
        _ => Err("x-tspot-json needs a $ref or an array of $ref".into()),
    }
}

fn default_expr(kind: &Kind, default: &Value, schema: &Schema) -> Result<TokenStream, String> {
    match (kind, default) {
        (Kind::Bool, Value::Bool(b)) => Ok(quote! { #b }),
        (Kind::Int64, Value::Number(n)) => {
            let n = n.as_i64().ok_or("integer default out of range")?;
            Ok(quote! { #n })
        }
        (Kind::Int32, Value::Number(n)) => {
            let n = n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or("int32 default out of range")?;
            Ok(quote! { #n })
        }
        (Kind::Number, Value::Number(n)) => {
            let n = n.as_f64().ok_or("number default out of range")?;
            Ok(quote! { #n })
        }
        (Kind::Text, Value::String(s)) => Ok(quote! { String::from(#s) }),
        (Kind::Enum(ident), Value::String(s)) => {
            let allowed = match &schema.schema_kind {
                SchemaKind::Type(Type::String(string)) => &string.enumeration,
                _ => return Err("enum default on a non-string schema".into()),
            };
            if !allowed.iter().flatten().any(|v| v == s) {
                return Err(format!("default `{s}` is not one of the enum values"));
            }
            // Checked against the enum values above, so the parse cannot fail.
            Ok(quote! {
                <types::#ident as std::str::FromStr>::from_str(#s)
                    .expect("the generator checked this default against the enum")
            })
        }
        (Kind::List(_), Value::Array(items)) if items.is_empty() => Ok(quote! { Vec::new() }),
        _ => Err(format!("unsupported default {default}")),
    }
}

fn field_ident(name: &str) -> Ident {
    let snake = name.to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        Ident::new(&snake, Span::call_site())
    } else {
        format_ident!("{}_", snake)
    }
}

impl Resp {
    fn new(
        document: &OpenAPI,
        status: u16,
        response: &openapiv3::Response,
        type_names: &str,
    ) -> Result<Resp, String> {
        let reason = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .ok_or_else(|| format!("unknown status {status}"))?;
        let variant = format_ident!("{}", reason.replace(['-', '\''], " ").to_upper_camel_case());
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
                    Body::Json(response_type(schema, type_names)?)
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
                    ident: field_ident(name),
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

    fn body_type(&self) -> Option<TokenStream> {
        match &self.body {
            Body::None => None,
            Body::Json(ty) => Some(ty.clone()),
            Body::Bytes(_) => Some(quote! { bytes::Bytes }),
            Body::Text(_) => Some(quote! { String }),
        }
    }

    fn variant(&self) -> TokenStream {
        let variant = &self.variant;
        let doc = format!("{}: {}", self.status, self.doc);
        let body = self.body_type();
        if self.headers.is_empty() {
            return match body {
                Some(body) => quote! { #[doc = #doc] #variant(#body), },
                None => quote! { #[doc = #doc] #variant, },
            };
        }
        let headers = self.headers.iter().map(|h| {
            let ident = &h.ident;
            let ty = h.rust_type();
            let doc = format!("`{}` response header", h.name);
            quote! { #[doc = #doc] #ident: #ty, }
        });
        let body = body.map(|body| quote! { body: #body, });
        quote! { #[doc = #doc] #variant { #body #(#headers)* }, }
    }

    fn response_arm(&self) -> TokenStream {
        let variant = &self.variant;
        let status = self.status;
        let status = quote! { http::StatusCode::from_u16(#status).expect("documented status") };
        let build = match &self.body {
            Body::None => quote! { respond::empty(#status) },
            Body::Json(_) => quote! { respond::json(#status, &body) },
            Body::Bytes(content_type) => quote! { respond::bytes(#status, #content_type, body) },
            Body::Text(content_type) => quote! { respond::text(#status, #content_type, body) },
        };
        let has_body = !matches!(self.body, Body::None);
        if self.headers.is_empty() {
            return if has_body {
                quote! { Self::#variant(body) => #build, }
            } else {
                quote! { Self::#variant => #build, }
            };
        }
        let idents: Vec<&Ident> = self.headers.iter().map(|h| &h.ident).collect();
        let body_binding = has_body.then(|| quote! { body, });
        let add_headers = self.headers.iter().map(|h| {
            let ident = &h.ident;
            let name = &h.name;
            match (h.list, h.required) {
                (true, _) => quote! {
                    for value in &#ident { response = respond::with_header(response, #name, value); }
                },
                (false, true) => quote! { response = respond::with_header(response, #name, &#ident); },
                (false, false) => quote! {
                    if let Some(value) = &#ident { response = respond::with_header(response, #name, value); }
                },
            }
        });
        quote! {
            Self::#variant { #body_binding #(#idents),* } => {
                let mut response = #build;
                #(#add_headers)*
                response
            }
        }
    }
}

impl Header {
    fn rust_type(&self) -> TokenStream {
        match (self.list, self.required) {
            (true, _) => quote! { Vec<String> },
            (false, true) => quote! { String },
            (false, false) => quote! { Option<String> },
        }
    }
}

fn response_type(schema: &ReferenceOr<Schema>, type_names: &str) -> Result<TokenStream, String> {
    match schema {
        ReferenceOr::Reference { reference } => {
            let ident = type_ident(reference, type_names)?;
            Ok(quote! { types::#ident })
        }
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Array(array)),
            ..
        }) => match &array.items {
            Some(ReferenceOr::Reference { reference }) => {
                let ident = type_ident(reference, type_names)?;
                Ok(quote! { Vec<types::#ident> })
            }
            _ => Err("response arrays need $ref items".into()),
        },
        _ => Err("response bodies must be a $ref or an array of $ref".into()),
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
