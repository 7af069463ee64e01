"""The JSON API passes by the middleware only pages use (console/pages_only.py): a staff
session's cookie rides along on an SOS or a status check from the same browser, and the API
neither reads that session nor sets cookies; it keeps its security headers and language."""

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import DETAINEE_BODY, Phone, staff_client
from habeas.console import pages_only


def session_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_an_api_request_with_a_staff_cookie_reads_no_session_and_sets_no_cookie(dispatcher):
    client = staff_client(dispatcher)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cases/status", headers={"Accept-Language": "en"})
    assert response.status_code == 401  # no status token: the API's own answer
    assert session_reads(queries) == []
    assert not response.cookies
    assert response["Content-Language"] == "en"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src" in response["Content-Security-Policy"]


def test_an_sos_from_a_browser_with_a_staff_session_still_goes_through(dispatcher):
    phone = Phone()
    phone.client = staff_client(dispatcher)
    assert phone.sos(DETAINEE_BODY).status_code == 201
    assert phone.status().status_code == 200


def test_the_console_still_has_its_session_and_login(dispatcher):
    client = staff_client(dispatcher)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/console/").status_code == 200
    assert session_reads(queries)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (pages_only.AuthenticationMiddleware, AuthenticationMiddleware),
        (pages_only.MessageMiddleware, MessageMiddleware),
    ],
)
def test_each_is_the_original_so_djangos_own_checks_still_find_it(ours, theirs):
    # The admin's checks (admin.E408–E410) look for subclasses of these in MIDDLEWARE.
    assert issubclass(ours, theirs) and ours.__name__ == theirs.__name__


def test_django_and_the_libraries_find_every_middleware_they_check_for(db):
    # django-axes looks for its middleware by name (axes.W002), and `check --deploy` for the
    # session's and CSRF's (their cookies' settings are checked only when it finds them):
    # a warning is a failure here (habeas/ops/tests/test_check_deploy.py runs --deploy).
    call_command("check", fail_level="WARNING")
    assert "django.contrib.sessions.middleware.SessionMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
