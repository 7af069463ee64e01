"""The anonymous install count: an empty POST adds one to the day's number, and nothing else
of the request is kept or logged (docs/stats.md)."""

import logging
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from habeas.stats.models import InstallDay

pytestmark = pytest.mark.django_db

URL = "/api/v1/installs"
AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) install-count-test"
ADDRESS = "198.51.100.23"


def post(url=URL, data=b"", content_type="application/octet-stream", **extra):
    # An empty body, as the worker sends (the test client's default is an empty multipart body).
    return Client().post(url, data=data, content_type=content_type, **extra)


def report(**kwargs):
    return post(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def count() -> int:
    return sum(InstallDay.objects.values_list("count", flat=True))


def test_each_report_answers_204_and_adds_one_to_today():
    first = report()
    assert first.status_code == 204
    assert first.content == b""
    assert "Set-Cookie" not in first.headers and not first.cookies
    assert report().status_code == 204
    row = InstallDay.objects.get()
    assert (row.day, row.count) == (timezone.localdate(), 2)


def test_a_day_and_a_number_are_all_that_is_kept():
    assert [f.name for f in InstallDay._meta.get_fields()] == ["id", "day", "count"]
    report()
    assert list(InstallDay.objects.values()) == [
        {"id": InstallDay.objects.get().pk, "day": timezone.localdate(), "count": 1}
    ]


def test_nothing_identifying_is_logged(caplog):
    with caplog.at_level(logging.DEBUG):
        report()
        report(data="x=1", content_type="application/x-www-form-urlencoded")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert ADDRESS not in text and "198.51.100" not in text
    assert "install-count-test" not in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"data": {"device": "abc"}, "content_type": "application/json"}, "body"),
        ({"data": "id=abc", "content_type": "application/x-www-form-urlencoded"}, "body"),
        ({"data": "x", "content_type": "text/plain"}, "body"),
    ],
)
def test_a_body_is_refused_and_not_counted(kwargs, field):
    response = report(**kwargs)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": field, "message": "Send no body.", "code": "must_be_empty"}
    ]
    assert count() == 0


def test_a_query_string_is_refused_and_not_counted():
    response = post(f"{URL}?device=abc", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "query"
    assert count() == 0


def test_the_refusal_is_in_the_readers_language():
    response = post(data="x", content_type="text/plain", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Ничего не отправляйте в теле запроса."


def test_only_post_counts():
    assert Client().get(URL).status_code == 405
    assert count() == 0


def test_a_network_over_its_limit_gets_429_and_is_not_counted(settings):
    settings.HABEAS_RATE_INSTALLS_PER_NETWORK = 3
    codes = [report().status_code for _ in range(4)]
    assert codes == [204, 204, 204, 429]
    assert count() == 3
    # Another network is not held back by the first.
    assert post(REMOTE_ADDR="203.0.113.9").status_code == 204
    assert count() == 4


@pytest.mark.django_db(transaction=True)
def test_reports_at_the_same_moment_are_all_counted():
    # All may find no row for the day; an insert that loses falls back to the update.
    barrier = threading.Barrier(10)
    codes = []

    def send():
        barrier.wait()
        try:
            codes.append(post().status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert codes == [204] * 10
    assert InstallDay.objects.get().count == 10
