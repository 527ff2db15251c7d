//! The guard against breaking changes, on pairs of small specs.

use super::*;

/// A small API touching every rule: a list answer of a recursive schema through `$ref` and an
/// `allOf` wrapper, a shared error response, an urlencoded form, a multipart upload and a JSON
/// body with a nested object.
const BASE: &str = r##"
openapi: 3.0.3
info:
  title: things
  version: 1.4.2
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: limit
          in: query
          required: false
          schema:
            type: integer
        - name: sort
          in: query
          schema:
            $ref: '#/components/schemas/Kind'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing'
        '400':
          $ref: '#/components/responses/Error'
  /things/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          type: string
    post:
      operationId: updateThing
      parameters:
        - $ref: '#/components/parameters/XRequestedBy'
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              $ref: '#/components/schemas/ThingForm'
      responses:
        '204':
          description: done
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file:
                  type: string
                  format: binary
                note:
                  type: string
      responses:
        '204':
          description: done
  /documents:
    post:
      operationId: postDocument
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Document'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Document'
components:
  parameters:
    XRequestedBy:
      name: X-Requested-By
      in: header
      required: true
      schema:
        type: string
  responses:
    Error:
      description: error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Thing:
      type: object
      required: [id, owner]
      properties:
        id:
          type: string
        size:
          type: integer
          format: int64
        kind:
          $ref: '#/components/schemas/Kind'
        owner:
          allOf:
            - $ref: '#/components/schemas/Owner'
          description: The owner.
        children:
          type: array
          items:
            $ref: '#/components/schemas/Thing'
    Owner:
      type: object
      required: [name]
      properties:
        name:
          type: string
        mail:
          type: string
    Kind:
      type: string
      enum: [BIG, SMALL]
    ThingForm:
      type: object
      required: [name]
      properties:
        name:
          type: string
        color:
          type: string
        kind:
          $ref: '#/components/schemas/Kind'
    Document:
      type: object
      properties:
        title:
          type: string
        meta:
          type: object
          properties:
            tag:
              type: string
    Error:
      type: object
      required: [code]
      properties:
        code:
          type: integer
        debug:
          type: string
"##;

/// BASE with each `(from, to)` replaced once; panics when `from` is not in the text.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "fixture text {from:?} not found");
        text = text.replacen(from, to, 1);
    }
    text
}

fn report(new: &str) -> Report {
    compare_texts("old", BASE, "new", new).unwrap()
}

fn findings(edits: &[(&str, &str)]) -> Vec<String> {
    report(&edited(edits))
        .findings
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Exactly one finding, containing every part of `expected`.
fn assert_one(edits: &[(&str, &str)], expected: &[&str]) {
    let found = findings(edits);
    assert_eq!(found.len(), 1, "expected one finding, got {found:#?}");
    for part in expected {
        assert!(found[0].contains(part), "{:?} lacks {part:?}", found[0]);
    }
}

#[test]
fn identical_documents_have_no_findings() {
    assert!(findings(&[]).is_empty());
}

#[test]
fn additions_are_not_breaking() {
    let found = findings(&[
        // a new optional query parameter
        (
            "      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: array",
            "        - name: pattern\n          in: query\n          schema:\n            type: string\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: array",
        ),
        // a new response field, a new optional form field, a new response status
        (
            "        mail:\n",
            "        phone:\n          type: string\n        mail:\n",
        ),
        (
            "        color:\n",
            "        shade:\n          type: string\n        color:\n",
        ),
        (
            "        '400':\n",
            "        '404':\n          $ref: '#/components/responses/Error'\n        '400':\n",
        ),
        // a new operation
        (
            "  /upload:\n",
            "  /extra:\n    get:\n      operationId: extra\n      responses:\n        '204':\n          description: done\n  /upload:\n",
        ),
        // a required field becoming optional in a request
        ("      required: [file]\n", "      required: []\n"),
    ]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_removed_operation_is_found() {
    assert_one(
        &[(
            "    post:\n      operationId: upload\n",
            "    put:\n      operationId: upload\n",
        )],
        &["POST /upload (upload)", "operation removed"],
    );
}

#[test]
fn a_renamed_operation_id_is_found_and_path_parameter_names_do_not_matter() {
    assert_one(
        &[("operationId: updateThing", "operationId: changeThing")],
        &["updateThing to changeThing"],
    );
    let renamed_parameter = edited(&[
        ("  /things/{id}:", "  /things/{thingId}:"),
        (
            "      - name: id\n        in: path",
            "      - name: thingId\n        in: path",
        ),
    ]);
    assert!(report(&renamed_parameter).findings.is_empty());
}

#[test]
fn a_removed_response_field_is_found_through_refs_and_all_of() {
    // Owner is reached as `$[].owner` through `allOf: [$ref]`, then again through the
    // recursive `children`; the recursion ends.
    assert_one(
        &[("        mail:\n          type: string\n", "")],
        &[
            "GET /things (listThings)",
            "response 200 application/json",
            "`$[].owner.mail` removed",
        ],
    );
    assert_one(
        &[(
            "        size:\n          type: integer\n          format: int64\n",
            "",
        )],
        &["field `$[].size` removed"],
    );
    // The shared error response is walked too.
    assert_one(
        &[("        debug:\n          type: string\n", "")],
        &["response 400 application/json", "`$.debug` removed"],
    );
}

#[test]
fn a_retyped_response_field_is_found() {
    assert_one(
        &[(
            "        id:\n          type: string\n",
            "        id:\n          type: integer\n",
        )],
        &["`$[].id` retyped from string to integer"],
    );
    assert_one(
        &[("          format: int64\n", "          format: int32\n")],
        &["`$[].size` format changed from int64 to int32"],
    );
    assert_one(
        &[(
            "        id:\n          type: string\n",
            "        id:\n          type: string\n          nullable: true\n",
        )],
        &["`$[].id` may now be null"],
    );
    assert_one(
        &[("      enum: [BIG, SMALL]", "      enum: [BIG, SMALL, HUGE]")],
        &["`$[].kind` may now be \"HUGE\""],
    );
    assert_one(
        &[("      required: [id, owner]", "      required: [id]")],
        &["`$[].owner` is no longer required"],
    );
    // The body itself: an array became an object.
    assert_one(
        &[(
            "              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/Thing'\n",
            "              schema:\n                $ref: '#/components/schemas/Thing'\n",
        )],
        &["`$` retyped from array to object"],
    );
}

#[test]
fn a_removed_success_response_or_media_type_is_found() {
    assert_one(
        &[(
            "        '204':\n          description: done\n  /upload:",
            "        '200':\n          description: done\n  /upload:",
        )],
        &["updateThing", "response 204 removed"],
    );
    assert_one(
        &[(
            "        '200':\n          description: ok\n          content:\n            application/json:",
            "        '200':\n          description: ok\n          content:\n            text/csv:",
        )],
        &[
            "listThings",
            "response 200 media type application/json removed",
        ],
    );
}

#[test]
fn a_new_required_parameter_is_found() {
    assert_one(
        &[(
            "          required: false\n          schema:\n            type: integer\n",
            "          required: true\n          schema:\n            type: integer\n",
        )],
        &["listThings", "query parameter `limit` is now required"],
    );
    assert_one(
        &[(
            "        - name: sort\n",
            "        - name: owner\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: sort\n",
        )],
        &["new required query parameter `owner`"],
    );
    // Through a $ref to components/parameters: a header every POST needs.
    assert_one(
        &[(
            "      operationId: upload\n",
            "      operationId: upload\n      parameters:\n        - $ref: '#/components/parameters/XRequestedBy'\n",
        )],
        &["upload", "new required header parameter `x-requested-by`"],
    );
}

#[test]
fn a_newly_required_form_field_is_found() {
    assert_one(
        &[(
            "      required: [name]\n      properties:\n        name:\n          type: string\n        color:",
            "      required: [name, color]\n      properties:\n        name:\n          type: string\n        color:",
        )],
        &[
            "updateThing",
            "request body application/x-www-form-urlencoded",
            "field `$.color` is now required",
        ],
    );
    assert_one(
        &[(
            "      required: [name]\n      properties:\n        name:\n          type: string\n        color:",
            "      required: [name, size]\n      properties:\n        size:\n          type: integer\n        name:\n          type: string\n        color:",
        )],
        &["new required field `$.size`"],
    );
}

#[test]
fn a_newly_required_multipart_field_is_found() {
    assert_one(
        &[("      required: [file]\n", "      required: [file, note]\n")],
        &[
            "upload",
            "request body multipart/form-data",
            "field `$.note` is now required",
        ],
    );
}

#[test]
fn a_newly_required_nested_json_field_and_body_are_found() {
    assert_one(
        &[(
            "        meta:\n          type: object\n",
            "        meta:\n          type: object\n          required: [tag]\n",
        )],
        &[
            "postDocument",
            "request body application/json",
            "field `$.meta.tag` is now required",
        ],
    );
    assert_one(
        &[(
            "      operationId: postDocument\n      requestBody:\n",
            "      operationId: postDocument\n      requestBody:\n        required: true\n",
        )],
        &["postDocument", "request body is now required"],
    );
}

#[test]
fn narrower_requests_are_found() {
    // The form field `kind` loses an enum value; the query parameter `sort` shares the enum.
    let found = findings(&[("      enum: [BIG, SMALL]", "      enum: [BIG]")]);
    assert!(
        found.iter().any(
            |f| f.contains("updateThing") && f.contains("`$.kind` no longer accepts \"SMALL\"")
        ),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("query parameter `sort`")
                && f.contains("no longer accepts \"SMALL\"")),
        "{found:#?}"
    );
    assert_one(
        &[(
            "          application/x-www-form-urlencoded:\n",
            "          application/json:\n",
        )],
        &[
            "updateThing",
            "request body media type application/x-www-form-urlencoded removed",
        ],
    );
    assert_one(
        &[(
            "        color:\n          type: string\n",
            "        color:\n          type: integer\n",
        )],
        &["`$.color` retyped from string to integer"],
    );
}

#[test]
fn a_major_bump_allows_breaking_changes() {
    let removed = [("  /upload:\n    post:", "  /upload:\n    put:")];
    let breaking = report(&edited(&removed));
    assert!(!breaking.passes());
    assert!(!breaking.major_bump);

    let minor = report(&edited(&[removed[0], ("version: 1.4.2", "version: 1.5.0")]));
    assert!(!minor.passes(), "a minor bump must not allow a removal");

    let major = report(&edited(&[removed[0], ("version: 1.4.2", "version: 2.0.0")]));
    assert!(major.major_bump);
    assert!(major.passes());
    assert_eq!(major.findings.len(), 1, "the findings are still listed");
}

#[test]
fn a_major_bump_needs_the_breaks_recorded_in_the_changelog() {
    let removed = [
        ("  /upload:\n    post:", "  /upload:\n    put:"),
        ("version: 1.4.2", "version: 2.0.0"),
    ];
    let major = report(&edited(&removed));
    let id = major.findings[0]
        .operation
        .rsplit_once('(')
        .unwrap()
        .1
        .trim_end_matches(')')
        .to_string();
    let recorded = format!("# Changelog\n\n## 2.0.0\n\n- `{id}` moved to PUT.\n\n## 1.4.2\n");
    assert!(unrecorded(&major, &recorded).is_empty());
    // Not recorded: no section for the version, or the operation named only under another one.
    let elsewhere = format!("# Changelog\n\n## 2.0.0\n\n- other things\n\n## 1.4.2\n\n- `{id}`\n");
    assert_eq!(unrecorded(&major, &elsewhere).len(), 1);
    assert_eq!(unrecorded(&major, "# Changelog\n").len(), 1);
}

#[test]
fn an_unparsable_version_is_an_error() {
    let error = compare_texts(
        "old",
        BASE,
        "new",
        &edited(&[("version: 1.4.2", "version: next")]),
    )
    .err()
    .unwrap();
    assert!(error.contains("not semver"), "{error}");
}

/// The repository's own documents: the spec against itself and against the published copy.
#[test]
fn the_spec_has_no_breaking_changes_against_itself_and_dist() {
    let root = crate::codegen::workspace_root();
    let spec = std::fs::read_to_string(root.join(crate::codegen::SPEC_PATH)).unwrap();
    let report = compare_texts("spec", &spec, "spec", &spec).unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    for file in crate::publish::publish(&spec).unwrap() {
        let report = compare_texts(file.path, &file.contents, "spec", &spec).unwrap();
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
    }
}

/// The values of a map (`PinboardData`: `additionalProperties: VizData`) are walked too.
#[test]
fn the_real_spec_catches_a_retyped_field_inside_a_map() {
    let root = crate::codegen::workspace_root();
    let spec = std::fs::read_to_string(root.join(crate::codegen::SPEC_PATH)).unwrap();
    // `VizData.rowCount`: integer -> string, edited inside the VizData component only.
    let component = spec
        .find("\n    VizData:\n")
        .expect("VizData is gone from the spec");
    let from = "        rowCount:\n          type: integer\n";
    let at = component
        + spec[component..]
            .find(from)
            .expect("VizData.rowCount is gone");
    let mut edited = spec.clone();
    edited.replace_range(
        at..at + from.len(),
        "        rowCount:\n          type: string\n",
    );
    let report = compare_texts("spec", &spec, "edited", &edited).unwrap();
    let found: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("pinboardData")
            && found[0].contains("`$.*.rowCount` retyped from integer to string"),
        "{found:#?}"
    );
}

/// Removing a response field of the real spec is caught, deep inside `GroupDetails.header`.
#[test]
fn the_real_spec_catches_a_removed_nested_field() {
    let root = crate::codegen::workspace_root();
    let spec = std::fs::read_to_string(root.join(crate::codegen::SPEC_PATH)).unwrap();
    let from = "        isExternal:\n          type: boolean\n          description: Whether the group comes from an external directory (LDAP, SAML).\n";
    assert!(spec.contains(from), "fixture gone from the spec");
    let edited = spec.replacen(from, "", 1);
    let report = compare_texts("spec", &spec, "edited", &edited).unwrap();
    let found: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|f| f.contains("`$.header.isExternal` removed"))
    );
}
