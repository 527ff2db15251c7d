"""Requests against dist/thoughtspot-v1.yaml under a strict validator (openapi-core).

Two sources of requests:

* the product documentation's own examples (the curl commands and browser `fetch` forms of the
  ThoughtSpot developer documentation, one per operation, written out below as they are sent);
* what the Python library `thoughtspot-rest-api-v1` (1.8.8) sends, captured from the library itself
  with a transport adapter in place of a server.

The documentation's examples, and the library's requests where they follow the documentation, must
validate. Where the library deviates (parameters in the query string of a POST where the
documentation puts them in a form, misspelt field names, text fields sent as file parts), the
request must NOT validate, and the operation's description in dist/ must say so in words, for
readers and tools that ignore the `x-tspot-*` extensions.

The validator reads each multipart part by the content type its `encoding` names: a boolean part
is declared `application/json` (its text, `true` or `false`, is JSON), and the `principals` file of
`user/sync` is `application/json, text/json` and `format: binary`, which the validator keeps as the
file's bytes; the test checks the JSON inside against `UserSyncPrincipal` itself.
"""

import json
from pathlib import Path

import pytest
import requests
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest
from openapi_schema_validator import OAS30Validator
from thoughtspot_rest_api_v1 import TSRestApiV1

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "thoughtspot-v1.yaml"
SPEC = yaml.safe_load(DIST.read_text())
API = OpenAPI.from_dict(SPEC)
SERVER = "https://my.thoughtspot.cloud"  # the published `servers` entry for a cluster
BASE = f"{SERVER}/callosum/v1/tspublic/v1"
HEADERS = {"X-Requested-By": "ThoughtSpot"}
COOKIES = {"JSESSIONID": "6b0f5a8c-2d1e-4c3b-9a7f-0e4d2c1b8a95"}
LIVEBOARD = "f4533461-caa5-4efa-a189-13815ab86770"
PRINCIPALS = json.dumps(
    [
        {"name": "Analysts", "displayName": "Analysts", "principalTypeEnum": "LOCAL_GROUP"},
        {"name": "jdoe", "displayName": "Jane Doe", "mail": "jdoe@example.com", "principalTypeEnum": "LOCAL_USER", "groupNames": ["Analysts"]},
    ]
)


def prepare(method, endpoint, headers=None, session=True, **kwargs) -> requests.PreparedRequest:
    request = requests.Request(
        method,
        f"{BASE}/{endpoint}",
        headers={**(HEADERS if method == "POST" else {}), **(headers or {})},
        cookies=COOKIES if session else None,
        **kwargs,
    )
    return requests.Session().prepare_request(request)


def problems(prepared: requests.PreparedRequest) -> str | None:
    """None when the request validates, else the validator's reasons."""
    try:
        API.validate_request(RequestsOpenAPIRequest(prepared))
    except Exception as error:  # the validator's own exception types
        cause = error.__cause__
        details = [str(e).splitlines()[0] for e in getattr(cause, "schema_errors", ())]
        return f"{type(error).__name__}: {error} {cause!r} {details}"
    return None


def operation(path: str) -> dict:
    (op,) = SPEC["paths"][f"/tspublic/v1/{path}"].values()
    return op


# --- the product documentation's examples, one or more per operation ---------------------------------

DOCUMENTED = {
    "session/login": lambda: prepare(
        "POST", "session/login", session=False, data={"username": "tsadmin", "password": "admin", "rememberme": "true"}
    ),
    "session/logout": lambda: prepare("POST", "session/logout", headers={"Content-Type": "application/json"}),
    "session/auth/token": lambda: prepare(
        "POST",
        "session/auth/token",
        session=False,
        headers={"Accept": "text/plain"},
        data={"secret_key": "3d1f7c0e-5b2a-4e8d-9c61-a0f4b7e2d583", "username": "jdoe", "access_level": "FULL"},
    ),
    "session/login/token": lambda: prepare(
        "POST",
        "session/login/token",
        session=False,
        data={"username": "jdoe", "auth_token": "JHNoaXJvMSRTSEEtMjU2", "redirect_url": "https://analytics.example.com/"},
    ),
    "user/list": lambda: prepare("GET", "user/list", headers={"Accept": "application/json"}),
    "user/updatepassword": lambda: prepare(
        "POST", "user/updatepassword", data={"name": "jdoe", "currentpassword": "old", "password": "new"}
    ),
    "user/transfer/ownership": lambda: prepare(
        "POST",
        "user/transfer/ownership",
        headers={"Content-Type": "application/json"},
        params={"fromUserName": "jdoe", "toUserName": "tsadmin", "objectsID": f'["{LIVEBOARD}"]'},
    ),
    "user/sync": lambda: prepare(
        "POST",
        "user/sync",
        files=[
            ("principals", ("principals.json", PRINCIPALS, "application/json")),
            ("applyChanges", (None, "false")),
            ("removeDeleted", (None, "false")),
            ("password", (None, "Welc0me-2024!")),
        ],
    ),
    "group/addprivilege": lambda: prepare(
        "POST", "group/addprivilege", files=[("privilege", (None, "DATADOWNLOADING")), ("groupNames", (None, '["Analysts"]'))]
    ),
    "group/removeprivilege": lambda: prepare(
        "POST", "group/removeprivilege", files=[("privilege", (None, "DATADOWNLOADING")), ("groupNames", (None, '["Analysts"]'))]
    ),
    "metadata/tml/import": lambda: prepare(
        "POST",
        "metadata/tml/import",
        headers={"Accept": "text/plain"},
        data={
            "import_objects": json.dumps(["guid: a09a3787-e546-42cb-888f-c17260dd1229\nanswer:\n  name: Basic Answer 1\n"]),
            "import_policy": "PARTIAL",
            "force_create": "false",
        },
    ),
    "metadata/tml/export": lambda: prepare(
        "POST",
        "metadata/tml/export",
        headers={"Accept": "text/plain"},
        data={"export_ids": f'["{LIVEBOARD}"]', "formattype": "YAML", "export_associated": "false"},
    ),
    "pinboarddata": lambda: prepare(
        "POST",
        "pinboarddata",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        params={"id": LIVEBOARD, "batchsize": "-1", "pagenumber": "-1", "offset": "-1", "formattype": "COMPACT"},
    ),
    # The browser example for unsaved Liveboard state: the content as a FormData field.
    "pinboarddata (transient content)": lambda: prepare(
        "POST",
        "pinboarddata",
        params={"id": LIVEBOARD, "batchsize": "-1", "pagenumber": "-1", "offset": "-1", "formattype": "COMPACT"},
        files=[("transient_pinboard_content", (None, '{"reportBookData":{}}'))],
    ),
    "export/pinboard/pdf": lambda: prepare(
        "POST",
        "export/pinboard/pdf",
        headers={"Accept": "application/octet-stream"},
        files=[
            ("id", (None, LIVEBOARD)),
            ("layout_type", (None, "PINBOARD")),
            ("orientation", (None, "LANDSCAPE")),
            ("truncate_tables", (None, "false")),
            ("include_logo", (None, "true")),
            ("footer_text", (None, "Confidential")),
            ("include_page_number", (None, "true")),
            ("include_cover_page", (None, "true")),
            ("include_filter_page", (None, "true")),
        ],
    ),
    "metadata/listobjectheaders": lambda: prepare(
        "GET",
        "metadata/listobjectheaders",
        params={"type": "LOGICAL_TABLE", "subtypes": '["WORKSHEET"]', "category": "ALL", "sort": "DEFAULT", "offset": "-1"},
    ),
    "metadata/listvizheaders": lambda: prepare("GET", "metadata/listvizheaders", params={"id": LIVEBOARD}),
    "searchdata": lambda: prepare(
        "POST",
        "searchdata",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        params={
            "query_string": "[sales] [store region]",
            "data_source_guid": "3c46f48d-daa8-4da7-8baa-fd72347143dc",
            "batchsize": "-1",
            "pagenumber": "-1",
            "offset": "-1",
            "formattype": "COMPACT",
        },
    ),
}


def test_every_operation_has_a_documented_example():
    documented = {name.split(" (")[0] for name in DOCUMENTED}
    published = {path.removeprefix("/tspublic/v1/") for path in SPEC["paths"]}
    assert documented == published


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_the_documentation_examples_validate(name):
    assert problems(DOCUMENTED[name]()) is None


def test_the_principals_file_holds_user_sync_principals():
    schema = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/UserSyncPrincipal"},
        "components": SPEC["components"],
    }
    OAS30Validator(schema).validate(json.loads(PRINCIPALS))
    # groupNames is optional: a group without it is a valid principal.
    OAS30Validator(schema).validate([{"name": "Analysts", "principalTypeEnum": "LOCAL_GROUP"}])


# --- the Python library's requests --------------------------------------------------------------------


class Capture(requests.adapters.BaseAdapter):
    """Answers every request like a server would, and keeps what was sent."""

    ANSWERS = {
        "metadata/tml/import": {"object": [{"response": {"status": {"status_code": "OK"}}}]},
        "metadata/tml/export": {
            "object": [{"info": {"name": "x", "id": LIVEBOARD, "status": {"status_code": "OK"}}, "edoc": "{}"}]
        },
    }

    def __init__(self):
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        endpoint = request.path_url.split("?")[0].removeprefix("/callosum/v1/tspublic/v1/")
        response = requests.Response()
        response.request, response.url, response.status_code = request, request.url, 200
        if endpoint in ("session/login", "session/logout", "user/updatepassword", "user/transfer/ownership"):
            response.status_code, response._content = 204, b""
        elif endpoint == "session/auth/token":
            response._content = b"JHNoaXJvMSRTSEEtMjU2"
        elif endpoint == "export/pinboard/pdf":
            response._content = b"%PDF-1.7"
        else:
            response._content = json.dumps(self.ANSWERS.get(endpoint, [])).encode()
        return response

    def close(self):
        pass


@pytest.fixture
def library():
    ts = TSRestApiV1(server_url=SERVER)
    capture = Capture()
    ts.requests_session.mount("https://", capture)
    ts.requests_session.cookies.set("JSESSIONID", COOKIES["JSESSIONID"])
    return ts, capture


# Library calls that follow the documentation (or a name the description declares).
FOLLOWING = {
    "session_login": lambda ts: ts.session_login("tsadmin", "admin"),
    "session_logout": lambda ts: ts.session_logout(),
    "session_auth_token": lambda ts: ts.session_auth_token("3d1f7c0e-5b2a-4e8d-9c61-a0f4b7e2d583", "jdoe", "FULL"),
    "session_login_token_post": lambda ts: ts.session_login_token_post("jdoe", "JHNoaXJv", "https://analytics.example.com/"),
    "user_list": lambda ts: ts.user_list(),
    # `objectid` is the library's name for `objectsID`, declared (deprecated) so tools keep it.
    "user_transfer_ownership": lambda ts: ts.user_transfer_ownership("jdoe", "tsadmin", object_guids=[LIVEBOARD]),
    # Every text field as a file part, and `removeDelete` (declared, deprecated) for `removeDeleted`.
    "user_sync": lambda ts: ts.user_sync(PRINCIPALS, "Welc0me-2024!"),
    "group_addprivilege": lambda ts: ts.group_addprivilege("DATADOWNLOADING", ["Analysts"]),
    "group_removeprivilege": lambda ts: ts.group_removeprivilege("DATADOWNLOADING", ["Analysts"]),
    # `import_objects` is a Python literal here, not JSON; to a validator it is a string.
    "metadata_tml_import": lambda ts: ts.metadata_tml_import([{"guid": "g1", "answer": {"name": "x"}}], validate_only=True),
    "metadata_tml_export": lambda ts: ts.metadata_tml_export(LIVEBOARD),
    "pinboarddata": lambda ts: ts.pinboarddata(LIVEBOARD, vizids=[]),
    "metadata_listobjectheaders": lambda ts: ts.metadata_listobjectheaders("WORKSHEET", filter="sal%", fetchids=["a"]),
    "metadata_listvizheaders": lambda ts: ts.metadata_listvizheaders(LIVEBOARD),
    "searchdata": lambda ts: ts.searchdata("[sales] [region]", "3c46f48d-daa8-4da7-8baa-fd72347143dc"),
}

# Library calls that deviate: (call, the operation's path, words its description must contain).
DEVIATING = {
    # `newpassword` for the documented `password`.
    "user_updatepassword": (lambda ts: ts.user_updatepassword("jdoe", "old", "new"), "user/updatepassword", ["`newpassword`"]),
    # The options in the query string of a POST with an empty body, not the documented form.
    "export_pinboard_pdf": (
        lambda ts: ts.export_pinboard_pdf(LIVEBOARD, footer_text="x"),
        "export/pinboard/pdf",
        ["Python library", "query string of a POST with an empty body", "strict validators"],
    ),
}


@pytest.mark.parametrize("name", sorted(FOLLOWING))
def test_the_library_requests_that_follow_the_documentation_validate(library, name):
    ts, capture = library
    FOLLOWING[name](ts)
    (sent,) = capture.sent
    assert problems(sent) is None


@pytest.mark.parametrize("name", sorted(DEVIATING))
def test_the_library_deviations_are_refused_and_described(library, name):
    ts, capture = library
    call, path, words = DEVIATING[name]
    call(ts)
    (sent,) = capture.sent
    assert problems(sent) is not None, f"{name}: the deviation validates; move it to FOLLOWING"
    description = " ".join(operation(path)["description"].split())
    for word in words:
        assert word in description, f"{path}: the description does not mention {word!r}"


def test_names_only_tspot_honours_are_marked_as_tspots():
    marked = {
        ("user/updatepassword", "newpassword"): SPEC["components"]["schemas"]["UserUpdatePasswordForm"]["properties"]["newpassword"],
        ("user/sync", "removeDelete"): SPEC["components"]["schemas"]["UserSyncForm"]["properties"]["removeDelete"],
        ("user/transfer/ownership", "objectid"): next(
            p for p in operation("user/transfer/ownership")["parameters"] if p["name"] == "objectid"
        ),
    }
    for (path, name), declared in marked.items():
        assert declared.get("deprecated") is True, f"{path} {name}"
        assert "tspot only" in " ".join(declared["description"].split()), f"{path} {name}"
