//! The model as code: typed inputs, response enums where an operation has several answers, one
//! trait per tag, the shared hooks trait, the handlers and the axum router.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::model::{
    Api, Body, DefaultValue, Field, Header, Kind, ModelType, Op, Presence, Resp, Tag,
};

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub fn file(api: &Api) -> TokenStream {
    let operations = api.operations();
    let inputs = operations.iter().map(|op| input_struct(op));
    let responses = operations.iter().filter_map(|op| response_enum(op));
    let traits = api.tags.iter().map(tag_trait);
    let trait_idents: Vec<Ident> = api.tags.iter().map(|t| ident(&t.trait_name())).collect();
    let trait_links = api
        .tags
        .iter()
        .map(|t| format!("[`{}`]", t.trait_name()))
        .collect::<Vec<_>>()
        .join(", ");
    let all_doc = format!(
        "The whole ThoughtSpot REST API v1: {trait_links}. Implemented for every type that \
         implements each; [`router`] takes one."
    );
    let handlers = api
        .tags
        .iter()
        .flat_map(|tag| tag.operations.iter().map(move |op| handler(tag, op)));
    let routes = routes(&operations);
    let table = operations.iter().map(|op| table_row(op));

    quote! {
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

        /// What every API trait shares: the checks the router makes before an operation's body
        /// is read.
        pub trait ApiHooks: Send + Sync + 'static {
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
        }

        #(#traits)*

        #[doc = #all_doc]
        pub trait ThoughtSpotApi: #(#trait_idents)+* {}

        impl<A: #(#trait_idents)+*> ThoughtSpotApi for A {}

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
    }
}

fn tag_trait(tag: &Tag) -> TokenStream {
    let name = ident(&tag.trait_name());
    let doc = if tag.description.is_empty() {
        format!("The operations tagged `{}`.", tag.name)
    } else {
        format!("The operations tagged `{}`: {}", tag.name, tag.description)
    };
    let methods = tag.operations.iter().map(trait_method);
    quote! {
        #[doc = #doc]
        ///
        /// The router has already refused requests without `X-Requested-By` (POST) and parsed
        /// every parameter; implementations decide sessions, privileges and results, and fail
        /// with an [`ApiError`].
        pub trait #name: ApiHooks {
            #(#methods)*
        }
    }
}

/// What the trait method returns on success: the one answer's body, or the response enum.
fn success_type(op: &Op) -> TokenStream {
    match op.single_answer() {
        Some(resp) => resp.body_type().unwrap_or_else(|| quote! { () }),
        None => {
            let name = ident(&op.response_name());
            quote! { #name }
        }
    }
}

fn trait_method(op: &Op) -> TokenStream {
    let mut doc = op.doc.clone();
    if !op.errors.is_empty() {
        let statuses: Vec<String> = op.errors.iter().map(|(s, _)| s.to_string()).collect();
        doc.push_str(&format!(
            "\n\nDocumented failures, each an [`ApiError`]: {}.",
            statuses.join(", ")
        ));
    }
    if let Some(resp) = op.single_answer() {
        doc.push_str(&format!("\n\n`Ok` is {}: {}", resp.status, resp.doc));
    }
    let name = ident(&op.method_name());
    let input = ident(&op.input_name());
    let success = success_type(op);
    quote! {
        #[doc = #doc]
        fn #name(
            &self,
            ctx: RequestContext,
            input: #input,
        ) -> impl std::future::Future<Output = Result<#success, ApiError>> + Send;
    }
}

fn input_struct(op: &Op) -> TokenStream {
    let name = ident(&op.input_name());
    let doc = format!("Parsed inputs of `{}`.", op.id);
    let fields = op.fields.iter().map(|field| {
        let name = ident(&field.ident);
        let ty = field.rust_type();
        let doc = field.doc_text();
        quote! { #[doc = #doc] pub #name: #ty, }
    });
    let filters = op.runtime_filters.then(|| {
        quote! {
            /// Runtime filters sent as `col<n>`, `op<n>`, `val<n>`.
            pub runtime_filters: Vec<wire::RuntimeFilter>,
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
            #filters
        }
    }
}

/// The response enum of an operation with several answers, or one with headers.
fn response_enum(op: &Op) -> Option<TokenStream> {
    if op.single_answer().is_some() {
        return None;
    }
    let name = ident(&op.response_name());
    let doc = format!(
        "The answers of `{}` (its failures are an [`ApiError`]).",
        op.id
    );
    let variants = op.responses.iter().map(Resp::variant);
    let arms = op.responses.iter().map(Resp::response_arm);
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[must_use]
        pub enum #name {
            #(#variants)*
        }

        impl IntoResponse for #name {
            fn into_response(self) -> Response {
                match self {
                    #(#arms)*
                }
            }
        }
    })
}

fn handler(tag: &Tag, op: &Op) -> TokenStream {
    let name = format_ident!("handle_{}", op.method_name());
    let trait_name = ident(&tag.trait_name());
    let method = ident(&op.method_name());
    let input = ident(&op.input_name());
    // Without valid session credentials the answer is 401, before required headers (the CSRF
    // guard) are checked: the session is the first thing a caller has to fix, and a required
    // header is a security scheme of the spec, so a bad session with it missing is still 401.
    let session = op
        .needs_session
        .then(|| quote! { crate::context::require_session_credentials(&parts.headers)?; });
    let headers = op.required_headers.iter().map(|(name, hint)| {
        quote! { crate::context::require_header(&parts.headers, #name, #hint)?; }
    });
    let merge = op.merge_fields;
    let id = &op.id;
    let authenticate = op
        .needs_session
        .then(|| quote! { ApiHooks::authenticate(&*api, &mut ctx).await?; });
    let collect = if op.method == "GET" {
        quote! { let fields = wire::Fields::from_query(parts.uri.query()); }
    } else {
        quote! {
            let limit = ApiHooks::body_limit(&*api, #id);
            let fields = wire::Fields::from_request(&parts.headers, parts.uri.query(), body, #merge, limit).await?;
        }
    };
    let assignments = op.fields.iter().map(|field| {
        let name = ident(&field.ident);
        let value = field.parse_expr();
        quote! { #name: #value, }
    });
    let filters = op
        .runtime_filters
        .then(|| quote! { runtime_filters: fields.runtime_filters()?, });
    let answer = match op.single_answer() {
        Some(resp) if resp.body == Body::None => {
            let build = resp.build(quote! {});
            quote! { Ok(()) => #build, }
        }
        Some(resp) => {
            let build = resp.build(quote! { value });
            quote! { Ok(value) => #build, }
        }
        None => quote! { Ok(value) => value.into_response(), },
    };
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
                #trait_name::#method(&*api, ctx, input).await
            }
            .await;
            match result {
                #answer
                Err(error) => error.into_response(),
            }
        }
    }
}

fn table_row(op: &Op) -> TokenStream {
    let method = op.method;
    let path = &op.path;
    let id = &op.id;
    let tag = &op.tag;
    let security = op.security.iter().map(|r| quote! { &[#(#r),*] });
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

/// One `.route(...)` per path and prefix; methods a path lacks answer 405 with `Allow`.
fn routes(operations: &[&Op]) -> Vec<TokenStream> {
    let mut paths: Vec<&str> = operations.iter().map(|op| op.path.as_str()).collect();
    paths.sort();
    paths.dedup();
    let mut routes = Vec::new();
    for path in paths {
        let on_path: Vec<&&Op> = operations.iter().filter(|op| op.path == path).collect();
        let methods = on_path.iter().map(|op| {
            let filter = format_ident!("{}", op.method);
            let handler = format_ident!("handle_{}", op.method_name());
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

impl ModelType {
    fn tokens(&self) -> TokenStream {
        match self {
            ModelType::One(name) => {
                let name = ident(name);
                quote! { types::#name }
            }
            ModelType::List(name) => {
                let name = ident(name);
                quote! { Vec<types::#name> }
            }
        }
    }
}

impl Kind {
    fn rust_type(&self) -> TokenStream {
        match self {
            Kind::Text | Kind::NonBlankText => quote! { String },
            Kind::Bool => quote! { bool },
            Kind::Int32 => quote! { i32 },
            Kind::Int64 => quote! { i64 },
            Kind::Number => quote! { f64 },
            Kind::Enum(name) => {
                let name = ident(name);
                quote! { types::#name }
            }
            Kind::List(item) => {
                let item = item.rust_type();
                quote! { Vec<#item> }
            }
            Kind::ListOfOne(item) => item.rust_type(),
            Kind::Json(ty, _) => ty.tokens(),
        }
    }

    /// The type `wire::Fields` parses the raw text into.
    fn wire_type(&self) -> TokenStream {
        match self {
            Kind::Enum(_) => {
                let ty = self.rust_type();
                quote! { wire::Enum<#ty> }
            }
            Kind::List(item) => {
                let item = item.wire_type();
                quote! { wire::List<#item> }
            }
            Kind::NonBlankText => quote! { wire::NonBlank },
            Kind::ListOfOne(item) => {
                let item = item.wire_type();
                quote! { wire::ListOfOne<#item> }
            }
            Kind::Json(ty, blanks) if blanks.is_empty() => {
                let ty = ty.tokens();
                quote! { wire::Json<#ty> }
            }
            // `BlankProperties` is declared beside the parse (`Field::parse_expr`).
            Kind::Json(ty, _) => {
                let ty = ty.tokens();
                quote! { wire::JsonBlankIsAbsent<#ty, BlankProperties> }
            }
            other => other.rust_type(),
        }
    }

    /// Whether `wire_type` is `rust_type` itself.
    fn is_identity(&self) -> bool {
        !matches!(
            self,
            Kind::Enum(_)
                | Kind::Json(..)
                | Kind::List(_)
                | Kind::NonBlankText
                | Kind::ListOfOne(_)
        )
    }

    /// Turns a value of `wire_type` (named by `value`) into `rust_type`.
    fn convert(&self, value: TokenStream) -> TokenStream {
        match self {
            Kind::Enum(_) | Kind::Json(..) | Kind::NonBlankText => quote! { #value.0 },
            Kind::ListOfOne(item) => item.convert(quote! { #value.0 }),
            Kind::List(item) => {
                let item = item.convert(quote! { item });
                quote! { #value.0.into_iter().map(|item| #item).collect() }
            }
            _ => value,
        }
    }
}

impl DefaultValue {
    fn tokens(&self, kind: &Kind) -> TokenStream {
        match self {
            DefaultValue::Bool(b) => quote! { #b },
            DefaultValue::Int(n) if *kind == Kind::Int32 => {
                let n = *n as i32;
                quote! { #n }
            }
            DefaultValue::Int(n) => quote! { #n },
            DefaultValue::Number(n) => quote! { #n },
            DefaultValue::Text(s) => quote! { String::from(#s) },
            DefaultValue::EnumValue(s) => {
                let ty = kind.rust_type();
                // The model checked it against the enum values, so the parse cannot fail.
                quote! {
                    <#ty as std::str::FromStr>::from_str(#s)
                        .expect("the generator checked this default against the enum")
                }
            }
            DefaultValue::EmptyList => quote! { Vec::new() },
        }
    }
}

impl Field {
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
        let parse = self.parse_value();
        match &self.kind {
            Kind::Json(_, blanks) if !blanks.is_empty() => quote! {{
                struct BlankProperties;
                impl wire::BlankProperties for BlankProperties {
                    const NAMES: &'static [&'static str] = &[#(#blanks),*];
                }
                #parse
            }},
            _ => parse,
        }
    }

    fn parse_value(&self) -> TokenStream {
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
            Presence::Default(default) => {
                let default = default.tokens(&self.kind);
                quote! {
                    match fields.optional::<#wire_ty>(&[#(#names),*])? {
                        Some(v) => #convert,
                        None => #default,
                    }
                }
            }
        }
    }
}

impl Resp {
    fn body_type(&self) -> Option<TokenStream> {
        match &self.body {
            Body::None => None,
            Body::Json(ty) => Some(ty.tokens()),
            Body::Bytes(_) => Some(quote! { bytes::Bytes }),
            Body::Text(_) => Some(quote! { String }),
        }
    }

    /// The response for this answer, its body (if it has one) in `body`.
    fn build(&self, body: TokenStream) -> TokenStream {
        let status = self.status;
        let status = quote! { http::StatusCode::from_u16(#status).expect("documented status") };
        match &self.body {
            Body::None => quote! { respond::empty(#status) },
            Body::Json(_) => quote! { respond::json(#status, &#body) },
            Body::Bytes(content_type) => quote! { respond::bytes(#status, #content_type, #body) },
            Body::Text(content_type) => quote! { respond::text(#status, #content_type, #body) },
        }
    }

    fn variant(&self) -> TokenStream {
        let variant = ident(&self.variant);
        let doc = format!("{}: {}", self.status, self.doc);
        let body = self.body_type();
        if self.headers.is_empty() {
            return match body {
                Some(body) => quote! { #[doc = #doc] #variant(#body), },
                None => quote! { #[doc = #doc] #variant, },
            };
        }
        let headers = self.headers.iter().map(|h| {
            let name = ident(&h.ident);
            let ty = h.rust_type();
            let doc = format!("`{}` response header", h.name);
            quote! { #[doc = #doc] #name: #ty, }
        });
        let body = body.map(|body| quote! { body: #body, });
        quote! { #[doc = #doc] #variant { #body #(#headers)* }, }
    }

    fn response_arm(&self) -> TokenStream {
        let variant = ident(&self.variant);
        let has_body = !matches!(self.body, Body::None);
        let build = self.build(quote! { body });
        if self.headers.is_empty() {
            return if has_body {
                quote! { Self::#variant(body) => #build, }
            } else {
                quote! { Self::#variant => #build, }
            };
        }
        let idents: Vec<Ident> = self.headers.iter().map(|h| ident(&h.ident)).collect();
        let body_binding = has_body.then(|| quote! { body, });
        let add_headers = self.headers.iter().map(|h| {
            let name_ident = ident(&h.ident);
            let name = &h.name;
            match (h.list, h.required) {
                (true, _) => quote! {
                    for value in &#name_ident { response = respond::with_header(response, #name, value); }
                },
                (false, true) => {
                    quote! { response = respond::with_header(response, #name, &#name_ident); }
                }
                (false, false) => quote! {
                    if let Some(value) = &#name_ident { response = respond::with_header(response, #name, value); }
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
