"""A bad `next` falls back to the queue, never a 500, and is settled before anything is saved
(issue 14, finding 9: `?next=abc` answered 500, and /console/duty/ saved first)."""

import pytest
from django.test import Client

from conftest import PASSWORD, staff_client, totp_code
from habeas.lawyers.models import Lawyer

BAD = [
    "abc",
    "console:queue",
    "//evil.test/x",
    "https://evil.test/",
    "/\\evil.test",
    "javascript:x",
]


def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("target", BAD)
def test_a_bad_next_after_the_password_goes_to_the_queue(lawyer_a, target):
    browser = client()
    response = browser.post(
        f"/console/login/?next={target}", {"username": lawyer_a.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/"


@pytest.mark.parametrize("target", BAD)
def test_a_bad_next_at_the_second_factor_goes_to_the_queue(lawyer_a, target):
    """Guards against: `?next=abc` answering 500 at the two-factor step."""
    browser = client()
    browser.post("/console/login/", {"username": lawyer_a.email, "password": PASSWORD})
    page = browser.get("/console/two-factor/", {"next": target})
    assert page.status_code == 200
    response = browser.post("/console/two-factor/", {"code": totp_code(lawyer_a), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/console/"


def test_a_good_next_is_kept(lawyer_a):
    browser = client()
    response = browser.post(
        "/console/login/?next=/console/profile/", {"username": lawyer_a.email, "password": PASSWORD}
    )
    assert response["Location"] == "/console/profile/"


@pytest.mark.parametrize("target", BAD)
def test_the_login_page_of_a_logged_in_member_with_a_bad_next_goes_to_the_queue(lawyer_a, target):
    response = staff_client(lawyer_a, raise_request_exception=False).get(
        "/console/login/", {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/"


@pytest.mark.parametrize("target", BAD)
def test_duty_with_a_bad_next_saves_and_goes_to_the_queue(lawyer_a, target):
    """Guards against: /console/duty/ saving the change and then answering 500 on `next`."""
    response = staff_client(lawyer_a, raise_request_exception=False).post(
        "/console/duty/", {"on_duty": "off", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert Lawyer.objects.get(user=lawyer_a).on_duty is False


def test_duty_goes_back_to_a_good_next(lawyer_a):
    response = staff_client(lawyer_a).post(
        "/console/duty/", {"on_duty": "off", "next": "/console/profile/"}
    )
    assert response["Location"] == "/console/profile/"
