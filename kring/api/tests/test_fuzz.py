"""schemathesis over the whole schema, once per scope with a key of that scope, against the
Django app itself (WSGI, no server). Every operation of the scope gets a few generated
requests, valid and invalid; none may answer 5xx or break the schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from kring.api.schema_file import SCHEMA_FILE

schema = schemathesis.openapi.from_dict(json.loads(SCHEMA_FILE.read_text()))
schema.app = get_wsgi_application()

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,  # the same examples every run: a failure in CI reproduces locally
)

# One key takes every generated request of its scope, well over the 120 a minute of
# production: past the limit a valid request gets 429 and schemathesis (rightly) calls that
# valid data rejected. The limit itself is tested in test_keys.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_rate_limit")]


@pytest.fixture
def _no_rate_limit(settings: Any) -> None:
    settings.KRING_RATE_API = "100000/m"


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """As Django's test client does: the app called through WSGI must not close the database
    connection after each request (on PostgreSQL it holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Not "a request that breaks the schema must be refused": the test puts the key on every call,
# so a case generated without the Authorization header still carries one, and unknown query
# parameters are ignored on purpose (a client may send more than it needs). Nor "a request
# that fits the schema must be accepted": a referral goes through the website's own form,
# whose rules (a name, the family's agreement, a postcode that exists, a date not in the
# future) answer 422 with Dutch errors per field, and a schema describes the shape, not all of
# those (test_referrals.py tests them). Every other check stays: no 5xx, answers and status
# codes as the schema says, content types, headers.
NOT_CHECKED = [
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
]


def _fuzz(case: Any, secret: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"}, excluded_checks=NOT_CHECKED
    )


@schema.include(tag="verwijzingen").parametrize()
@SETTINGS
def test_referrals(case: Any, referral_key: str) -> None:
    _fuzz(case, referral_key)


@schema.include(tag="financiering").parametrize()
@SETTINGS
def test_funding(case: Any, funding_key: str) -> None:
    _fuzz(case, funding_key)


@schema.include(tag="cijfers").parametrize()
@SETTINGS
def test_figures(case: Any, figures_key: str) -> None:
    _fuzz(case, figures_key)


def test_every_operation_is_in_a_fuzzed_scope() -> None:
    fuzzed = {"verwijzingen", "financiering", "cijfers"}
    tags = {
        (path, method): operation.get("tags", [])
        for path, methods in json.loads(SCHEMA_FILE.read_text())["paths"].items()
        for method, operation in methods.items()
    }
    assert ("/api/v1/webhook", "put") in tags
    assert {key: found for key, found in tags.items() if not fuzzed & set(found)} == {}
