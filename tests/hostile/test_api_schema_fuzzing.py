"""Schemathesis over the API's own OpenAPI document (/api/openapi.json), called
through the WSGI application: generated valid and invalid requests to every
operation, public and staff (with a bearer token), never get a server error and
every answer matches its documented schema. Bounded and deterministic."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from gongkai.accounts.roles import Role
from gongkai.accounts.tokens import create_token
from gongkai.wsgi import application
from tests.catalogue.conftest import draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World, make_user

# The real WSGI application closes the connection after each request, as a server
# does: so the database is used outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def staff_headers(world: World) -> dict[str, str]:
    """A bureau user who drafts, reviews and handles applications, with a token; one
    published item and one draft so that some generated ids exist."""
    staff = staff_for(world.bureau, "fz")
    publish_quickly(staff, draft(staff, title="招生简章"))
    draft(staff, title="草稿")
    user = make_user(
        world.bureau, "fuzzer", Role.AUTHOR, Role.DISCLOSURE_OFFICER, Role.SIGNER
    )
    _row, token = create_token(actor=user, name="fuzzing")
    # The WSGI test transport does not decompress: ask for the plain body.
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(
    case: Any, staff_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=staff_headers, checks=CHECKS)
