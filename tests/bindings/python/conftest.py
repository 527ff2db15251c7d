"""What the generated-client tests share: the server started by tests/bindings/run.sh, the demo's
fixed GUIDs, and test data made fresh for each run (names and GUIDs nobody else uses)."""

import json
import os
import uuid

import pytest

WORKSHEET = "6a0d3c1e-5b7f-4c2a-9e41-000000000201"  # the demo's "Retail Sales"
LIVEBOARD = "6a0d3c1e-5b7f-4c2a-9e41-000000000401"  # the demo's "Sales Overview"
REQUESTED_BY = "ThoughtSpot"


@pytest.fixture(scope="session")
def server_url() -> str:
    return os.environ["TSPOT_URL"]


@pytest.fixture(scope="session")
def admin_password() -> str:
    return os.environ["TSPOT_ADMIN_PASSWORD"]


@pytest.fixture(scope="session")
def trusted_auth_secret() -> str:
    return os.environ["TSPOT_TRUSTED_AUTH_SECRET"]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def principals_file(group: str, user: str) -> bytes:
    """A user/sync principals file: a group without `groupNames` and a user in that group."""
    return json.dumps(
        [
            {"name": group, "principalTypeEnum": "LOCAL_GROUP"},
            {
                "name": user,
                "displayName": "Bindings Test User",
                "principalTypeEnum": "LOCAL_USER",
                "groupNames": [group],
            },
        ]
    ).encode()


def answer_tml(guid: str, name: str) -> str:
    """`import_objects` for one answer over the demo worksheet, as a JSON array of YAML documents."""
    document = (
        f"guid: {guid}\n"
        "answer:\n"
        f"  name: {name}\n"
        "  tables:\n"
        "  - id: Retail Sales\n"
        "    name: Retail Sales\n"
        '  search_query: "[Sales] [Region]"\n'
    )
    return json.dumps([document])
