"""Only staff pages opened by a person move the idle clock (issue 14, finding 9).

The PWA and the public API share the console's origin, so the session cookie rides along on
their requests: they used to count as activity, and a phone or an open PWA tab kept an idle
console session alive forever.
"""

import time

import pytest

from conftest import staff_client
from habeas.console.idle import SESSION_KEY

from .test_idle_timeout import set_last_active


@pytest.fixture
def console(dispatcher):
    client = staff_client(dispatcher)
    assert client.get("/console/").status_code == 200
    return client


@pytest.mark.parametrize("path", ["/", "/api/v1/cases/status", "/api/v1/openapi.json"])
def test_public_requests_with_the_session_cookie_do_not_keep_the_console_alive(console, path):
    """Guards against: public-API and PWA requests resetting the staff idle timeout."""
    set_last_active(console, 29)
    before = console.session[SESSION_KEY]
    console.get(path)
    assert console.session[SESSION_KEY] == before

    set_last_active(console, 31)
    assert console.get("/console/").status_code == 302


def test_an_sos_sent_from_a_browser_with_an_idle_staff_session_is_still_accepted(console):
    set_last_active(console, 31)
    response = console.post(
        "/api/v1/cases",
        "{}",
        content_type="application/json",
        headers={"Idempotency-Key": "idle-staff-browser-01"},
    )
    assert response.status_code == 201
    assert console.get("/console/").status_code == 302  # and the idle session ended


def test_the_admin_counts_as_a_person_at_work(console):
    set_last_active(console, 29)
    console.get("/admin/")
    assert time.time() - console.session[SESSION_KEY] < 5
