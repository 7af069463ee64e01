"""Fuzz the whole OpenAPI document with schemathesis: no 5xx, every answer as documented.

The operations are driven with hypothesis directly (schemathesis's own pytest plugin does not
run under pytest 9): each generated request goes through the real WSGI application.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance


def operations():
    from django.test.utils import override_settings

    with override_settings(ALLOWED_HOSTS=["*"]):
        loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return {op.label: op for op in (result.ok() for result in loaded.get_all_operations())}


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes connections after each request, as Django's test client
    prevents: inside a test's transaction that would close the test's own connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OPERATIONS = [
    "POST /api/v1/cases",
    "GET /api/v1/cases/status",
    "POST /api/v1/cases/withdraw",
    "POST /api/v1/cases/forget",
    "POST /api/v1/inbound/sms",
    "POST /api/v1/timers",
    "GET /api/v1/timers/status",
    "POST /api/v1/timers/checkin",
    "POST /api/v1/timers/delete",
    "POST /api/v1/cases/callback",
    "GET /api/v1/cases/callback",
    "POST /api/v1/installs",
    "POST /api/v1/evidence",
    "GET /api/v1/evidence",
    "GET /api/v1/evidence/{upload_key}",
    "PATCH /api/v1/evidence/{upload_key}",
]


def test_the_fuzzed_list_covers_every_documented_operation(db):
    assert sorted(operations()) == sorted(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_endpoint_answers_as_documented_and_never_with_a_5xx(
    label, db, settings, keep_test_connection
):
    settings.HABEAS_SMS_WEBHOOK_SECRET = "fuzz-secret"
    settings.HABEAS_RATE_SOS_PER_NETWORK = 0  # fuzzing is not a flood; limits have own tests
    settings.HABEAS_RATE_SOS_PER_KEY = 0
    operation = operations()[label]

    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def fuzz(case):
        # Domain rules that JSON Schema cannot state (a birth date in the past, a summons
        # within a year) answer 422 with a message per field, so "schema-valid data must be
        # accepted" does not hold; every other check does.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    fuzz()
