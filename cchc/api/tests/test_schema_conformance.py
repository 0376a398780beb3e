"""Schemathesis drives every API operation with generated input and checks each answer against the
OpenAPI document: no undeclared status, no 5xx, response bodies of the declared shape."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.api.services import create_token


@pytest.fixture
def api_key(demo_org, make_user):
    reviewer = make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"])
    return create_token(SystemActor("test"), reviewer, "schemathesis")[1]


@pytest.fixture
def api_schema(db):
    """The real WSGI application. Like Django's test client, keep the test's database connection open
    across requests (the handler would close it at the end of each one, ending the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_conforms_to_the_schema(api_schema, api_key):
    # Each operation gets its own Hypothesis run; the pytest plugin of schemathesis does not work with the
    # pytest in use, so the loop is written out.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):
            # A well-formed date outside the loaded calendar is a business 400, not a schema violation.
            case.call_and_validate(
                headers={"Authorization": f"Bearer {api_key}"}, excluded_checks=[positive_data_acceptance]
            )

        check()
