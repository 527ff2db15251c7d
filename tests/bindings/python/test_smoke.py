"""Smoke test of the Python client that openapi-generator (generator `python`) makes from the
published dist/thoughtspot-v1.yaml, installed as the package `thoughtspot_v1`, against a running
`tspot serve` with the demo (tests/bindings/run.sh generates, installs and starts everything).

Nothing here works around the generated code: the session cookie goes through the spec's security
scheme `session` (`configuration.api_key["session"]`, sent as `Cookie: JSESSIONID=...`), and
`X-Requested-By` is the required header parameter every POST method takes (`x_requested_by`).
"""

import os
import re
from http.cookies import SimpleCookie

import pytest

import thoughtspot_v1 as ts

WORKSHEET = "6a0d3c1e-5b7f-4c2a-9e41-000000000201"  # the demo's "Retail Sales"
LIVEBOARD = "6a0d3c1e-5b7f-4c2a-9e41-000000000401"  # the demo's "Sales Overview"
REQUESTED_BY = "ThoughtSpot"


def session_cookie(headers):
    """The JSESSIONID value from a login answer's headers. The generated ApiResponse holds them as a
    plain dict (lower-case names; several Set-Cookie lines joined with ", ")."""
    values = [value for name, value in headers.items() if name.lower() == "set-cookie"]
    for value in values:
        # Split joined cookies at ", name=" (an Expires date's ", 27 Nov" has no "=").
        for line in re.split(r",\s*(?=[^\s;,=]+=)", value):
            cookie = SimpleCookie()
            cookie.load(line)
            if "JSESSIONID" in cookie:
                return cookie["JSESSIONID"].value
    raise AssertionError(f"no JSESSIONID in Set-Cookie: {values}")


@pytest.fixture(scope="module")
def configuration():
    return ts.Configuration(host=os.environ["TSPOT_URL"] + "/callosum/v1")


@pytest.fixture(scope="module")
def client(configuration):
    with ts.ApiClient(configuration) as api_client:
        login = ts.SessionApi(api_client).session_login_with_http_info(
            x_requested_by=REQUESTED_BY,
            username="tsadmin",
            password=os.environ["TSPOT_ADMIN_PASSWORD"],
        )
        assert login.status_code == 204
        configuration.api_key["session"] = session_cookie(login.headers)
        yield api_client


def test_a_call_without_a_session_is_401_with_the_error_body(configuration):
    with ts.ApiClient(ts.Configuration(host=configuration.host)) as anonymous:
        with pytest.raises(ts.exceptions.UnauthorizedException) as raised:
            ts.UserApi(anonymous).user_list()
    error = ts.ErrorResponse.from_json(raised.value.body)
    assert error.code == 10003


def test_user_list(client):
    principals = ts.UserApi(client).user_list()
    assert all(isinstance(p, ts.Principal) for p in principals)
    users = {p.name for p in principals if p.principal_type_enum == ts.PrincipalType.LOCAL_USER}
    assert "tsadmin" in users


def test_search_the_demo_worksheet(client):
    result = ts.DataApi(client).search_data(
        x_requested_by=REQUESTED_BY,
        query_string="[Sales] [Region]",
        data_source_guid=WORKSHEET,
    )
    assert isinstance(result, ts.SearchDataResult)
    assert result.row_count == 4
    assert len(result.data) == 4
    assert len(result.column_names) == 2
    assert all(len(row) == 2 for row in result.data)


def test_pinboard_data_of_the_liveboard(client):
    data = ts.DataApi(client).pinboard_data(x_requested_by=REQUESTED_BY, id=LIVEBOARD)
    assert data, "the Liveboard has visualizations"
    for viz in data.values():
        assert isinstance(viz, ts.VizData)
        assert viz.row_count == len(viz.data)
        assert all(len(row) == len(viz.column_names) for row in viz.data)
    assert any(viz.row_count > 0 for viz in data.values())


def test_pdf_export_of_the_liveboard(client):
    pdf = ts.DataApi(client).export_pinboard_pdf(
        x_requested_by=REQUESTED_BY, id=LIVEBOARD, footer_text="bindings smoke test"
    )
    assert bytes(pdf[:5]) == b"%PDF-"
    assert len(pdf) > 1000


def test_logout_ends_the_session(client, configuration):
    ts.SessionApi(client).session_logout(x_requested_by=REQUESTED_BY)
    with pytest.raises(ts.exceptions.UnauthorizedException):
        ts.UserApi(client).user_list()
