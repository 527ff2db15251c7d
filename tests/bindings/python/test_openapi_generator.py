"""Every operation through the Python client that openapi-generator (generator `python`) makes from
the published dist/thoughtspot-v1.yaml, installed as the package `thoughtspot_v1`, against a running
`tspot serve` with the demo (tests/bindings/run.sh generates, installs and starts everything).

Nothing here works around the generated code. The way this generator's users authenticate:
`X-Requested-By` is the API key `requestedBy`, set once in the Configuration; the client's HTTP
stack (urllib3) keeps no cookies, so after `session_login` the JSESSIONID goes into the
Configuration once, as the API key `session` (sent as `Cookie: JSESSIONID=...`).
"""

import re
import uuid
from http.cookies import SimpleCookie

import pytest

import thoughtspot_v1 as ts
from conftest import LIVEBOARD, REQUESTED_BY, WORKSHEET, answer_tml, principals_file, unique


def session_cookie(headers) -> str:
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


def configuration(server_url: str) -> ts.Configuration:
    config = ts.Configuration(host=server_url + "/callosum/v1")
    config.api_key["requestedBy"] = REQUESTED_BY
    return config


@pytest.fixture(scope="module")
def client(server_url, admin_password):
    config = configuration(server_url)
    with ts.ApiClient(config) as api_client:
        login = ts.SessionApi(api_client).session_login_with_http_info(
            username="tsadmin", password=admin_password
        )
        assert login.status_code == 204
        config.api_key["session"] = session_cookie(login.headers)
        yield api_client


@pytest.fixture(scope="module")
def principals():
    return unique("ogpy-group"), unique("ogpy-user")


def test_a_call_without_a_session_is_401_with_the_error_body(server_url):
    with ts.ApiClient(configuration(server_url)) as anonymous:
        with pytest.raises(ts.exceptions.UnauthorizedException) as raised:
            ts.UserApi(anonymous).user_list()
    assert ts.ErrorResponse.from_json(raised.value.body).code == 10003


def test_user_sync_uploads_one_json_file(client, principals):
    group, user = principals
    result = ts.UserApi(client).user_sync(
        principals=("principals.json", principals_file(group, user)),
        apply_changes=True,
        remove_deleted=False,
        password="Welc0me-2024!",
    )
    assert result.users_added == [user]
    assert result.groups_added == [group]


def test_user_list(client, principals):
    group, user = principals
    listed = {p.name: p for p in ts.UserApi(client).user_list()}
    assert listed["tsadmin"].principal_type_enum.actual_instance == ts.PrincipalType.LOCAL_USER
    assert group in listed[user].group_names


def test_privileges_granted_and_revoked(client, principals):
    group, _ = principals
    groups = ts.GroupApi(client)
    granted = groups.group_add_privilege(privilege="DATADOWNLOADING", group_names=f'["{group}"]')
    assert "DATADOWNLOADING" in granted.privileges
    assert granted.header.name == group
    revoked = groups.group_remove_privilege(privilege="DATADOWNLOADING", group_names=f'["{group}"]')
    assert "DATADOWNLOADING" not in revoked.privileges


def test_update_password(client, principals, admin_password):
    _, user = principals
    answer = ts.UserApi(client).user_update_password_with_http_info(
        name=user, currentpassword=admin_password, password="N3w-Passw0rd!"
    )
    assert answer.status_code == 204


def test_tml_import_export_and_ownership(client, principals):
    _, user = principals
    guid = str(uuid.uuid4())
    name = unique("ogpy answer")
    imported = ts.TmlApi(client).metadata_tml_import(
        import_objects=answer_tml(guid, name), import_policy="ALL_OR_NONE"
    )
    (entry,) = imported.object
    assert entry.response.status.status_code == ts.TmlStatusCode.OK
    assert entry.response.header.id_guid == guid

    exported = ts.TmlApi(client).metadata_tml_export(export_ids=f'["{guid}"]', formattype="JSON")
    (entry,) = exported.object
    assert entry.info.id == guid and entry.info.name == name
    assert '"search_query"' in entry.edoc

    answer = ts.UserApi(client).user_transfer_ownership_with_http_info(
        from_user_name="tsadmin", to_user_name=user, objects_id=f'["{guid}"]'
    )
    assert answer.status_code == 204


def test_metadata_headers(client):
    metadata = ts.MetadataApi(client)
    tables = metadata.metadata_list_object_headers(type=ts.MetadataType.LOGICAL_TABLE, subtypes='["WORKSHEET"]')
    assert WORKSHEET in {header.id for header in tables}
    vizzes = metadata.metadata_list_viz_headers(id=LIVEBOARD)
    assert vizzes and all(viz.owner == LIVEBOARD for viz in vizzes)


def test_search_the_demo_worksheet(client):
    result = ts.DataApi(client).search_data(query_string="[Sales] [Region]", data_source_guid=WORKSHEET)
    assert result.row_count == 4
    assert all(len(row) == 2 for row in result.data)


def test_pinboard_data_with_a_runtime_filter(client):
    data = ts.DataApi(client).pinboard_data(id=LIVEBOARD)
    filtered = ts.DataApi(client).pinboard_data(id=LIVEBOARD, col1="Region", op1="EQ", val1=["west"])
    assert data.keys() == filtered.keys()
    for viz in filtered.values():
        assert isinstance(viz, ts.VizData)
        assert viz.row_count == len(viz.data)
    # West is one of four regions: the filter narrows what the Liveboard totals.
    assert sum(v.total_row_count for v in filtered.values()) <= sum(v.total_row_count for v in data.values())
    assert filtered != data


def test_pdf_export_of_the_liveboard(client):
    pdf = ts.DataApi(client).export_pinboard_pdf(id=LIVEBOARD, footer_text="bindings: openapi-generator python")
    assert bytes(pdf[:5]) == b"%PDF-"


def test_trusted_authentication(server_url, trusted_auth_secret):
    with ts.ApiClient(configuration(server_url)) as anonymous:
        sessions = ts.SessionApi(anonymous)
        token = sessions.session_auth_token(secret_key=trusted_auth_secret, username="tsadmin", access_level="FULL")
        login = sessions.session_login_token_with_http_info(
            username="tsadmin", auth_token=token, no_url_redirection=True
        )
        assert login.status_code == 204
        anonymous.configuration.api_key["session"] = session_cookie(login.headers)
        assert ts.UserApi(anonymous).user_list()


def test_logout_ends_the_session(client):
    ts.SessionApi(client).session_logout()
    with pytest.raises(ts.exceptions.UnauthorizedException):
        ts.UserApi(client).user_list()
