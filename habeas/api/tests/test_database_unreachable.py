"""While the database cannot be reached (a restart, a failover) the API answers 503 in its own
JSON shape with Retry-After, saying the SOS was not received, and the console a plain
localised 503 page; never Django's 500 page. A bug still answers 500.

The connection is really made to fail: the test database's settings are pointed at a closed
port (PostgreSQL) or a file that cannot be opened (SQLite), and the connection is closed, so
the next query has to connect and cannot.
"""

import contextlib
import json
import socket

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from conftest import DETAINEE_BODY, staff_client
from habeas import outage
from habeas.cases.models import Case


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens once it is closed


@contextlib.contextmanager
def database_away():
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        connection.settings_dict["NAME"] = "/nonexistent-directory/habeas.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def send_sos(client: Client, language: str):
    return client.post(
        "/api/v1/cases",
        json.dumps(DETAINEE_BODY),
        content_type="application/json",
        headers={"Idempotency-Key": "away-0001", "Accept-Language": language},
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "words"), [("en", "Not received"), ("ru", "Не получено")], ids=["en", "ru"]
)
def test_an_sos_while_the_database_is_away_is_answered_503_with_retry_after(language, words):
    phone = Client(raise_request_exception=False)
    with database_away():
        response = send_sos(phone, language)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["errors"] == []
    assert body["detail"].startswith(words)
    assert "127.0.0.1" not in body["detail"] and "nonexistent" not in body["detail"]
    # Nothing was saved; the phone's retry with the same key, once the database is back, is
    # the SOS's one case.
    assert not Case.objects.exists()
    assert send_sos(phone, language).status_code == 201
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Unavailable for a moment"), ("ru", "Временно недоступно")],
    ids=["en", "ru"],
)
def test_the_console_while_the_database_is_away_shows_a_plain_503_page(dispatcher, language, words):
    browser = staff_client(dispatcher, raise_request_exception=False)
    with database_away():
        response = browser.get("/console/", headers={"Accept-Language": language})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert words in page
    assert "Server Error (500)" not in page
    assert browser.get("/console/").status_code == 200, "back once the database is"


def test_an_api_request_failing_outside_its_view_gets_the_apis_json_503(db):
    # A middleware loading the session of a phone that also has a console login, say.
    request = RequestFactory().post("/api/v1/cases")
    try:
        raise OperationalError('connection to server at "10.9.8.7" failed')
    except OperationalError:
        response = outage.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "detail" in json.loads(response.content)
    assert b"10.9.8.7" not in response.content


def test_a_bug_still_answers_500(db):
    request = RequestFactory().get("/console/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = outage.server_error(request)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
