//! The model read from small specs: what the router will check and parse, and what each trait
//! method answers.

use super::*;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: 1.0.0}
tags:
  - {name: things, description: Things.}
  - {name: session}
security:
  - {session: [], requestedBy: []}
paths:
  /session/login:
    post:
      operationId: sessionLogin
      tags: [session]
      security: [{requestedBy: []}]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [username]
              properties:
                username: {type: string}
                remember:
                  type: boolean
                  default: false
      responses:
        '204':
          description: signed in
          headers:
            Set-Cookie:
              schema: {type: array, items: {type: string}}
        '401': {$ref: '#/components/responses/Error'}
  /things:
    get:
      operationId: listThings
      tags: [things]
      parameters:
        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}
        - name: batchsize
          in: query
          x-tspot-aliases: [batch_size]
          schema: {type: integer, format: int32, default: -1}
        - {name: batch_size, in: query, schema: {type: integer}}
        - {name: sort, in: query, schema: {$ref: '#/components/schemas/Kind'}, required: true}
      responses:
        '200':
          description: the things
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
  /things/claim:
    post:
      operationId: claimThing
      tags: [things]
      responses:
        '204': {description: claimed}
        '409':
          description: someone else holds it
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Conflict'}
        '403': {$ref: '#/components/responses/Error'}
components:
  securitySchemes:
    session: {type: apiKey, in: cookie, name: JSESSIONID}
    requestedBy: {type: apiKey, in: header, name: X-Requested-By, x-tspot-value: ThoughtSpot}
  responses:
    Error:
      description: the error body
      content:
        application/json:
          schema: {$ref: '#/components/schemas/ErrorResponse'}
  schemas:
    Kind: {type: string, enum: [A, B]}
    Thing: {type: object, properties: {name: {type: string}}}
    Conflict: {type: object, properties: {holder: {type: string}}}
    ErrorResponse: {type: object, properties: {code: {type: integer}}}
"#;

fn names() -> Vec<String> {
    ["Kind", "Thing", "Conflict", "ErrorResponse"]
        .map(String::from)
        .to_vec()
}

fn api(text: &str) -> Result<Api, String> {
    read(&crate::spec::load(text).unwrap(), &names())
}

fn op<'a>(api: &'a Api, id: &str) -> &'a Op {
    api.operations().into_iter().find(|op| op.id == id).unwrap()
}

#[test]
fn one_trait_per_tag_in_the_spec_order_named_after_it() {
    let api = api(SPEC).unwrap();
    let traits: Vec<(String, Vec<String>)> = api
        .tags
        .iter()
        .map(|tag| {
            let methods = tag.operations.iter().map(Op::method_name).collect();
            (tag.trait_name(), methods)
        })
        .collect();
    assert_eq!(
        traits,
        [
            (
                "ThingsApi".into(),
                vec!["list_things".into(), "claim_thing".into()]
            ),
            ("SessionApi".into(), vec!["session_login".into()]),
        ]
    );
    let order: Vec<&str> = api.operations().iter().map(|op| op.id.as_str()).collect();
    assert_eq!(order, ["sessionLogin", "listThings", "claimThing"]);
}

#[test]
fn error_statuses_with_the_error_body_are_api_errors_not_answers() {
    let api = api(SPEC).unwrap();
    let list = op(&api, "listThings");
    assert_eq!(list.responses.len(), 1);
    assert_eq!(
        list.errors.iter().map(|e| e.0).collect::<Vec<_>>(),
        [400, 401]
    );
    let answer = list.single_answer().expect("one answer without headers");
    assert_eq!(answer.body, Body::Json(ModelType::List("Thing".into())));

    // A status with a body of its own stays an answer, beside the success.
    let claim = op(&api, "claimThing");
    let statuses: Vec<u16> = claim.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [204, 409]);
    assert_eq!(claim.errors.iter().map(|e| e.0).collect::<Vec<_>>(), [403]);
    assert!(claim.single_answer().is_none());
    assert_eq!(claim.responses[1].variant, "Conflict");

    // One answer with headers needs the enum too.
    let login = op(&api, "sessionLogin");
    assert!(login.single_answer().is_none());
    let header = &login.responses[0].headers[0];
    assert_eq!((header.name.as_str(), header.list), ("set-cookie", true));
}

#[test]
fn security_becomes_a_session_check_and_required_headers() {
    let api = api(SPEC).unwrap();
    let list = op(&api, "listThings");
    assert!(list.needs_session);
    assert_eq!(
        list.required_headers,
        [("X-Requested-By".to_string(), "ThoughtSpot".to_string())]
    );
    let login = op(&api, "sessionLogin");
    assert!(!login.needs_session, "signing in needs no session");
    assert_eq!(login.required_headers.len(), 1);
}

#[test]
fn fields_carry_kinds_presence_defaults_and_aliases() {
    let api = api(SPEC).unwrap();
    let list = op(&api, "listThings");
    let fields: Vec<(&str, &Kind, &Presence)> = list
        .fields
        .iter()
        .map(|f| (f.ident.as_str(), &f.kind, &f.presence))
        .collect();
    assert_eq!(
        fields,
        [
            ("kind", &Kind::Enum("Kind".into()), &Presence::Optional),
            (
                "batchsize",
                &Kind::Int32,
                &Presence::Default(DefaultValue::Int(-1))
            ),
            ("sort", &Kind::Enum("Kind".into()), &Presence::Required),
        ]
    );
    assert_eq!(list.fields[1].names, ["batchsize", "batch_size"]);

    let login = op(&api, "sessionLogin");
    let presence: Vec<&Presence> = login.fields.iter().map(|f| &f.presence).collect();
    assert_eq!(
        presence,
        [
            &Presence::Required,
            &Presence::Default(DefaultValue::Bool(false))
        ]
    );
}

#[test]
fn the_model_refuses_what_the_router_cannot_serve() {
    let unknown_type = SPEC.replace(
        "items: {$ref: '#/components/schemas/Thing'}",
        "items: {$ref: '#/components/schemas/Gadget'}",
    );
    let error = read(
        &crate::spec::load(&format!("{unknown_type}    Gadget: {{type: object}}\n")).unwrap(),
        &names(),
    )
    .unwrap_err();
    assert!(
        error.contains("listThings") && error.contains("Gadget"),
        "{error}"
    );

    let bad_default = SPEC.replace("default: -1", "default: 3000000000");
    assert!(
        api(&bad_default)
            .unwrap_err()
            .contains("int32 default out of range")
    );

    let same_method = SPEC.replace("operationId: claimThing", "operationId: ListThings");
    assert!(
        api(&same_method)
            .unwrap_err()
            .contains("two operations make the method `list_things`")
    );

    let only_errors = SPEC.replace("'204': {description: claimed}\n", "");
    let only_errors = only_errors.replace(
        "        '409':\n          description: someone else holds it\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Conflict'}\n",
        "",
    );
    assert!(
        api(&only_errors)
            .unwrap_err()
            .contains("no success response")
    );
}

#[test]
fn wire_rules_on_text_fields_change_their_kind() {
    let spec = SPEC.replace(
        "                username: {type: string}\n",
        "                username: {type: string}
                redirect: {type: string, x-tspot-blank-is-absent: true, default: /}
                source: {type: string, x-tspot-list-of-one: true}
                note: {type: string, x-tspot-blank-is-absent: false}\n",
    );
    let read = api(&spec).unwrap();
    let login = op(&read, "sessionLogin");
    let fields: Vec<(&str, &Kind, &Presence)> = login
        .fields
        .iter()
        .map(|f| (f.ident.as_str(), &f.kind, &f.presence))
        .collect();
    assert_eq!(
        fields[1..4],
        [
            (
                "redirect",
                &Kind::NonBlankText,
                &Presence::Default(DefaultValue::Text("/".into()))
            ),
            (
                "source",
                &Kind::ListOfOne(Box::new(Kind::Text)),
                &Presence::Optional
            ),
            ("note", &Kind::Text, &Presence::Optional),
        ]
    );

    // A rule on a field it cannot apply to is refused.
    let on_bool = SPEC.replace(
        "                  default: false\n",
        "                  default: false\n                  x-tspot-blank-is-absent: true\n",
    );
    assert!(
        api(&on_bool)
            .unwrap_err()
            .contains("x-tspot-blank-is-absent applies to plain string fields")
    );
    let on_list = SPEC.replace(
        "                username: {type: string}\n",
        "                username: {type: string}
                names: {type: string, x-tspot-list-of-one: true, x-tspot-lenient-list: {items: {type: string}}}\n",
    );
    assert!(
        api(&on_list)
            .unwrap_err()
            .contains("x-tspot-list-of-one applies to a field holding one value")
    );
    let not_a_flag = SPEC.replace(
        "                username: {type: string}\n",
        "                username: {type: string, x-tspot-blank-is-absent: yes please}\n",
    );
    assert!(
        api(&not_a_flag)
            .unwrap_err()
            .contains("x-tspot-blank-is-absent must be true or false")
    );
}

#[test]
fn blank_is_absent_on_properties_of_a_json_document() {
    let spec = SPEC
        .replace(
            "                username: {type: string}\n",
            "                username: {type: string}
                things:
                  type: string
                  format: binary
                  x-tspot-json: {type: array, items: {$ref: '#/components/schemas/Thing'}}\n",
        )
        .replace(
            "Thing: {type: object, properties: {name: {type: string}}}",
            "Thing: {type: object, properties: {name: {type: string, x-tspot-blank-is-absent: true}, size: {type: integer}}}",
        );
    let read = api(&spec).unwrap();
    let things = &op(&read, "sessionLogin").fields[1];
    assert_eq!(
        things.kind,
        Kind::Json(ModelType::List("Thing".into()), vec!["name".into()])
    );

    let on_integer = spec.replace(
        "size: {type: integer}",
        "size: {type: integer, x-tspot-blank-is-absent: true}",
    );
    assert!(
        api(&on_integer)
            .unwrap_err()
            .contains("x-tspot-blank-is-absent on `size`: it applies to string properties")
    );
}
