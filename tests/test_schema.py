"""Property-based tests of the JSON API against its own OpenAPI schema: no input gives a 5xx.

Every operation gets generated requests (valid and odd values) from a signed-in
sponsor lead, through the WSGI app in the test's database transaction.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from cobench.api.urls import api
from cobench.tenancy.services import create_api_token
from cobench.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # as Django's test client does: a WSGI request must not close the test's transaction
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


OPERATIONS = [
    (method, path)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_input_makes_the_api_fail(world, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema[path][method.upper()]
    token = create_api_token(actor=world.sponsor_lead, name="schema tests")[1]
    headers = {"Authorization": f"Bearer {token}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
