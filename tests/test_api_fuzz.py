"""Fuzzing the JSON API with schemathesis (issue 18): generated requests for every operation
in /api/openapi.json, sent as a signed-in core-team member with an API token. No request may
get a server error, and every response must match the schema it is documented with.

A bounded number of cases per operation runs in ``make test`` (``API_FUZZ_EXAMPLES``, default
8); a longer run (e.g. ``API_FUZZ_EXAMPLES=200``) is the benchmark's (bench/README.md).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth

from apps.accounts import api_tokens

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.fixture
def keep_the_test_connection():
    """As Django's test client does: the requests sent straight to the WSGI application must
    not close the test's database connection at their start and end (on PostgreSQL that
    ended the test's transaction, and every later request failed with "the connection is
    closed"; SQLite's in-memory test database ignores the close)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("keep_the_test_connection")
def test_no_server_error_and_every_answer_matches_its_schema(world):
    person = world.people["core"]
    _, secret = api_tokens.create_token(person, "Fuzzing", by=person)
    headers = {"Authorization": f"Bearer {secret}"}
    checked = []
    for operation in _operations():

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text[:500])
            # Our real token is on every request: "ignored auth" would misread it as a
            # generated one. Signed-out refusals are the permission matrix's job.
            case.validate_response(response, excluded_checks=[ignored_auth])

        fuzz()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert len(checked) > 40, checked  # every operation of every area was reached


def test_every_schema_name_is_unique():
    """The OpenAPI document names each schema by its class name: two classes with one name
    would silently share a schema (an answer documented with another's fields)."""
    import importlib

    from ninja import Schema

    seen: dict[str, str] = {}
    clashes = []
    for app in ["schools", "partnerships", "frameworks", "resources", "reviews", "improvement",
                "support", "training", "impact"]:
        module = importlib.import_module(f"apps.{app}.api")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and \
                    value.__module__ == module.__name__:
                if name in seen:
                    clashes.append(f"{name} in {seen[name]} and {module.__name__}")
                seen[name] = module.__name__
    assert not clashes
