"""A console left alone logs itself out; the page's own polling does not keep it alive."""

import time

import pytest

from conftest import staff_client
from habeas.console.idle import SESSION_KEY

EN = {"Accept-Language": "en"}


def last_active(client) -> float:
    return client.session[SESSION_KEY]


def set_last_active(client, minutes_ago: float) -> None:
    session = client.session
    session[SESSION_KEY] = time.time() - minutes_ago * 60
    session.save()


@pytest.fixture
def console(lawyer_a):
    client = staff_client(lawyer_a)
    assert client.get("/console/").status_code == 200
    return client


def test_a_session_idle_longer_than_the_limit_is_logged_out_with_a_message(console):
    set_last_active(console, 31)
    response = console.get("/console/profile/", headers=EN)
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/?next=")
    login = console.get(response["Location"], headers=EN).content.decode()
    assert "You were logged out after 30 minutes without activity." in login
    set_last_active(console, 0)  # a fresh clock does not bring the session back
    assert console.get("/console/").status_code == 302


def test_a_person_using_the_console_stays_in(console):
    set_last_active(console, 29)
    assert console.get("/console/profile/").status_code == 200
    assert time.time() - last_active(console) < 5


def test_polling_is_served_but_does_not_count_as_activity(console, detainee, dispatcher):
    client = staff_client(dispatcher)
    client.get("/console/")
    set_last_active(client, 29)
    before = last_active(client)
    assert client.get("/console/queue/list/").status_code == 200
    assert client.get(f"/console/cases/{detainee.case_id}/live/").status_code == 200
    assert last_active(client) == before


def test_a_poll_after_the_limit_ends_the_session_and_asks_the_page_to_reload(console):
    set_last_active(console, 31)
    assert console.get("/console/queue/list/").status_code == 401
    assert console.get("/console/").status_code == 302


def test_the_limit_is_a_setting(console, settings):
    settings.HABEAS_IDLE_MINUTES = 5
    set_last_active(console, 6)
    assert console.get("/console/").status_code == 302
