"""The community library `thoughtspot-rest-api-v1`, unmodified, against `tspot serve`.

Every method of `TSRestApiV1` for the operations tspot implements is driven here, through the
library only, with the wire quirks it has: `newpassword` for the new password, `objectid` in the
query string of transfer/ownership, multipart `user/sync` with the misspelt `removeDelete`,
multipart privilege changes whose JSON answer it parses, the trusted-authentication pair, TML
import as Python's `repr()` of a list, the data calls' options in the query string of an empty
POST, and a PDF export whose status it never checks.
Errors surface as `requests.HTTPError`; their bodies are ThoughtSpot's error JSON.

The object and data tests run against the demo `tspot serve` creates on first start (see
conftest.py): every expected number is computed with plain SQL over the demo's SQLite file.
"""

import io
import json
import re
import uuid

import pypdf
import pytest
import requests
import yaml
from thoughtspot_rest_api_v1 import MetadataSubtypes, MetadataTypes, Privileges, Sorts, TSRestApiV1

from conftest import ADMIN_USER

SYNC_PASSWORD = "Sync-Passw0rd-1"


# --- helpers -------------------------------------------------------------------------------------

def unique(prefix: str) -> str:
    return f"py-{prefix}-{uuid.uuid4().hex[:8]}"


def signed_in(server, username: str, password: str) -> TSRestApiV1:
    ts = TSRestApiV1(server.url)
    assert ts.session_login(username, password) is True
    return ts


def user(name: str, groups=(), **extra) -> dict:
    return {
        "name": name,
        "displayName": name.replace("-", " ").title(),
        "mail": f"{name}@example.com",
        "principalTypeEnum": "LOCAL_USER",
        "groupNames": list(groups),
        "visibility": "DEFAULT",
        **extra,
    }


def group(name: str, groups=()) -> dict:
    return {
        "name": name,
        "displayName": name.replace("-", " ").title(),
        "principalTypeEnum": "LOCAL_GROUP",
        "groupNames": list(groups),
        "visibility": "DEFAULT",
    }


def create(admin: TSRestApiV1, *principals: dict, password: str = SYNC_PASSWORD) -> dict:
    """Adds principals without touching the others (remove_deleted=False)."""
    return admin.user_sync(json.dumps(list(principals)), password, apply_changes=True, remove_deleted=False)


def principals_by_name(ts: TSRestApiV1) -> dict:
    return {(p["principalTypeEnum"], p["name"]): p for p in ts.user_list()}


def assert_error(excinfo, status: int, code) -> list:
    """The HTTPError the library raised carries ThoughtSpot's error body; returns its messages.

    `code=None` accepts any integer code (see test_not_found_answers_carry_the_documented_code).
    """
    return assert_error_response(excinfo.value.response, status, code)


def assert_error_response(response: requests.Response, status: int, code) -> list:
    assert response.status_code == status, response.text
    body = response.json()
    if code is None:
        assert isinstance(body["code"], int), body
    else:
        assert body["code"] == code, body
    assert body["incident_id_guid"] and body["trace_id_guid"]
    entries = json.loads(body["debug"])
    assert isinstance(entries, list) and entries and all(isinstance(m, str) for m in entries)
    # Callosum's layout: "Error Code: NAME Incident Id: ID\nError Message: TEXT".
    messages = []
    for entry in entries:
        head, _, message = entry.partition("\nError Message: ")
        assert head.startswith("Error Code: ") and body["incident_id_guid"] in head, entry
        messages.append(message)
    return messages


def session_cookie(ts: TSRestApiV1):
    return next(c for c in ts.requests_session.cookies if c.name == "JSESSIONID")


@pytest.fixture
def admin(server):
    ts = signed_in(server, ADMIN_USER, server.admin_password)
    yield ts
    try:
        ts.session_logout()
    except requests.HTTPError:
        pass


@pytest.fixture
def member(server, admin):
    """A fresh non-admin user, signed in; yields (client, name, password)."""
    name = unique("member")
    create(admin, user(name))
    return signed_in(server, name, SYNC_PASSWORD), name, SYNC_PASSWORD


# --- session/login, session/logout ---------------------------------------------------------------

def test_session_login_sets_a_session_cookie_and_logout_ends_it(server):
    ts = TSRestApiV1(server.url)
    assert ts.session_login(ADMIN_USER, server.admin_password) is True
    cookie = session_cookie(ts)
    assert cookie.expires is not None, "remember_me=True (the default) gives a persistent cookie"
    assert not cookie.secure, "a Secure cookie would not be sent back over plain HTTP"
    assert any(p["name"] == ADMIN_USER for p in ts.user_list())

    assert ts.session_logout() is True
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.user_list()
    assert_error(excinfo, 401, 10003)
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.session_logout()
    assert_error(excinfo, 401, 10003)


def test_session_login_without_remember_me_gives_a_browser_session_cookie(server):
    ts = TSRestApiV1(server.url)
    assert ts.session_login(ADMIN_USER, server.admin_password, remember_me=False) is True
    assert session_cookie(ts).expires is None
    assert ts.user_list()
    assert ts.session_logout() is True


def test_session_login_refuses_bad_credentials(server, member):
    _, name, _ = member
    ts = TSRestApiV1(server.url)
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.session_login(name, "not-the-password")
    assert_error(excinfo, 401, 10003)
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.session_login(unique("nobody"), "whatever")
    assert_error(excinfo, 401, 10003)
    # A failed attempt leaves no session behind.
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.user_list()
    assert_error(excinfo, 401, 10003)


def test_sessions_are_independent(server):
    first = signed_in(server, ADMIN_USER, server.admin_password)
    second = signed_in(server, ADMIN_USER, server.admin_password)
    assert session_cookie(first).value != session_cookie(second).value
    first.session_logout()
    assert second.user_list()
    second.session_logout()


# --- user/list -----------------------------------------------------------------------------------

def test_user_list_shows_the_system_principals(admin):
    principals = admin.user_list()
    assert isinstance(principals, list)
    found = {(p["principalTypeEnum"], p["name"]): p for p in principals}
    tsadmin = found[("LOCAL_USER", ADMIN_USER)]
    assert "Administrator" in tsadmin["groupNames"]
    assert ("LOCAL_GROUP", "Administrator") in found
    assert ("LOCAL_GROUP", "All") in found
    for principal in principals:
        assert "password" not in principal
        assert isinstance(principal["created"], int) and isinstance(principal["modified"], int)
        assert principal["created"] > 1_500_000_000_000, "epoch milliseconds"
        assert principal["visibility"] in ("DEFAULT", "NON_SHARABLE")
        # The server leaves an empty groupNames out (ThoughtSpot's own example shows `[]`).
        assert isinstance(principal.get("groupNames", []), list)


def test_user_list_works_for_a_non_admin(member):
    ts, name, _ = member
    assert any(p["name"] == name for p in ts.user_list())


# --- user/sync -----------------------------------------------------------------------------------

def test_user_sync_dry_run_apply_update_and_remove_deleted(server, admin):
    analysts, alice, bob = unique("analysts"), unique("alice"), unique("bob")
    wanted = [group(analysts), user(alice, [analysts]), user(bob)]

    # Dry run: reports, changes nothing.
    result = admin.user_sync(json.dumps(wanted), SYNC_PASSWORD, apply_changes=False, remove_deleted=False)
    assert sorted(result["usersAdded"]) == sorted([alice, bob])
    assert result["groupsAdded"] == [analysts]
    assert result["usersDeleted"] == result["groupsDeleted"] == []
    assert result["usersUpdated"] == result["groupsUpdated"] == []
    names = {p["name"] for p in admin.user_list()}
    assert not {analysts, alice, bob} & names

    # Apply: the same report, and the principals exist with their memberships.
    result = admin.user_sync(json.dumps(wanted), SYNC_PASSWORD, apply_changes=True, remove_deleted=False)
    assert sorted(result["usersAdded"]) == sorted([alice, bob])
    assert result["groupsAdded"] == [analysts]
    found = principals_by_name(admin)
    assert analysts in found[("LOCAL_USER", alice)]["groupNames"]
    assert found[("LOCAL_USER", alice)]["mail"] == f"{alice}@example.com"
    assert found[("LOCAL_GROUP", analysts)]["principalTypeEnum"] == "LOCAL_GROUP"
    # New local users got the sync password.
    signed_in(server, bob, SYNC_PASSWORD).session_logout()

    # The same list again changes nothing; a changed display name is an update.
    result = admin.user_sync(json.dumps(wanted), SYNC_PASSWORD, apply_changes=True, remove_deleted=False)
    assert all(result[key] == [] for key in result), result
    wanted[2]["displayName"] = "Robert"
    result = admin.user_sync(json.dumps(wanted), SYNC_PASSWORD, apply_changes=True, remove_deleted=False)
    assert result["usersUpdated"] == [bob]
    assert principals_by_name(admin)[("LOCAL_USER", bob)]["displayName"] == "Robert"

    # remove_deleted=False (sent as the misspelt `removeDelete`) is honoured: a partial list deletes nothing.
    result = admin.user_sync(json.dumps([group(analysts)]), SYNC_PASSWORD, apply_changes=True, remove_deleted=False)
    assert result["usersDeleted"] == result["groupsDeleted"] == []
    assert ("LOCAL_USER", bob) in principals_by_name(admin)

    # remove_deleted=True deletes what the list leaves out: everything as listed, minus bob and the group.
    everything = [p for p in admin.user_list() if p["name"] not in (bob, analysts)]
    for p in everything:
        if p["name"] == alice:
            p["groupNames"] = [g for g in p["groupNames"] if g != analysts]
    dry = admin.user_sync(json.dumps(everything), SYNC_PASSWORD, apply_changes=False, remove_deleted=True)
    assert dry["usersDeleted"] == [bob] and dry["groupsDeleted"] == [analysts]
    assert ("LOCAL_USER", bob) in principals_by_name(admin)
    result = admin.user_sync(json.dumps(everything), SYNC_PASSWORD, apply_changes=True, remove_deleted=True)
    assert result["usersDeleted"] == [bob]
    assert result["groupsDeleted"] == [analysts]
    found = principals_by_name(admin)
    assert ("LOCAL_USER", bob) not in found and ("LOCAL_GROUP", analysts) not in found
    assert ("LOCAL_USER", alice) in found and ("LOCAL_USER", ADMIN_USER) in found
    with pytest.raises(requests.HTTPError) as excinfo:
        TSRestApiV1(server.url).session_login(bob, SYNC_PASSWORD)
    assert_error(excinfo, 401, 10003)


def test_user_sync_never_deletes_the_system_principals(admin):
    result = admin.user_sync(json.dumps([]), SYNC_PASSWORD, apply_changes=False, remove_deleted=True)
    assert ADMIN_USER not in result["usersDeleted"]
    assert "Administrator" not in result["groupsDeleted"] and "All" not in result["groupsDeleted"]


def test_user_sync_gives_a_principal_its_own_password(server, admin):
    name = unique("own")
    create(admin, user(name, password="Own-Passw0rd-2"))
    signed_in(server, name, "Own-Passw0rd-2").session_logout()


def test_user_sync_refuses_bad_input(admin):
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_sync("this is not json", SYNC_PASSWORD, apply_changes=True)
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_sync(json.dumps([user(unique("nopass"))]), "", apply_changes=True)
    messages = assert_error(excinfo, 400, 10002)
    assert "password" in " ".join(messages)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_sync(json.dumps([user(unique("lost"), [unique("no-such-group")])]), SYNC_PASSWORD, apply_changes=True)
    assert_error(excinfo, 400, 10002)


# --- user/updatepassword (the library sends `newpassword`) ---------------------------------------

def test_user_updatepassword_own_and_as_admin(server, admin):
    name = unique("carol")
    create(admin, user(name))
    carol = signed_in(server, name, SYNC_PASSWORD)

    assert carol.user_updatepassword(name, SYNC_PASSWORD, "Carol-Passw0rd-2") is None
    signed_in(server, name, "Carol-Passw0rd-2").session_logout()
    with pytest.raises(requests.HTTPError) as excinfo:
        TSRestApiV1(server.url).session_login(name, SYNC_PASSWORD)
    assert_error(excinfo, 401, 10003)

    # An administrator resets it, giving the administrator's own password as the current one.
    assert admin.user_updatepassword(name, server.admin_password, "Carol-Passw0rd-3") is None
    signed_in(server, name, "Carol-Passw0rd-3").session_logout()


def test_user_updatepassword_refuses_bad_input(server, admin, member):
    ts, name, password = member
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.user_updatepassword(name, "not-my-password", "Whatever-Passw0rd-9")
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.user_updatepassword(name, password, password)
    messages = assert_error(excinfo, 400, 10002)
    assert "same" in " ".join(messages)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_updatepassword(unique("nobody"), server.admin_password, "Whatever-Passw0rd-9")
    assert_error(excinfo, 400, 10002)
    # Nothing changed.
    signed_in(server, name, password).session_logout()


def test_user_updatepassword_of_someone_else_needs_admin(server, admin, member):
    ts, _, password = member
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.user_updatepassword(ADMIN_USER, password, "Hijacked-Passw0rd-1")
    assert_error(excinfo, 403, 10003)
    signed_in(server, ADMIN_USER, server.admin_password).session_logout()


# --- user/transfer/ownership (query string; the library sends `objectid`) ------------------------

def test_user_transfer_ownership(admin):
    dave, erin = unique("dave"), unique("erin")
    create(admin, user(dave), user(erin))
    assert admin.user_transfer_ownership(dave, erin) is True
    guids = [str(uuid.uuid4()), str(uuid.uuid4())]
    assert admin.user_transfer_ownership(erin, dave, object_guids=guids) is True
    assert admin.user_transfer_ownership(dave, erin, object_guids=[]) is True


def test_user_transfer_ownership_refuses_bad_input(admin):
    dave = unique("dave")
    create(admin, user(dave))
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_transfer_ownership(dave, unique("nobody"))
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_transfer_ownership(unique("nobody"), dave)
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.user_transfer_ownership(dave, dave)
    assert_error(excinfo, 400, 10002)


# --- group/addprivilege, group/removeprivilege (multipart; JSON answer) --------------------------

def test_group_privileges_grant_and_revoke(server, admin):
    editors, eve = unique("editors"), unique("eve")
    create(admin, group(editors), user(eve, [editors]))

    details = admin.group_addprivilege(Privileges.CAN_DOWNLOAD_DATA, [editors])
    assert details["header"]["name"] == editors
    assert details["type"] == details["header"]["type"] == "LOCAL_GROUP"
    assert Privileges.CAN_DOWNLOAD_DATA in details["privileges"]
    # Granting twice is harmless; several groups answer with the first one's details.
    details = admin.group_addprivilege(Privileges.CAN_DOWNLOAD_DATA, [editors, "All"])
    assert details["header"]["name"] == editors
    assert details["privileges"].count(Privileges.CAN_DOWNLOAD_DATA) == 1

    details = admin.group_removeprivilege(Privileges.CAN_DOWNLOAD_DATA, [editors, "All"])
    assert details["header"]["name"] == editors
    assert Privileges.CAN_DOWNLOAD_DATA not in details["privileges"]


def test_administration_privilege_takes_effect_through_the_group(server, admin):
    operators, olga = unique("operators"), unique("olga")
    create(admin, group(operators), user(olga, [operators]))
    ts = signed_in(server, olga, SYNC_PASSWORD)
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.group_addprivilege(Privileges.CAN_SHARE_WITH_ALL_USERS, [operators])
    assert_error(excinfo, 403, 10003)

    admin.group_addprivilege(Privileges.CAN_ADMINISTER_THOUGHTSPOT, [operators])
    details = ts.group_addprivilege(Privileges.CAN_SHARE_WITH_ALL_USERS, [operators])
    assert set(details["privileges"]) >= {"ADMINISTRATION", "SHAREWITHALL"}

    admin.group_removeprivilege(Privileges.CAN_ADMINISTER_THOUGHTSPOT, [operators])
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.group_removeprivilege(Privileges.CAN_SHARE_WITH_ALL_USERS, [operators])
    assert_error(excinfo, 403, 10003)


def test_group_privileges_refuse_bad_input(admin):
    editors = unique("editors")
    create(admin, group(editors))
    for call in (admin.group_addprivilege, admin.group_removeprivilege):
        with pytest.raises(requests.HTTPError) as excinfo:
            call("NOT_A_PRIVILEGE", [editors])
        assert_error(excinfo, 400, 10002)
        with pytest.raises(requests.HTTPError) as excinfo:
            call(Privileges.CAN_DOWNLOAD_DATA, [unique("no-such-group")])
        assert_error(excinfo, 400, 10002)
        with pytest.raises(requests.HTTPError) as excinfo:
            call(Privileges.CAN_DOWNLOAD_DATA, [])
        assert_error(excinfo, 400, 10002)
    # All or nothing: a list with an unknown group changes no group.
    with pytest.raises(requests.HTTPError):
        admin.group_addprivilege(Privileges.CAN_DOWNLOAD_DATA, [editors, unique("no-such-group")])
    details = admin.group_removeprivilege(Privileges.CAN_UPLOAD_USER_DATA, [editors])
    assert Privileges.CAN_DOWNLOAD_DATA not in details["privileges"]


# --- session/auth/token + session/login/token (trusted authentication) ---------------------------

def test_trusted_auth_full_session(server, admin):
    frank = unique("frank")
    create(admin, user(frank))
    backend = TSRestApiV1(server.url)  # the authenticator service needs no session
    token = backend.session_auth_token(server.secret, frank, access_level="FULL")
    assert isinstance(token, str) and len(token) >= 20 and token.strip() == token

    ts = TSRestApiV1(server.url)
    # Without no_url_redirection the answer is a 302 to redirect_url, which requests follows with
    # the new session cookie: pointing it at user/list proves the session works.
    redirect = f"{server.url}/callosum/v1/tspublic/v1/user/list"
    response = ts.session_login_token_post(frank, token, redirect)
    assert [r.status_code for r in response.history] == [302]
    assert response.history[0].headers["Location"] == redirect
    assert response.status_code == 200
    assert any(p["name"] == frank for p in response.json())
    assert any(p["name"] == frank for p in ts.user_list())
    # A FULL session of a non-admin is still not an admin session.
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.group_addprivilege(Privileges.CAN_DOWNLOAD_DATA, ["All"])
    assert_error(excinfo, 403, 10003)
    assert ts.session_logout() is True

    # A token works once.
    with pytest.raises(requests.HTTPError) as excinfo:
        TSRestApiV1(server.url).session_login_token_post(frank, token, redirect)
    assert_error(excinfo, 401, 10003)


def test_trusted_auth_autocreates_users_with_groups(server, admin):
    grace, crew = unique("grace"), unique("crew")
    backend = TSRestApiV1(server.url)
    token = backend.session_auth_token(server.secret, grace, groups=[crew], auto_create_user=True)
    found = principals_by_name(admin)
    assert crew in found[("LOCAL_USER", grace)]["groupNames"]
    assert ("LOCAL_GROUP", crew) in found
    ts = TSRestApiV1(server.url)
    ts.session_login_token_post(grace, token, f"{server.url}/callosum/v1/tspublic/v1/user/list")
    assert ts.user_list()


def test_trusted_auth_report_book_view_is_limited_to_its_object(server, admin):
    heidi = unique("heidi")
    create(admin, user(heidi))
    backend = TSRestApiV1(server.url)
    liveboard = str(uuid.uuid4())
    token = backend.session_auth_token(server.secret, heidi, access_level="REPORT_BOOK_VIEW", object_guid=liveboard)
    ts = TSRestApiV1(server.url)
    response = ts.session_login_token_post(heidi, token, f"{server.url}/openapi.json")
    assert response.status_code == 200 and response.history[0].status_code == 302
    assert session_cookie(ts).value
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.user_list()
    assert_error(excinfo, 403, 10003)

    # REPORT_BOOK_VIEW needs the object id.
    with pytest.raises(requests.HTTPError) as excinfo:
        backend.session_auth_token(server.secret, heidi, access_level="REPORT_BOOK_VIEW")
    assert_error(excinfo, 400, 10002)


def test_trusted_auth_refuses_bad_input(server, admin):
    ivan = unique("ivan")
    create(admin, user(ivan))
    backend = TSRestApiV1(server.url)
    with pytest.raises(requests.HTTPError) as excinfo:
        backend.session_auth_token("not-the-secret", ivan)
    assert_error(excinfo, 401, 10003)
    with pytest.raises(requests.HTTPError) as excinfo:
        backend.session_auth_token(server.secret, unique("nobody"))
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        backend.session_auth_token(server.secret, ivan, access_level="EVERYTHING")
    assert_error(excinfo, 400, 10002)
    # A token is for the user it was issued for.
    token = backend.session_auth_token(server.secret, ivan)
    with pytest.raises(requests.HTTPError) as excinfo:
        TSRestApiV1(server.url).session_login_token_post(ADMIN_USER, token, server.url)
    assert_error(excinfo, 401, 10003)
    with pytest.raises(requests.HTTPError) as excinfo:
        TSRestApiV1(server.url).session_login_token_post(ivan, "made-up-token", server.url)
    assert_error(excinfo, 401, 10003)


# --- the error paths every operation shares ------------------------------------------------------

def test_every_operation_needs_a_session(server):
    ts = TSRestApiV1(server.url)
    calls = [
        ts.user_list,
        ts.session_logout,
        lambda: ts.user_updatepassword(ADMIN_USER, server.admin_password, "Never-Passw0rd-1"),
        lambda: ts.user_transfer_ownership("a", "b"),
        lambda: ts.user_sync("[]", SYNC_PASSWORD, apply_changes=True, remove_deleted=True),
        lambda: ts.group_addprivilege(Privileges.CAN_DOWNLOAD_DATA, ["All"]),
        lambda: ts.group_removeprivilege(Privileges.CAN_DOWNLOAD_DATA, ["All"]),
    ]
    for call in calls:
        with pytest.raises(requests.HTTPError) as excinfo:
            call()
        assert_error(excinfo, 401, 10003)


def test_admin_operations_refuse_a_non_admin(admin, member):
    ts, name, _ = member
    other = unique("other")
    create(admin, user(other))
    calls = [
        lambda: ts.user_transfer_ownership(other, name),
        lambda: ts.user_sync(json.dumps([user(unique("x"))]), SYNC_PASSWORD, apply_changes=True),
        lambda: ts.user_sync("[]", SYNC_PASSWORD, apply_changes=True, remove_deleted=True),
        lambda: ts.group_addprivilege(Privileges.CAN_ADMINISTER_THOUGHTSPOT, ["All"]),
        lambda: ts.group_removeprivilege(Privileges.CAN_ADMINISTER_THOUGHTSPOT, ["Administrator"]),
        lambda: ts.user_updatepassword(other, SYNC_PASSWORD, "Stolen-Passw0rd-1"),
    ]
    for call in calls:
        with pytest.raises(requests.HTTPError) as excinfo:
            call()
        assert_error(excinfo, 403, 10003)
    # Nothing was changed by the refused calls.
    found = principals_by_name(admin)
    assert ("LOCAL_USER", other) in found
    assert any(p["name"] == ADMIN_USER for p in admin.user_list())


# =================================================================================================
# The demo: TML, metadata headers, search and Liveboard data, PDF
# =================================================================================================

# Fixed GUIDs of the demo objects (crates/tspot-reference/demo/*.tml).
LIVEBOARD = "6a0d3c1e-5b7f-4c2a-9e41-000000000401"
WORKSHEET = "6a0d3c1e-5b7f-4c2a-9e41-000000000201"
TABLES = {
    "fact_sales": "6a0d3c1e-5b7f-4c2a-9e41-000000000101",
    "dim_store": "6a0d3c1e-5b7f-4c2a-9e41-000000000102",
    "dim_product": "6a0d3c1e-5b7f-4c2a-9e41-000000000103",
}
ANSWERS = {
    "Sales by Region": "6a0d3c1e-5b7f-4c2a-9e41-000000000301",
    "Monthly Sales Trend": "6a0d3c1e-5b7f-4c2a-9e41-000000000302",
    "Top 10 Products": "6a0d3c1e-5b7f-4c2a-9e41-000000000303",
}
DEMO = {"Sales Overview": LIVEBOARD, "Retail Sales": WORKSHEET, **TABLES, **ANSWERS}
DEMO_TYPES = {
    LIVEBOARD: "liveboard",
    WORKSHEET: "worksheet",
    **{guid: "table" for guid in TABLES.values()},
    **{guid: "answer" for guid in ANSWERS.values()},
}
# The Liveboard's visualizations in Liveboard order: (name, vizType, size); the filter has no size.
LIVEBOARD_VIZZES = [
    ("Total Sales", "HEADLINE", "xs"),
    ("Sales by Region", "CHART", "ms"),
    ("Monthly Sales", "CHART", "ls"),
    ("Sales by Category", "CHART", "m"),
    ("Store Performance", "TABLE", "m"),
    ("Region", "FILTER", None),
]
REGIONS = ["east", "midwest", "south", "west"]
MISSING = "6a0d3c1e-5b7f-4c2a-9e41-00000000dead"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# The worksheet's joins, and its date buckets as epoch seconds (UTC), in SQL.
JOINED = (
    "fact_sales f JOIN dim_store s ON s.store_id = f.store_id "
    "JOIN dim_product p ON p.product_id = f.product_id"
)
MONTH = "CAST(strftime('%s', substr(f.order_date, 1, 7) || '-01') AS INTEGER)"
YEAR = "CAST(strftime('%s', substr(f.order_date, 1, 4) || '-01-01') AS INTEGER)"
DAY = "CAST(strftime('%s', f.order_date) AS INTEGER)"


def sql(db, query: str, *params) -> list:
    return [list(row) for row in db.execute(query, params).fetchall()]


def sql_value(db, query: str, *params):
    (value,) = db.execute(query, params).fetchone()
    return value


def approx_rows(rows: list) -> list:
    """Expected rows, floats compared to the cent (SQLite and the server add up in different orders)."""
    return [[pytest.approx(v, abs=0.01) if isinstance(v, float) else v for v in row] for row in rows]


def sorted_by(rows: list, index: int) -> list:
    return sorted(rows, key=lambda row: row[index])


def money(value: float) -> str:
    """A number as the PDF prints it: thousands separators, at most two decimals."""
    return format(round(value, 2), ",")


def column(values) -> list:
    """A numeric column as the PDF prints it (tspot-format): thousands separators and one number of
    decimals for the whole column, the fewest (0, 1 or 2) that show every value to two decimals."""
    def needed(v):
        text = f"{round(v, 2):.2f}".rstrip("0")
        return len(text.split(".")[1]) if "." in text else 0
    decimals = max((needed(v) for v in values), default=0)
    return [f"{v:,.{decimals}f}" for v in values]


def headline(value) -> str:
    """A headline value as ThoughtSpot shows it (tspot-format): 1,000 and up abbreviated with two
    decimals (34.76M), smaller values as money()."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale:
            return f"{value / scale:.2f}{suffix}"
    return money(value)


def assert_page(result: dict, *, total: int, rows: int, page_size: int = None, offset: int = None):
    """The paging fields of a searchdata / pinboarddata result."""
    assert result["samplingRatio"] == 1
    assert result["totalRowCount"] == total, result
    assert result["rowCount"] == rows == len(result["data"]), result
    if page_size is not None:
        assert result["pageSize"] == page_size, result
    if offset is not None:
        assert result["offset"] == offset, result


def tsadmin_id(ts: TSRestApiV1) -> str:
    (header,) = ts.metadata_listobjectheaders(MetadataTypes.USER, filter=ADMIN_USER)
    return header["id"]


def liveboard_vizzes(ts: TSRestApiV1) -> dict:
    """Name -> GUID of the Liveboard's visualizations (their GUIDs are made with the demo)."""
    return {h["name"]: h["id"] for h in ts.metadata_listvizheaders(LIVEBOARD)}


def demo_headers(headers: list) -> list:
    """The demo objects among `headers`, in the order listed (other tests import more objects)."""
    return [h for h in headers if h["id"] in DEMO.values()]


def answer_tml(ts: TSRestApiV1, name: str, guid: str = None) -> dict:
    """A new answer on the demo worksheet, made from the exported "Sales by Region"."""
    tml = ts.metadata_tml_export(ANSWERS["Sales by Region"])
    tml["guid"] = guid or str(uuid.uuid4())
    tml["answer"]["name"] = name
    return tml


def import_status(result: dict) -> list:
    return [entry["response"]["status"]["status_code"] for entry in result["object"]]


def read_pdf(data: bytes) -> pypdf.PdfReader:
    assert isinstance(data, bytes) and data.startswith(b"%PDF-"), data[:500]
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_texts(data: bytes) -> list:
    return [page.extract_text() for page in read_pdf(data).pages]


# --- metadata/tml/export -------------------------------------------------------------------------

def test_tml_export_returns_the_document_as_an_ordered_dict(admin):
    tml = admin.metadata_tml_export(LIVEBOARD)
    assert isinstance(tml, dict)
    assert list(tml) == ["guid", "liveboard"]  # the document's own key order
    assert tml["guid"] == LIVEBOARD
    liveboard = tml["liveboard"]
    assert liveboard["name"] == "Sales Overview"
    assert [v["answer"]["name"] for v in liveboard["visualizations"]] == [n for n, kind, _ in LIVEBOARD_VIZZES if kind != "FILTER"]
    # export_fqn=True (the library's default) names the worksheet's GUID in every reference.
    for viz in liveboard["visualizations"]:
        assert viz["answer"]["tables"] == [{"id": "Retail Sales", "name": "Retail Sales", "fqn": WORKSHEET}]
    assert liveboard["filters"][0]["column"] == ["Region"]
    assert liveboard["filters"][0]["values"] == REGIONS

    plain = admin.metadata_tml_export(LIVEBOARD, export_fqn=False)
    assert all("fqn" not in v["answer"]["tables"][0] for v in plain["liveboard"]["visualizations"])

    worksheet = admin.metadata_tml_export(WORKSHEET)["worksheet"]
    assert worksheet["tables"] == [{"name": name, "fqn": guid} for name, guid in TABLES.items()]
    assert [c["name"] for c in worksheet["worksheet_columns"]] == [
        "Order Date", "Sales", "Quantity", "Cost", "Unit Price", "Profit", "Store Name",
        "City", "State", "Region", "Product Name", "Category", "Brand",
    ]
    answer = admin.metadata_tml_export(ANSWERS["Monthly Sales Trend"])["answer"]
    assert answer["search_query"] == "[Sales] [Profit] [Order Date].monthly"


def test_tml_export_of_tables_matches_the_demo_database(admin, demo_db):
    for name, guid in TABLES.items():
        table = admin.metadata_tml_export(guid)["table"]
        assert table["name"] == table["db_table"] == name
        assert table["connection"] == {"name": "tspot_demo"}
        db_columns = [row[1] for row in sql(demo_db, f"PRAGMA table_info({name})")]
        assert [c["db_column_name"] for c in table["columns"]] == db_columns


def test_tml_export_associated_returns_the_whole_answer(admin):
    response = admin.metadata_tml_export(LIVEBOARD, export_associated=True)
    objects = response["object"]
    infos = [o["info"] for o in objects]
    # The requested object first, then what it depends on.
    assert [i["id"] for i in infos] == [LIVEBOARD, WORKSHEET, *TABLES.values()]
    assert [i["type"] for i in infos] == ["liveboard", "worksheet", "table", "table", "table"]
    for info, obj in zip(infos, objects):
        assert info["status"]["status_code"] == "OK"
        assert info["filename"] == f"{info['name']}.{info['type']}.tml"
        edoc = json.loads(obj["edoc"])  # formattype=JSON: edoc is JSON text
        assert edoc["guid"] == info["id"]
    assert infos[0]["dependency"] == [{"filename": "Retail Sales.worksheet.tml", "name": "Retail Sales"}]
    assert [d["name"] for d in infos[1]["dependency"]] == list(TABLES)


def test_tml_export_string_yaml_and_json(admin):
    for guid, kind in DEMO_TYPES.items():
        text = admin.metadata_tml_export_string(guid)  # YAML by default
        assert text.startswith(f"guid: {guid}\n{kind}:\n"), text[:200]
        from_yaml = yaml.safe_load(text)
        as_json = admin.metadata_tml_export_string(guid, formattype="json")  # the library upper-cases it
        from_json = json.loads(as_json)
        assert list(from_json) == ["guid", kind]
        assert from_json == from_yaml
        assert from_json == json.loads(json.dumps(admin.metadata_tml_export(guid)))


def test_tml_export_with_associations_map(admin):
    tml, names = admin.metadata_tml_export_with_associations_map(LIVEBOARD)
    assert list(tml) == ["guid", "liveboard"] and tml["guid"] == LIVEBOARD
    assert names == {"Sales Overview": LIVEBOARD, "Retail Sales": WORKSHEET, **TABLES}

    tml, names = admin.metadata_tml_export_with_associations_map(ANSWERS["Top 10 Products"], export_fqn=False)
    assert tml["answer"]["name"] == "Top 10 Products"
    assert "fqn" not in tml["answer"]["tables"][0]
    assert names == {"Top 10 Products": ANSWERS["Top 10 Products"], "Retail Sales": WORKSHEET, **TABLES}

    # A table depends on nothing.
    tml, names = admin.metadata_tml_export_with_associations_map(TABLES["dim_store"])
    assert names == {"dim_store": TABLES["dim_store"]}


def test_tml_export_string_with_associations_map(admin):
    text, names = admin.metadata_tml_export_string_with_associations_map(WORKSHEET)
    assert text.startswith(f"guid: {WORKSHEET}\nworksheet:\n")
    assert yaml.safe_load(text)["worksheet"]["name"] == "Retail Sales"
    assert names == {"Retail Sales": WORKSHEET, **TABLES}

    text, names = admin.metadata_tml_export_string_with_associations_map(ANSWERS["Sales by Region"], formattype="JSON")
    assert json.loads(text)["answer"]["search_query"] == "[Sales] [Region]"
    assert names == {"Sales by Region": ANSWERS["Sales by Region"], "Retail Sales": WORKSHEET, **TABLES}


def test_tml_export_of_an_unknown_object_is_404(admin):
    for call in (
        lambda: admin.metadata_tml_export(MISSING),
        lambda: admin.metadata_tml_export_string(MISSING),
        lambda: admin.metadata_tml_export_with_associations_map(MISSING),
        lambda: admin.metadata_tml_export_string_with_associations_map(MISSING, formattype="JSON"),
    ):
        with pytest.raises(requests.HTTPError) as excinfo:
            call()
        assert_error(excinfo, 404, None)


# --- metadata/tml/import -------------------------------------------------------------------------

def test_tml_import_python_literal_of_awkward_names(admin):
    # The library sends `str(list_of_json_strings)`: single-quoted items, \\' and \\\\ escapes, \\xNN
    # for control characters, non-ASCII as is. Each name below stresses one of those.
    for name in [
        "Bob's \"quoted\" answer",
        "back\\\\slash and \\\\n not a newline",
        "tab\there, control \x01\x7f, bell \x07",
        "Ünïcödé ✓ 数据 — done",
        "only 'single' quotes",
        "line one\nline two",
    ]:
        tml = answer_tml(admin, name)
        result = admin.metadata_tml_import(tml)
        assert import_status(result) == ["OK"]
        header = result["object"][0]["response"]["header"]
        assert header["name"] == name
        assert header["id_guid"] == tml["guid"]
        assert admin.metadata_tml_export(tml["guid"])["answer"]["name"] == name


def test_tml_import_creates_updates_and_reports_headers(admin):
    guid = str(uuid.uuid4())
    name = unique("answer")
    result = admin.metadata_tml_import(answer_tml(admin, name, guid))
    assert import_status(result) == ["OK"]
    assert admin.guids_from_imported_tml(result) == [guid]
    header = result["object"][0]["response"]["header"]
    assert header["metadata_type"] == "QUESTION_ANSWER_BOOK"
    assert header["owner_guid"] == guid
    assert header["author_name"] == ADMIN_USER
    assert header["author_guid"] == tsadmin_id(admin)
    assert isinstance(header["created"], int) and header["created"] > 1_500_000_000_000
    listed = admin.metadata_listobjectheaders(MetadataTypes.ANSWER, fetchids=[guid])
    assert [(h["id"], h["name"]) for h in listed] == [(guid, name)]

    # The same GUID again (create_new_on_server=False, the default) updates that object.
    renamed = name + " v2"
    result = admin.metadata_tml_import(answer_tml(admin, renamed, guid))
    assert admin.guids_from_imported_tml(result) == [guid]
    listed = admin.metadata_listobjectheaders(MetadataTypes.ANSWER, fetchids=[guid])
    assert [(h["id"], h["name"]) for h in listed] == [(guid, renamed)]
    assert listed[0]["modified"] >= listed[0]["created"]


def test_tml_import_create_new_on_server_keeps_the_original(admin):
    original = admin.metadata_tml_export(ANSWERS["Sales by Region"])
    copy = json.loads(json.dumps(original))
    copy["answer"]["name"] = unique("copy of Sales by Region")
    result = admin.metadata_tml_import(copy, create_new_on_server=True)
    (new_guid,) = admin.guids_from_imported_tml(result)
    assert GUID.match(new_guid) and new_guid not in DEMO.values()
    # The demo answer is untouched; the copy exists beside it.
    assert admin.metadata_tml_export(ANSWERS["Sales by Region"]) == original
    assert admin.metadata_tml_export(new_guid)["answer"]["name"] == copy["answer"]["name"]

    # An unused GUID is kept even with create_new_on_server=True.
    fresh = str(uuid.uuid4())
    result = admin.metadata_tml_import(answer_tml(admin, unique("fresh"), fresh), create_new_on_server=True)
    assert admin.guids_from_imported_tml(result) == [fresh]


def test_tml_import_validate_only_changes_nothing(admin):
    guid = str(uuid.uuid4())
    result = admin.metadata_tml_import([answer_tml(admin, unique("dry"), guid)], validate_only=True)
    assert import_status(result) == ["OK"]
    assert admin.metadata_listobjectheaders(MetadataTypes.ANSWER, fetchids=[guid]) == []
    # A document that does not validate is an ERROR inside the 200, which the library raises as SyntaxError.
    broken = answer_tml(admin, unique("broken"))
    broken["answer"]["tables"] = [{"id": "No Such Worksheet", "name": "No Such Worksheet"}]
    with pytest.raises(SyntaxError) as excinfo:
        admin.metadata_tml_import([broken], validate_only=True)
    (entry,) = excinfo.value.args[0]
    status = entry["response"]["status"]
    assert status["status_code"] == "ERROR" and status["error_code"] == 14502
    assert "No Such Worksheet" in status["error_message"]
    assert "header" not in entry["response"]


def test_tml_import_yaml_strings(admin):
    text = admin.metadata_tml_export_string(ANSWERS["Monthly Sales Trend"])
    name = unique("yaml")
    guid = str(uuid.uuid4())
    text = text.replace(f"guid: {ANSWERS['Monthly Sales Trend']}", f"guid: {guid}").replace(
        "name: Monthly Sales Trend", f"name: {name}"
    )
    result = admin.metadata_tml_import([text], formattype="YAML")
    assert admin.guids_from_imported_tml(result) == [guid]
    exported = yaml.safe_load(admin.metadata_tml_export_string(guid))
    assert exported["answer"]["name"] == name
    assert exported["answer"]["search_query"] == "[Sales] [Profit] [Order Date].monthly"


def test_tml_import_all_or_none(admin):
    good = answer_tml(admin, unique("good"))
    bad = answer_tml(admin, unique("bad"))
    bad["answer"]["tables"] = [{"id": "No Such Worksheet", "name": "No Such Worksheet"}]
    with pytest.raises(SyntaxError) as excinfo:
        admin.metadata_tml_import([good, bad])  # the library always sends ALL_OR_NONE
    entries = excinfo.value.args[0]
    assert [e["response"]["status"]["status_code"] for e in entries] == ["ERROR", "ERROR"]
    assert entries[1]["response"]["status"]["error_code"] == 14502
    assert admin.metadata_listobjectheaders(MetadataTypes.ANSWER, fetchids=[good["guid"], bad["guid"]]) == []


def test_tml_import_refuses_documents_that_are_not_tml(admin):
    for text in ["not yaml: [", "guid: x\n", "{}", "guid: x\nanswer: {name: a}\nliveboard: {name: b}\n"]:
        with pytest.raises(SyntaxError) as excinfo:
            admin.metadata_tml_import([text], formattype="YAML")
        (entry,) = excinfo.value.args[0]
        assert entry["response"]["status"]["status_code"] == "ERROR"
        assert entry["response"]["status"]["error_message"]


def test_an_imported_liveboard_answers_with_its_data(admin, demo_db):
    guid = str(uuid.uuid4())
    name = unique("liveboard")
    liveboard = {
        "guid": guid,
        "liveboard": {
            "name": name,
            "visualizations": [
                {"id": "Viz_1", "answer": {
                    "name": "Quantity by Category",
                    "tables": [{"id": "Retail Sales", "name": "Retail Sales", "fqn": WORKSHEET}],
                    "search_query": "[Category] [Quantity]",
                    "chart": {"type": "COLUMN"},
                }},
                {"id": "Viz_2", "answer": {
                    "name": "West",
                    "tables": [{"id": "Retail Sales", "name": "Retail Sales"}],
                    "search_query": "[Sales] [Region] = 'west'",
                    "chart": {"type": "KPI"},
                }},
            ],
        },
    }
    result = admin.metadata_tml_import(liveboard)
    assert admin.guids_from_imported_tml(result) == [guid]
    assert result["object"][0]["response"]["header"]["metadata_type"] == "PINBOARD_ANSWER_BOOK"
    headers = admin.metadata_listvizheaders(guid)
    assert [(h["name"], h["vizType"]) for h in headers] == [("Quantity by Category", "CHART"), ("West", "HEADLINE")]
    data = admin.pinboarddata(guid, [])
    by_name = {v["name"]: v for v in data.values()}
    assert by_name["Quantity by Category"]["columnNames"] == ["Category", "Total Quantity"]
    expected = sql(demo_db, f"SELECT p.category, sum(f.quantity) FROM {JOINED} GROUP BY 1")
    assert sorted_by(by_name["Quantity by Category"]["data"], 0) == sorted_by(expected, 0)
    west = sql_value(demo_db, f"SELECT sum(f.amount) FROM {JOINED} WHERE s.region = 'west'")
    assert by_name["West"]["data"] == approx_rows([[west]])
    assert read_pdf(admin.export_pinboard_pdf(guid)).pages


def test_an_imported_worksheet_copy_is_a_data_source(admin, demo_db):
    copy = admin.metadata_tml_export(WORKSHEET)
    copy["worksheet"]["name"] = unique("Retail Sales copy")
    (guid,) = admin.guids_from_imported_tml(admin.metadata_tml_import(copy, create_new_on_server=True))
    assert guid != WORKSHEET
    (header,) = admin.metadata_listobjectheaders(MetadataSubtypes.WORKSHEET, fetchids=[guid])
    assert header["subtype"] == "WORKSHEET" and header["name"] == copy["worksheet"]["name"]
    total = sql_value(demo_db, "SELECT sum(amount) FROM fact_sales")
    assert admin.searchdata("[Sales]", guid)["data"] == approx_rows([[total]])


# --- metadata/listobjectheaders ------------------------------------------------------------------

def test_listobjectheaders_header_fields(admin):
    author = tsadmin_id(admin)
    headers = demo_headers(admin.metadata_listobjectheaders(MetadataTypes.TABLE))
    assert {h["id"] for h in headers} == {WORKSHEET, *TABLES.values()}
    for h in headers:
        assert h["owner"] == h["id"]
        assert h["author"] == h["modifiedBy"] == author
        assert h["authorName"] == ADMIN_USER
        assert isinstance(h["created"], int) and h["created"] > 1_500_000_000_000
        assert h["modified"] >= h["created"]
        assert h["isAutoCreated"] is False and h["isAutoDelete"] is False
        assert h["type"] == "LOGICAL_TABLE"
        assert h["subtype"] == ("WORKSHEET" if h["id"] == WORKSHEET else "ONE_TO_ONE_LOGICAL")
        assert h["description"]
    (liveboard,) = demo_headers(admin.metadata_listobjectheaders(MetadataTypes.LIVEBOARD))
    assert liveboard["id"] == LIVEBOARD and liveboard["name"] == "Sales Overview"
    assert liveboard["type"] == "PINBOARD_ANSWER_BOOK"
    answers = demo_headers(admin.metadata_listobjectheaders(MetadataTypes.ANSWER))
    assert {h["name"]: h["id"] for h in answers} == ANSWERS
    assert all(h["type"] == "QUESTION_ANSWER_BOOK" for h in answers)


def test_listobjectheaders_subtype_shortcuts(admin):
    # The library turns these object types into type=LOGICAL_TABLE&subtypes=["<that>"].
    worksheets = admin.metadata_listobjectheaders(MetadataSubtypes.WORKSHEET)
    assert WORKSHEET in {h["id"] for h in worksheets}
    assert all(h["subtype"] == "WORKSHEET" for h in worksheets)
    tables = admin.metadata_listobjectheaders(MetadataSubtypes.TABLE)  # ONE_TO_ONE_LOGICAL
    assert {h["name"]: h["id"] for h in demo_headers(tables)} == TABLES
    assert all(h["subtype"] == "ONE_TO_ONE_LOGICAL" for h in tables)
    for empty in (MetadataSubtypes.VIEW, MetadataSubtypes.SQL_VIEW):
        assert demo_headers(admin.metadata_listobjectheaders(empty)) == []
    # Explicit subtypes on LOGICAL_TABLE.
    both = admin.metadata_listobjectheaders(
        MetadataTypes.TABLE, subtypes=[MetadataSubtypes.WORKSHEET, MetadataSubtypes.TABLE]
    )
    assert {h["id"] for h in demo_headers(both)} == {WORKSHEET, *TABLES.values()}
    only = admin.metadata_listobjectheaders(MetadataTypes.TABLE, subtypes=[MetadataSubtypes.USER_UPLOAD])
    assert demo_headers(only) == []


def test_listobjectheaders_sorting(admin):
    def names(**kwargs):
        return [h["name"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, **kwargs)]

    ascending = names(sort=Sorts.NAME)
    assert ascending == sorted(ascending, key=str.lower)
    assert [n for n in ascending if n in DEMO] == ["dim_product", "dim_store", "fact_sales", "Retail Sales"]
    assert names(sort="name", sort_ascending=False) == ascending[::-1]  # the library upper-cases sort
    assert sorted(names(sort=Sorts.DISPLAY_NAME), key=str.lower) == ascending

    created = [h["created"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.CREATED)]
    assert created == sorted(created)
    modified = [
        h["modified"]
        for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.MODIFIED, sort_ascending=False)
    ]
    assert modified == sorted(modified, reverse=True)
    authors = admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.AUTHOR)
    assert sorted(h["id"] for h in authors) == sorted(h["id"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE))
    default = admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.DEFAULT)
    assert sorted(h["name"] for h in default) == sorted(ascending)


def test_listobjectheaders_pattern(admin):
    def names(pattern, object_type=MetadataTypes.TABLE):
        return sorted(h["name"] for h in demo_headers(admin.metadata_listobjectheaders(object_type, filter=pattern)))

    assert names("dim%") == ["dim_product", "dim_store"]
    assert names("DIM%") == ["dim_product", "dim_store"]  # case-insensitive
    assert names("%SALES") == ["Retail Sales", "fact_sales"]
    assert names("retail sales") == ["Retail Sales"]
    assert names("%") == sorted(["Retail Sales", *TABLES])
    assert names("no such object%") == []
    assert names("sales%", MetadataTypes.ANSWER) == ["Sales by Region"]
    assert names("%overview", MetadataTypes.LIVEBOARD) == ["Sales Overview"]


def test_listobjectheaders_fetchids_and_skipids(admin):
    fetched = admin.metadata_listobjectheaders(MetadataTypes.TABLE, fetchids=[WORKSHEET, TABLES["fact_sales"]])
    assert sorted(h["id"] for h in fetched) == sorted([WORKSHEET, TABLES["fact_sales"]])
    # fetchids of another type's object lists nothing.
    assert admin.metadata_listobjectheaders(MetadataTypes.ANSWER, fetchids=[LIVEBOARD]) == []
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, fetchids=[MISSING]) == []
    skipped = admin.metadata_listobjectheaders(MetadataTypes.TABLE, skipids=[WORKSHEET, TABLES["dim_store"]])
    ids = {h["id"] for h in skipped}
    assert WORKSHEET not in ids and TABLES["dim_store"] not in ids
    assert {TABLES["fact_sales"], TABLES["dim_product"]} <= ids
    both = admin.metadata_listobjectheaders(
        MetadataTypes.TABLE, fetchids=list(TABLES.values()), skipids=[TABLES["fact_sales"]]
    )
    assert sorted(h["name"] for h in both) == ["dim_product", "dim_store"]


def test_listobjectheaders_tagname_category_and_auto_created(server, admin):
    every = {h["id"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE)}
    # Nothing in the demo is tagged.
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, tagname=["finance"]) == []
    assert {h["id"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, tagname=[])} == every
    # Categories: the demo is tsadmin's, nobody has favourites or requests.
    assert {h["id"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, category="ALL")} == every
    mine = {h["id"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, category="MY")}
    assert {WORKSHEET, *TABLES.values()} <= mine
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, category="FAVORITE") == []
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, category="REQUESTED") == []
    # Nothing in the demo was created automatically.
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, auto_created=True) == []
    assert {h["id"] for h in admin.metadata_listobjectheaders(MetadataTypes.TABLE, auto_created=False)} == every

    # MY for another user: what they authored, not the shared demo.
    name = unique("author")
    create(admin, user(name))
    ts = signed_in(server, name, SYNC_PASSWORD)
    guid = str(uuid.uuid4())
    ts.metadata_tml_import(answer_tml(ts, unique("theirs"), guid))
    assert [h["id"] for h in ts.metadata_listobjectheaders(MetadataTypes.ANSWER, category="MY")] == [guid]
    assert set(ANSWERS.values()) <= {h["id"] for h in ts.metadata_listobjectheaders(MetadataTypes.ANSWER)}
    assert ts.metadata_listobjectheaders(MetadataTypes.TABLE, category="MY") == []


def test_listobjectheaders_batchsize_and_offset(admin):
    every = admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.NAME)
    assert len(every) >= 4
    pages = [
        admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.NAME, batchsize=2, offset=offset)
        for offset in range(0, len(every), 2)
    ]
    assert all(len(page) <= 2 for page in pages)
    assert [h["id"] for page in pages for h in page] == [h["id"] for h in every]
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.NAME, offset=1) == every[1:]
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.NAME, batchsize=1) == every[:1]
    assert admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort=Sorts.NAME, offset=len(every)) == []


def test_listobjectheaders_users_and_groups(admin):
    name = unique("listed")
    create(admin, user(name))
    users = admin.metadata_listobjectheaders(MetadataTypes.USER)
    by_name = {h["name"]: h for h in users}
    assert {ADMIN_USER, name} <= set(by_name)
    assert by_name[name]["type"] == "LOCAL_USER" and GUID.match(by_name[name]["id"])
    assert [h["name"] for h in admin.metadata_listobjectheaders(MetadataTypes.USER, filter=name)] == [name]
    ascending = [h["name"] for h in admin.metadata_listobjectheaders(MetadataTypes.USER, sort=Sorts.NAME)]
    assert ascending == sorted(ascending, key=str.lower)
    assert admin.metadata_listobjectheaders(MetadataTypes.USER, fetchids=[by_name[name]["id"]])[0]["name"] == name

    groups = admin.metadata_listobjectheaders(MetadataTypes.GROUP, sort=Sorts.NAME, sort_ascending=False)
    names = [h["name"] for h in groups]
    assert {"Administrator", "All"} <= set(names)
    assert names == sorted(names, key=str.lower, reverse=True)
    assert all(h["type"] == "LOCAL_GROUP" for h in groups)
    assert [h["name"] for h in admin.metadata_listobjectheaders(MetadataTypes.GROUP, filter="admin%")] == ["Administrator"]


def test_listobjectheaders_refuses_unknown_types(admin):
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.metadata_listobjectheaders("NOT_A_TYPE")
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.metadata_listobjectheaders(MetadataTypes.TABLE, subtypes=["NOT_A_SUBTYPE"])
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.metadata_listobjectheaders(MetadataTypes.TABLE, sort="SIDEWAYS")
    assert_error(excinfo, 400, 10002)


# --- metadata/listvizheaders ---------------------------------------------------------------------

def test_listvizheaders_of_the_liveboard(admin):
    author = tsadmin_id(admin)
    headers = admin.metadata_listvizheaders(LIVEBOARD)
    assert [(h["name"], h["vizType"], h.get("size")) for h in headers] == LIVEBOARD_VIZZES
    for h in headers:
        assert GUID.match(h["id"]) and h["id"] not in DEMO.values()
        assert h["owner"] == LIVEBOARD
        assert h["author"] == h["modifiedBy"] == author
        assert isinstance(h["created"], int) and h["modified"] >= h["created"]
        if h["vizType"] == "FILTER":
            assert "title" not in h and "size" not in h
        else:
            assert h["title"] == {"value": {"text": h["name"]}}
    assert len({h["id"] for h in headers}) == len(headers)
    # Stable across calls.
    assert admin.metadata_listvizheaders(LIVEBOARD) == headers


def test_listvizheaders_of_answers_and_errors(admin):
    for name, guid in ANSWERS.items():
        (header,) = admin.metadata_listvizheaders(guid)
        assert header["owner"] == guid and header["name"] == name
        assert header["vizType"] == "CHART"
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.metadata_listvizheaders(MISSING)
    assert_error(excinfo, 404, None)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.metadata_listvizheaders(WORKSHEET)
    assert_error(excinfo, 400, 10002)


# --- searchdata ----------------------------------------------------------------------------------

def test_searchdata_sales_by_region(admin, demo_db):
    result = admin.searchdata("[Sales] [Region]", WORKSHEET)
    assert result["columnNames"] == ["Total Sales", "Region"]  # the query's token order
    expected = sql(demo_db, f"SELECT sum(f.amount), s.region FROM {JOINED} GROUP BY s.region")
    assert sorted_by(result["data"], 1) == approx_rows(sorted_by(expected, 1))
    assert_page(result, total=4, rows=4, page_size=100000, offset=0)

    result = admin.searchdata("[Region] [Sales]", WORKSHEET)
    assert result["columnNames"] == ["Region", "Total Sales"]
    assert sorted_by(result["data"], 0) == approx_rows(sorted_by([[r, v] for v, r in expected], 0))
    # Column names match case-insensitively; output columns keep the worksheet's names.
    result = admin.searchdata("[sales] [REGION]", WORKSHEET)
    assert result["columnNames"] == ["Total Sales", "Region"]
    assert sorted_by(result["data"], 1) == approx_rows(sorted_by(expected, 1))


def test_searchdata_paging(admin, demo_db):
    query = "[Store Name] [Sales]"
    full = admin.searchdata(query, WORKSHEET)
    stores = sql_value(demo_db, "SELECT count(*) FROM dim_store")
    assert_page(full, total=stores, rows=stores)

    first = admin.searchdata(query, WORKSHEET, batch_size=5)
    assert_page(first, total=stores, rows=5, page_size=5, offset=0)
    assert first["data"] == full["data"][:5]
    second = admin.searchdata(query, WORKSHEET, batch_size=5, page_number=2)
    assert_page(second, total=stores, rows=5, page_size=5, offset=5)
    assert second["data"] == full["data"][5:10]
    shifted = admin.searchdata(query, WORKSHEET, batch_size=5, offset=3)
    assert_page(shifted, total=stores, rows=5, page_size=5, offset=3)
    assert shifted["data"] == full["data"][3:8]
    # pagenumber wins over offset.
    assert admin.searchdata(query, WORKSHEET, batch_size=5, page_number=2, offset=17)["data"] == second["data"]
    last = admin.searchdata(query, WORKSHEET, batch_size=5, offset=stores - 2)
    assert_page(last, total=stores, rows=2)
    assert last["data"] == full["data"][-2:]
    beyond = admin.searchdata(query, WORKSHEET, batch_size=5, page_number=100)
    assert_page(beyond, total=stores, rows=0)
    # Every page together is the whole result.
    pages = [admin.searchdata(query, WORKSHEET, batch_size=7, page_number=n)["data"] for n in range(1, 5)]
    assert [row for page in pages for row in page] == full["data"]


def test_searchdata_date_buckets_are_epoch_seconds(admin, demo_db):
    result = admin.searchdata("[Sales] [Order Date].monthly", WORKSHEET)
    assert result["columnNames"] == ["Total Sales", "Month(Order Date)"]
    expected = sql(demo_db, f"SELECT sum(f.amount), {MONTH} FROM {JOINED} GROUP BY 2 ORDER BY 2")
    assert sorted_by(result["data"], 1) == approx_rows(expected)
    assert result["totalRowCount"] == len(expected) >= 30

    result = admin.searchdata("[Order Date].yearly [Sales] [Quantity] [Profit] [Cost]", WORKSHEET)
    assert result["columnNames"] == ["Year(Order Date)", "Total Sales", "Total Quantity", "Total Profit", "Total Cost"]
    expected = sql(
        demo_db,
        f"SELECT {YEAR}, sum(f.amount), sum(f.quantity), sum(f.amount - f.cost), sum(f.cost) FROM {JOINED} GROUP BY 1",
    )
    assert sorted_by(result["data"], 0) == approx_rows(sorted_by(expected, 0))

    # A table is a data source too; an unbucketed date is the day, in epoch seconds.
    result = admin.searchdata("[Amount] [Order Date]", TABLES["fact_sales"], batch_size=3)
    assert result["columnNames"] == ["Total Amount", "Order Date"]
    days = sql(demo_db, f"SELECT sum(f.amount), {DAY} FROM fact_sales f GROUP BY 2 ORDER BY 2")
    assert result["totalRowCount"] == len(days)
    full = admin.searchdata("[Amount] [Order Date]", TABLES["fact_sales"])
    assert sorted_by(full["data"], 1) == approx_rows(days)


def test_searchdata_filters(admin, demo_db):
    west = sql_value(demo_db, f"SELECT sum(f.amount) FROM {JOINED} WHERE s.region = 'west'")
    result = admin.searchdata("[Sales] [Region] = 'west'", WORKSHEET)
    # A column used only to filter is no output column.
    assert result["columnNames"] == ["Total Sales"]
    assert result["data"] == approx_rows([[west]])
    assert admin.searchdata("[Sales] [Region] = 'WEST'", WORKSHEET)["data"] == result["data"]  # case-insensitive

    result = admin.searchdata("[Region] [Sales] [Region] != 'west'", WORKSHEET)
    assert sorted(r[0] for r in result["data"]) == ["east", "midwest", "south"]

    day = sql(demo_db, "SELECT order_date, sum(amount) FROM fact_sales GROUP BY 1 ORDER BY 2 DESC LIMIT 1")[0]
    year, month, dom = day[0].split("-")
    result = admin.searchdata(f"[Sales] [Order Date] = '{month}/{dom}/{year}'", WORKSHEET)
    assert result["data"] == approx_rows([[day[1]]])

    big = sql(demo_db, f"SELECT p.category, sum(f.amount) FROM {JOINED} WHERE f.amount > 500 GROUP BY 1")
    result = admin.searchdata("[Category] [Sales] [Sales] > 500", WORKSHEET)
    assert sorted_by(result["data"], 0) == approx_rows(sorted_by(big, 0))

    result = admin.searchdata("[Store Name] [Sales] [Store Name] contains 'mall' [Region] = 'east'", WORKSHEET)
    expected = sql(
        demo_db,
        f"SELECT s.store_name, sum(f.amount) FROM {JOINED} "
        "WHERE lower(s.store_name) LIKE '%mall%' AND s.region = 'east' GROUP BY 1",
    )
    assert expected and sorted_by(result["data"], 0) == approx_rows(sorted_by(expected, 0))


def test_searchdata_aggregates_top_and_sort(admin, demo_db):
    result = admin.searchdata("[Product Name] [Sales] top 10", WORKSHEET)
    assert result["columnNames"] == ["Product Name", "Total Sales"]
    expected = sql(demo_db, f"SELECT p.product_name, sum(f.amount) FROM {JOINED} GROUP BY 1 ORDER BY 2 DESC LIMIT 10")
    assert result["data"] == approx_rows(expected)

    result = admin.searchdata("[Store Name] [City] [Sales] sort by [Sales] descending", WORKSHEET)
    expected = sql(demo_db, f"SELECT s.store_name, s.city, sum(f.amount) FROM {JOINED} GROUP BY 1, 2 ORDER BY 3 DESC")
    assert result["data"] == approx_rows(expected)

    result = admin.searchdata("unique count [Store Name] [Region]", WORKSHEET)
    assert result["columnNames"] == ["Unique Number of Store Name", "Region"]
    expected = sql(demo_db, f"SELECT count(DISTINCT s.store_name), s.region FROM {JOINED} GROUP BY 2")
    assert sorted_by(result["data"], 1) == sorted_by(expected, 1)

    result = admin.searchdata("average [Sales] [Region]", WORKSHEET)
    assert result["columnNames"] == ["Average Sales", "Region"]
    expected = sql(demo_db, f"SELECT avg(f.amount), s.region FROM {JOINED} GROUP BY 2")
    assert sorted_by(result["data"], 1) == approx_rows(sorted_by(expected, 1))

    # A measure without a keyword gets its column's default aggregation (Unit Price: AVERAGE).
    result = admin.searchdata("[Unit Price]", WORKSHEET)
    assert result["columnNames"] == ["Average Unit Price"]
    assert result["data"] == approx_rows([[sql_value(demo_db, "SELECT avg(unit_price) FROM fact_sales")]])

    # The worksheet joins progressively (join_progressive: true): a query on dim_store's columns
    # alone reads dim_store alone.
    result = admin.searchdata("count [Store Name]", WORKSHEET)
    assert result["columnNames"] == ["Number of Store Name"]
    assert result["data"] == [[sql_value(demo_db, "SELECT count(store_name) FROM dim_store")]]


def test_searchdata_formattype_full_is_accepted(admin):
    result = admin.searchdata("[Sales] [Region]", WORKSHEET, format_type="FULL")
    assert result["columnNames"] == ["Total Sales", "Region"] and result["rowCount"] == 4


def test_searchdata_refuses_bad_queries_and_sources(admin):
    for query, source in [
        ("[No Such Column] [Sales]", WORKSHEET),
        ("[Amount] [Region]", TABLES["fact_sales"]),  # Region is the worksheet's, not the table's
        ("[Sales] [Region] = ", WORKSHEET),
        ("", WORKSHEET),
        ("[Sales]", MISSING),
        ("[Sales]", LIVEBOARD),
    ]:
        with pytest.raises(requests.HTTPError) as excinfo:
            admin.searchdata(query, source)
        assert_error(excinfo, 400, 10002)


# --- pinboarddata --------------------------------------------------------------------------------

def test_pinboarddata_of_every_visualization(admin, demo_db):
    vizzes = liveboard_vizzes(admin)
    data = admin.pinboarddata(LIVEBOARD, [])
    assert set(data) == set(vizzes.values())
    by_name = {v["name"]: v for v in data.values()}
    assert {name: guid for guid, v in data.items() for name in [v["name"]]} == vizzes
    for viz in data.values():
        assert_page(viz, total=viz["totalRowCount"], rows=len(viz["data"]))
        assert viz["rowCount"] == viz["totalRowCount"]

    total = sql_value(demo_db, "SELECT sum(amount) FROM fact_sales")
    assert by_name["Total Sales"]["columnNames"] == ["Total Sales"]
    assert by_name["Total Sales"]["data"] == approx_rows([[total]])

    regions = sql(demo_db, f"SELECT sum(f.amount), s.region FROM {JOINED} GROUP BY 2")
    assert by_name["Sales by Region"]["columnNames"] == ["Total Sales", "Region"]
    assert sorted_by(by_name["Sales by Region"]["data"], 1) == approx_rows(sorted_by(regions, 1))

    months = sql(demo_db, f"SELECT sum(f.amount), {MONTH} FROM {JOINED} GROUP BY 2 ORDER BY 2")
    assert by_name["Monthly Sales"]["columnNames"] == ["Total Sales", "Month(Order Date)"]
    assert sorted_by(by_name["Monthly Sales"]["data"], 1) == approx_rows(months)

    categories = sql(demo_db, f"SELECT sum(f.amount), p.category FROM {JOINED} GROUP BY 2")
    assert by_name["Sales by Category"]["columnNames"] == ["Total Sales", "Category"]
    assert sorted_by(by_name["Sales by Category"]["data"], 1) == approx_rows(sorted_by(categories, 1))

    stores = sql(
        demo_db,
        f"SELECT s.store_name, s.city, s.region, sum(f.amount), sum(f.quantity), sum(f.amount - f.cost) "
        f"FROM {JOINED} GROUP BY s.store_id ORDER BY 4 DESC",
    )
    performance = by_name["Store Performance"]
    assert performance["columnNames"] == ["Store Name", "City", "Region", "Total Sales", "Total Quantity", "Total Profit"]
    assert performance["data"] == approx_rows(stores)  # sort by [Sales] descending

    # The filter visualization lists the values of its column.
    assert by_name["Region"]["columnNames"] == ["Region"]
    assert sorted(r[0] for r in by_name["Region"]["data"]) == REGIONS


def test_pinboarddata_of_chosen_visualizations_and_paging(admin, demo_db):
    vizzes = liveboard_vizzes(admin)
    store_viz = vizzes["Store Performance"]
    full = admin.pinboarddata(LIVEBOARD, [store_viz])
    assert list(full) == [store_viz]
    rows = full[store_viz]["data"]
    stores = sql_value(demo_db, "SELECT count(*) FROM dim_store")
    assert len(rows) == stores

    page = admin.pinboarddata(LIVEBOARD, [store_viz], batch_size=5)[store_viz]
    assert_page(page, total=stores, rows=5, page_size=5, offset=0)
    assert page["data"] == rows[:5]
    page = admin.pinboarddata(LIVEBOARD, [store_viz], batch_size=5, page_number=3)[store_viz]
    assert_page(page, total=stores, rows=5, page_size=5, offset=10)
    assert page["data"] == rows[10:15]
    page = admin.pinboarddata(LIVEBOARD, [store_viz], batch_size=5, offset=stores - 3)[store_viz]
    assert_page(page, total=stores, rows=3, page_size=5, offset=stores - 3)
    assert page["data"] == rows[-3:]
    page = admin.pinboarddata(LIVEBOARD, [store_viz], batch_size=5, page_number=99)[store_viz]
    assert_page(page, total=stores, rows=0)

    # Paging applies to each visualization.
    two = admin.pinboarddata(LIVEBOARD, [store_viz, vizzes["Total Sales"]], batch_size=1, offset=0)
    assert set(two) == {store_viz, vizzes["Total Sales"]}
    assert two[store_viz]["data"] == rows[:1] and two[store_viz]["totalRowCount"] == stores
    assert two[vizzes["Total Sales"]]["rowCount"] == 1

    full_format = admin.pinboarddata(LIVEBOARD, [vizzes["Sales by Region"]], format_type="FULL")
    assert full_format[vizzes["Sales by Region"]]["rowCount"] == 4


def test_pinboarddata_errors(admin):
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.pinboarddata(MISSING, [])
    assert_error(excinfo, 404, None)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.pinboarddata(ANSWERS["Sales by Region"], [])
    assert_error(excinfo, 400, 10002)
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.pinboarddata(LIVEBOARD, [MISSING])
    assert_error(excinfo, 400, 10002)


def test_pinboarddata_runtime_filters(admin, demo_db):
    # The library has no argument for runtime filters; its session sends them as the product documents.
    response = admin.requests_session.post(
        admin.base_url + "pinboarddata",
        params={"id": LIVEBOARD, "col1": "Region", "op1": "IN", "val1": ["west", "east"]},
    )
    response.raise_for_status()
    by_name = {v["name"]: v for v in response.json().values()}
    total = sql_value(demo_db, f"SELECT sum(f.amount) FROM {JOINED} WHERE s.region IN ('west', 'east')")
    assert by_name["Total Sales"]["data"] == approx_rows([[total]])
    assert sorted(r[1] for r in by_name["Sales by Region"]["data"]) == ["east", "west"]


# --- export/pinboard/pdf -------------------------------------------------------------------------

def test_export_pinboard_pdf_defaults(admin, demo_db):
    data = admin.export_pinboard_pdf(LIVEBOARD)
    reader = read_pdf(data)
    texts = [page.extract_text() for page in reader.pages]
    assert reader.metadata.title == "Sales Overview"
    assert reader.metadata.author == ADMIN_USER
    # The library's defaults: PINBOARD layout, LANDSCAPE, cover and filter pages, no page numbers.
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    cover, filters, *content = texts
    assert "Sales Overview" in cover
    assert "Headline numbers, trends and breakdowns of the tspot demo retail chain." in cover
    assert "Filters" in filters and "Region" in filters
    assert all(value in filters for value in REGIONS)
    everything = "\n".join(content)
    for name, _, _ in LIVEBOARD_VIZZES:
        assert name in everything
    assert headline(sql_value(demo_db, "SELECT sum(amount) FROM fact_sales")) in everything
    assert not any(re.search(r"Page \d+ of \d+", text) for text in texts)


def test_export_pinboard_pdf_page_counts_follow_cover_and_filter_pages(admin):
    for per_viz in (False, True):
        def pages(cover, filter_page):
            data = admin.export_pinboard_pdf(
                LIVEBOARD, one_visualization_per_page=per_viz, cover_page=cover, filter_page=filter_page
            )
            return len(read_pdf(data).pages)

        base = pages(False, False)
        assert base >= 1
        assert pages(True, False) == base + 1
        assert pages(False, True) == base + 1
        assert pages(True, True) == base + 2
        if per_viz:
            # One page per visualization (the 24-row table fits on one landscape page).
            assert base == len(LIVEBOARD_VIZZES)


def test_export_pinboard_pdf_one_visualization_per_page(admin, demo_db):
    texts = pdf_texts(admin.export_pinboard_pdf(LIVEBOARD, one_visualization_per_page=True, truncate_tables=True))
    assert len(texts) == 2 + len(LIVEBOARD_VIZZES)
    for (name, _, _), text in zip(LIVEBOARD_VIZZES, texts[2:]):
        assert text.splitlines()[0] == name, text[:200]
    assert headline(sql_value(demo_db, "SELECT sum(amount) FROM fact_sales")) in texts[2]
    table = texts[2 + 4]
    stores = sql(
        demo_db,
        f"SELECT s.store_name, s.city, s.region, sum(f.amount), sum(f.quantity), sum(f.amount - f.cost) "
        f"FROM {JOINED} GROUP BY s.store_id ORDER BY 4 DESC",
    )
    assert "Store Name City Region Total Sales Total Quantity Total Profit" in table
    name, city, region, _, quantity, _ = stores[0]
    sales, profit = column([s[3] for s in stores])[0], column([s[5] for s in stores])[0]
    assert f"{name} {city} {region} {sales} {quantity:,} {profit}" in table
    assert all(store[0] in table for store in stores)


def test_export_pinboard_pdf_footer_page_numbers_orientation_and_logo(admin):
    footer = "tspot pytest footer – vertraulich, für intern"
    data = admin.export_pinboard_pdf(
        LIVEBOARD, landscape_or_portrait="portrait", page_numbers=True, footer_text=footer
    )
    reader = read_pdf(data)
    box = reader.pages[0].mediabox
    assert float(box.height) > float(box.width)
    texts = [page.extract_text() for page in reader.pages]
    count = len(texts)
    assert count >= 3
    for number, text in enumerate(texts[1:], start=2):  # every page after the cover
        assert footer in text, text[-300:]
        assert f"Page {number} of {count}" in text, text[-300:]

    with_logo = pdf_texts(admin.export_pinboard_pdf(LIVEBOARD))
    without_logo = pdf_texts(admin.export_pinboard_pdf(LIVEBOARD, logo=False))
    assert len(with_logo) == len(without_logo)
    assert with_logo[0].startswith("tspot") and not without_logo[0].startswith("tspot")


def test_export_pinboard_pdf_charts_plot_measures_against_attributes(admin, demo_db):
    texts = pdf_texts(admin.export_pinboard_pdf(LIVEBOARD, one_visualization_per_page=True))
    pages = {text.splitlines()[0]: text for text in texts[2:]}
    categories = [r[0] for r in sql(demo_db, "SELECT DISTINCT category FROM dim_product ORDER BY 1")]
    for title, labels in [("Sales by Region", REGIONS), ("Sales by Category", categories)]:
        assert "No data" not in pages[title]
        assert all(label in pages[title] for label in labels), pages[title]
    # The y axis of the monthly line is sales (under 100K a month), not epoch seconds.
    assert not re.search(r"\d\.\d+B\b", pages["Monthly Sales"]), pages["Monthly Sales"]


def test_export_pinboard_pdf_errors_come_back_as_the_error_body(admin):
    # The library returns the body without checking the status.
    body = admin.export_pinboard_pdf(MISSING)
    assert not body.startswith(b"%PDF")
    assert isinstance(json.loads(body)["code"], int)
    response = admin.requests_session.post(admin.base_url + "export/pinboard/pdf", params={"id": MISSING})
    assert_error_response(response, 404, None)
    response = admin.requests_session.post(admin.base_url + "export/pinboard/pdf", params={"id": WORKSHEET})
    assert_error_response(response, 400, 10002)
    body = admin.export_pinboard_pdf(WORKSHEET)
    assert json.loads(body)["code"] == 10002


# --- who may read the demo -------------------------------------------------------------------------

def test_a_member_reads_the_shared_demo(member, demo_db):
    ts, _, _ = member
    assert {h["id"] for h in demo_headers(ts.metadata_listobjectheaders(MetadataTypes.TABLE))} == {
        WORKSHEET, *TABLES.values()
    }
    total = sql_value(demo_db, "SELECT sum(amount) FROM fact_sales")
    assert ts.searchdata("[Sales]", WORKSHEET)["data"] == approx_rows([[total]])
    assert len(ts.pinboarddata(LIVEBOARD, [])) == len(LIVEBOARD_VIZZES)
    assert ts.metadata_tml_export(LIVEBOARD)["liveboard"]["name"] == "Sales Overview"
    assert read_pdf(ts.export_pinboard_pdf(LIVEBOARD, cover_page=False)).pages


def test_a_member_cannot_read_or_replace_what_is_not_shared(admin, member):
    ts, _, _ = member
    private = answer_tml(admin, unique("private"))
    admin.metadata_tml_import(private)
    # An object the caller may not read is an ERROR inside the 200, which the library raises.
    with pytest.raises(SyntaxError) as excinfo:
        ts.metadata_tml_export(private["guid"])
    (entry,) = excinfo.value.args[0]
    assert entry["info"]["id"] == private["guid"]
    assert entry["info"]["status"]["status_code"] == "ERROR" and "edoc" not in entry
    with pytest.raises(requests.HTTPError) as excinfo:
        ts.metadata_listvizheaders(private["guid"])
    assert_error(excinfo, 403, 10003)
    assert ts.metadata_listobjectheaders(MetadataTypes.ANSWER, fetchids=[private["guid"]]) == []
    # Nor may a member replace someone else's object by importing its GUID.
    for guid in (private["guid"], ANSWERS["Sales by Region"]):
        hijack = answer_tml(admin, unique("hijack"), guid)
        with pytest.raises(SyntaxError) as excinfo:
            ts.metadata_tml_import(hijack)
        assert import_status({"object": excinfo.value.args[0]}) == ["ERROR"]
    assert admin.metadata_tml_export(private["guid"])["answer"]["name"] == private["answer"]["name"]
    assert admin.metadata_tml_export(ANSWERS["Sales by Region"])["answer"]["name"] == "Sales by Region"


def test_report_book_view_session_reads_only_its_liveboard(server, admin, demo_db):
    name = unique("viewer")
    create(admin, user(name))
    token = TSRestApiV1(server.url).session_auth_token(
        server.secret, name, access_level="REPORT_BOOK_VIEW", object_guid=LIVEBOARD
    )
    ts = TSRestApiV1(server.url)
    ts.session_login_token_post(name, token, f"{server.url}/openapi.json")
    total = sql_value(demo_db, "SELECT sum(amount) FROM fact_sales")
    by_name = {v["name"]: v for v in ts.pinboarddata(LIVEBOARD, []).values()}
    assert by_name["Total Sales"]["data"] == approx_rows([[total]])
    assert [h["name"] for h in ts.metadata_listvizheaders(LIVEBOARD)] == [n for n, _, _ in LIVEBOARD_VIZZES]
    assert read_pdf(ts.export_pinboard_pdf(LIVEBOARD)).pages
    for call in (
        lambda: ts.searchdata("[Sales]", WORKSHEET),
        lambda: ts.metadata_tml_export(WORKSHEET),
        lambda: ts.metadata_listvizheaders(ANSWERS["Sales by Region"]),
    ):
        with pytest.raises(requests.HTTPError) as excinfo:
            call()
        assert_error(excinfo, 403, 10003)


# --- error paths ---------------------------------------------------------------------------------

def test_object_operations_need_a_session(server):
    ts = TSRestApiV1(server.url)
    calls = [
        lambda: ts.metadata_tml_import({"guid": str(uuid.uuid4()), "answer": {"name": "x"}}),
        lambda: ts.metadata_tml_export(LIVEBOARD),
        lambda: ts.metadata_tml_export_string(LIVEBOARD),
        lambda: ts.metadata_tml_export_with_associations_map(LIVEBOARD),
        lambda: ts.metadata_tml_export_string_with_associations_map(LIVEBOARD),
        lambda: ts.metadata_listobjectheaders(MetadataTypes.TABLE),
        lambda: ts.metadata_listvizheaders(LIVEBOARD),
        lambda: ts.searchdata("[Sales]", WORKSHEET),
        lambda: ts.pinboarddata(LIVEBOARD, []),
    ]
    for call in calls:
        with pytest.raises(requests.HTTPError) as excinfo:
            call()
        assert_error(excinfo, 401, 10003)
    body = ts.export_pinboard_pdf(LIVEBOARD)
    assert json.loads(body)["code"] == 10003


def test_not_found_answers_carry_the_documented_code(admin):
    with pytest.raises(requests.HTTPError) as excinfo:
        admin.metadata_listvizheaders(MISSING)
    assert_error(excinfo, 404, 10004)
