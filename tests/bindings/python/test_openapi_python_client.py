"""Every operation through the Python client that openapi-python-client (httpx and attrs) makes from
the published dist/thoughtspot-v1.yaml, installed as the package `thoughtspot_v1_httpx`, against a
running `tspot serve` with the demo (tests/bindings/run.sh generates, installs and starts everything).

Nothing here works around the generated code. The way this generator's users authenticate: its
`AuthenticatedClient` carries one header credential, here `X-Requested-By: ThoughtSpot` (the
`requestedBy` scheme: `token`, with `auth_header_name` and an empty `prefix`); its httpx client keeps
cookies, so after `session_login` the session cookie goes along by itself. (A client that should
carry the session instead can take the JSESSIONID as its bearer `token`, the `bearer` scheme.)
"""

import json
import uuid
from io import BytesIO

import pytest

from conftest import LIVEBOARD, REQUESTED_BY, WORKSHEET, answer_tml, principals_file, unique
from thoughtspot_v1_httpx import AuthenticatedClient
from thoughtspot_v1_httpx.api.data import export_pinboard_pdf, pinboard_data, search_data
from thoughtspot_v1_httpx.api.group import group_add_privilege, group_remove_privilege
from thoughtspot_v1_httpx.api.metadata import metadata_list_object_headers, metadata_list_viz_headers
from thoughtspot_v1_httpx.api.session import session_auth_token, session_login, session_login_token, session_logout
from thoughtspot_v1_httpx.api.tml import metadata_tml_export, metadata_tml_import
from thoughtspot_v1_httpx.api.user import user_list, user_sync, user_transfer_ownership, user_update_password
from thoughtspot_v1_httpx.models import (
    AccessLevel,
    ErrorResponse,
    ExportPinboardPdfForm,
    GroupDetails,
    GroupPrivilegeParts,
    MetadataType,
    Privilege,
    SessionAuthTokenForm,
    SessionLoginForm,
    SessionLoginTokenForm,
    TmlExportForm,
    TmlFormat,
    TmlImportForm,
    TmlImportPolicy,
    TmlStatusCode,
    UserSyncForm,
    UserUpdatePasswordForm,
)
from thoughtspot_v1_httpx.types import File


def new_client(server_url: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=server_url + "/callosum/v1",
        token=REQUESTED_BY,
        prefix="",
        auth_header_name="X-Requested-By",
        timeout=60.0,
    )


@pytest.fixture(scope="module")
def client(server_url, admin_password):
    with new_client(server_url) as client:
        answer = session_login.sync_detailed(
            client=client, body=SessionLoginForm(username="tsadmin", password=admin_password)
        )
        assert answer.status_code == 204
        yield client


@pytest.fixture(scope="module")
def principals():
    return unique("opc-group"), unique("opc-user")


def test_a_call_without_a_session_is_401_with_the_error_body(server_url):
    with new_client(server_url) as anonymous:
        answer = user_list.sync_detailed(client=anonymous)
    assert answer.status_code == 401
    assert isinstance(answer.parsed, ErrorResponse) and answer.parsed.code == 10003


def test_user_sync_uploads_one_json_file(client, principals):
    group, user = principals
    principals_json = File(
        payload=BytesIO(principals_file(group, user)), file_name="principals.json", mime_type="application/json"
    )
    result = user_sync.sync(
        client=client,
        body=UserSyncForm(principals=principals_json, apply_changes=True, remove_deleted=False, password="Welc0me-2024!"),
    )
    assert result.users_added == [user]
    assert result.groups_added == [group]


def test_user_list(client, principals):
    group, user = principals
    listed = {p.name: p for p in user_list.sync(client=client)}
    assert listed["tsadmin"].principal_type_enum == "LOCAL_USER"
    assert group in listed[user].group_names


def test_privileges_granted_and_revoked(client, principals):
    group, _ = principals
    form = GroupPrivilegeParts(privilege=Privilege.DATADOWNLOADING, group_names=json.dumps([group]))
    granted = group_add_privilege.sync(client=client, body=form)
    assert isinstance(granted, GroupDetails) and "DATADOWNLOADING" in granted.privileges
    revoked = group_remove_privilege.sync_detailed(client=client, body=form)
    # 200 with the group (tspot) or 204 (the product documentation): both are declared.
    assert revoked.status_code in (200, 204)
    if revoked.status_code == 200:
        assert "DATADOWNLOADING" not in revoked.parsed.privileges


def test_update_password(client, principals, admin_password):
    _, user = principals
    answer = user_update_password.sync_detailed(
        client=client,
        body=UserUpdatePasswordForm(name=user, currentpassword=admin_password, password="N3w-Passw0rd!"),
    )
    assert answer.status_code == 204


def test_tml_import_export_and_ownership(client, principals):
    _, user = principals
    guid = str(uuid.uuid4())
    name = unique("opc answer")
    imported = metadata_tml_import.sync(
        client=client,
        body=TmlImportForm(import_objects=answer_tml(guid, name), import_policy=TmlImportPolicy.ALL_OR_NONE),
    )
    (entry,) = imported.object_
    assert entry.response.status.status_code == TmlStatusCode.OK
    assert entry.response.header.id_guid == guid

    exported = metadata_tml_export.sync(
        client=client, body=TmlExportForm(export_ids=json.dumps([guid]), formattype=TmlFormat.JSON)
    )
    (entry,) = exported.object_
    assert entry.info.id == guid and entry.info.name == name
    assert json.loads(entry.edoc)["answer"]["name"] == name

    answer = user_transfer_ownership.sync_detailed(
        client=client, from_user_name="tsadmin", to_user_name=user, objects_id=json.dumps([guid])
    )
    assert answer.status_code == 204


def test_metadata_headers(client):
    tables = metadata_list_object_headers.sync(client=client, type_=MetadataType.LOGICAL_TABLE, subtypes='["WORKSHEET"]')
    assert WORKSHEET in {header.id for header in tables}
    vizzes = metadata_list_viz_headers.sync(client=client, id=LIVEBOARD)
    assert vizzes and all(viz.owner == LIVEBOARD for viz in vizzes)


def test_search_the_demo_worksheet(client):
    result = search_data.sync(client=client, query_string="[Sales] [Region]", data_source_guid=WORKSHEET)
    assert result.row_count == 4


def test_pinboard_data_with_a_runtime_filter(client):
    everything = pinboard_data.sync(client=client, id=LIVEBOARD)
    west = pinboard_data.sync(client=client, id=LIVEBOARD, col1="Region", op1="EQ", val1=["west"])
    assert set(west.additional_properties) == set(everything.additional_properties)
    assert west.to_dict() != everything.to_dict()


def test_pdf_export_of_the_liveboard(client):
    answer = export_pinboard_pdf.sync_detailed(
        client=client, body=ExportPinboardPdfForm(id=LIVEBOARD, footer_text="bindings: openapi-python-client")
    )
    assert answer.status_code == 200
    assert answer.content[:5] == b"%PDF-"


def test_trusted_authentication(server_url, trusted_auth_secret):
    with new_client(server_url) as fresh:
        token = session_auth_token.sync(
            client=fresh,
            body=SessionAuthTokenForm(secret_key=trusted_auth_secret, username="tsadmin", access_level=AccessLevel.FULL),
        )
        assert isinstance(token, str) and token
        login = session_login_token.sync_detailed(
            client=fresh, body=SessionLoginTokenForm(username="tsadmin", auth_token=token, no_url_redirection=True)
        )
        assert login.status_code == 204
        assert user_list.sync(client=fresh)


def test_logout_ends_the_session(client):
    assert session_logout.sync_detailed(client=client).status_code == 204
    assert user_list.sync_detailed(client=client).status_code == 401
