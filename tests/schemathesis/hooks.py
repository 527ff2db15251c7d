"""Schemathesis hooks for tspot: every generated call carries an administrator session.

run.sh loads this file through SCHEMATHESIS_HOOKS and sets TSPOT_URL (http://127.0.0.1:PORT),
TSPOT_ADMIN_PASSWORD and TSPOT_TRUSTED_AUTH_SECRET.

How the run keeps a working admin session while it fuzzes the session and user operations:

* One shared session. `tsadmin` signs in with `session/login` (form username/password,
  `X-Requested-By: ThoughtSpot`, rememberme=true so it does not idle out) when this file is
  loaded, before schemathesis sends anything, and that JSESSIONID cookie, with the
  `X-Requested-By` header, goes on every call. Reactive re-login on 401 is turned off
  (`retry_on=[]`): nothing in the run may end this session, so an unexpected 401 is a finding to
  see, not something to paper over with a new login. (Signing in first matters: fuzzed
  `sessionLogin` cases send `username=tsadmin`, the spec's example, with wrong passwords, and five
  failures in a row lock the account for five minutes; a run locks tsadmin within a second.)
* `sessionLogout` never gets the shared session: each logout case gets a session of its own,
  opened just for it, so logging out ends only that one. Those sessions come from trusted
  authentication (`session/auth/token` with the secret, then `session/login/token` with
  no_url_redirection=true), which the password lockout above does not affect.
* `userUpdatePassword` runs with the shared session. It needs the caller's current password,
  which no schema can describe, so schema-valid (positive) cases get tsadmin's real password as
  `currentpassword` -- except when they name tsadmin itself: run.sh gives tsadmin a random
  password that appears nowhere in the spec, so no generated case can change tsadmin's password.
  (Changing it would not end the shared session anyway; other users' passwords may change.)
  Schema-violating (negative) cases are sent as generated.
* `userSync` cannot remove or change `tsadmin` (a system principal), so the shared session and
  its ADMINISTRATION privilege survive any generated principal list.

The object operations (tags tml, data, metadata) run as tsadmin with the same shared session, against
the demo run.sh starts the server with; schemathesis.toml, not this file, feeds the demo's GUIDs and
valid search queries into generated cases (dictionaries bound to parameters).
"""

import os

import requests
import schemathesis

BASE_URL = os.environ["TSPOT_URL"].rstrip("/")
API = f"{BASE_URL}/callosum/v1/tspublic/v1"
ADMIN_USER = "tsadmin"
ADMIN_PASSWORD = os.environ["TSPOT_ADMIN_PASSWORD"]
TRUSTED_AUTH_SECRET = os.environ["TSPOT_TRUSTED_AUTH_SECRET"]
REQUESTED_BY = {"X-Requested-By": "ThoughtSpot"}
TIMEOUT = 30


def _session_cookie(response: requests.Response, how: str) -> str:
    if response.status_code != 204:
        raise RuntimeError(f"{how} answered {response.status_code}: {response.text[:500]}")
    cookie = response.cookies.get("JSESSIONID")
    if not cookie:
        raise RuntimeError(f"{how} set no JSESSIONID cookie")
    return cookie


def password_login() -> str:
    response = requests.post(
        f"{API}/session/login",
        data={"username": ADMIN_USER, "password": ADMIN_PASSWORD, "rememberme": "true"},
        headers=REQUESTED_BY,
        timeout=TIMEOUT,
    )
    return _session_cookie(response, "session/login")


def trusted_login() -> str:
    token = requests.post(
        f"{API}/session/auth/token",
        data={"secret_key": TRUSTED_AUTH_SECRET, "username": ADMIN_USER, "access_level": "FULL"},
        headers={**REQUESTED_BY, "Accept": "text/plain"},
        timeout=TIMEOUT,
    )
    if token.status_code != 200:
        raise RuntimeError(f"session/auth/token answered {token.status_code}: {token.text[:500]}")
    response = requests.post(
        f"{API}/session/login/token",
        data={"username": ADMIN_USER, "auth_token": token.text, "no_url_redirection": "true"},
        headers=REQUESTED_BY,
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    return _session_cookie(response, "session/login/token")


def _apply(case, cookie: str) -> None:
    case.headers = case.headers or {}
    case.headers.update(REQUESTED_BY)
    case.cookies = case.cookies or {}
    case.cookies["JSESSIONID"] = cookie


SHARED_SESSION = password_login()


# The shared session for every operation but sessionLogout (cached for a day: longer than any run).
@schemathesis.auth(refresh_interval=24 * 60 * 60, retry_on=[]).skip_for(operation_id="sessionLogout")
class SharedAdminSession:
    def get(self, case, context):
        return SHARED_SESSION

    def set(self, case, data, context):
        _apply(case, data)


# A fresh session per logout case (no caching), so a logout never ends the shared one.
@schemathesis.auth(refresh_interval=None, retry_on=[]).apply_to(operation_id="sessionLogout")
class ThrowawayAdminSession:
    def get(self, case, context):
        return trusted_login()

    def set(self, case, data, context):
        _apply(case, data)


@schemathesis.hook
def before_call(context, case, kwargs):
    """Positive userUpdatePassword cases get the caller's real current password (see above)."""
    if case.operation.definition.raw.get("operationId") != "userUpdatePassword":
        return
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    body = case.body
    if negative or not isinstance(body, dict) or not isinstance(body.get("currentpassword"), str):
        return
    if body.get("name") != ADMIN_USER:
        body["currentpassword"] = ADMIN_PASSWORD
