"""The community library `thoughtspot-rest-api-v1`, unmodified, against `tspot serve`.

Every method of `TSRestApiV1` for the operations tspot implements is driven here, through the
library only, with the wire quirks it has: `newpassword` for the new password, `objectid` in the
query string of transfer/ownership, multipart `user/sync` with the misspelt `removeDelete`,
multipart privilege changes whose JSON answer it parses, and the trusted-authentication pair.
Errors surface as `requests.HTTPError`; their bodies are ThoughtSpot's error JSON.
"""

import json
import uuid

import pytest
import requests
from thoughtspot_rest_api_v1 import Privileges, TSRestApiV1

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


def assert_error(excinfo, status: int, code: int) -> list:
    """The HTTPError the library raised carries ThoughtSpot's error body; returns its messages."""
    response = excinfo.value.response
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert body["incident_id_guid"] and body["trace_id_guid"]
    messages = json.loads(body["debug"])
    assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
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
