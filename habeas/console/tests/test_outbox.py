import re

import pytest

from conftest import staff_client
from habeas.notifications import services as outbox
from habeas.notifications.models import Message, State

EN = {"Accept-Language": "en"}
PHONE = "+79160000000"


@pytest.fixture
def dead_sms(sms_gateway, settings, run_tasks, lawyer_a) -> Message:
    """An SMS the gateway refused once, with one try allowed: a dead letter at once."""
    settings.HABEAS_DELIVERY_MAX_ATTEMPTS = 1
    sms_gateway.mode = "500"
    message = outbox.enqueue(
        "sms", PHONE, "", "Дело ABC: примите", dedupe_key="t:dead:1", recipient=lawyer_a
    )
    run_tasks()
    message.refresh_from_db()
    assert message.state == State.DEAD
    return message


def test_dead_letters_show_channel_tries_error_and_time_but_no_address_or_text(
    dispatcher, dead_sms
):
    html = staff_client(dispatcher).get("/console/outbox/", headers=EN).content.decode()
    row = re.search(rf'<tr data-message-id="{dead_sms.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "SMS" in row and "Anna Lawyer" in row
    assert re.search(r"<td>1</td>", row)
    assert "HTTP 500" in row
    assert PHONE not in html and "9160000000" not in html and "примите" not in html


def test_a_dispatcher_retries_a_dead_letter_and_it_is_delivered(
    dispatcher, dead_sms, sms_gateway, run_tasks
):
    client = staff_client(dispatcher)
    sms_gateway.mode = "ok"
    response = client.post("/console/outbox/retry/", {"message": dead_sms.pk}, headers=EN)
    assert response["Location"] == "/console/outbox/"
    run_tasks()
    dead_sms.refresh_from_db()
    assert dead_sms.state == State.SENT
    page = client.get("/console/outbox/", headers=EN).content.decode()
    assert "The message will be sent again." in page
    assert "No failed messages." in page


def test_retrying_a_message_that_is_no_longer_dead_says_so(dispatcher, dead_sms):
    client = staff_client(dispatcher)
    client.post("/console/outbox/retry/", {"message": dead_sms.pk})
    client.post("/console/outbox/retry/", {"message": dead_sms.pk}, headers=EN)
    page = client.get("/console/outbox/", headers=EN).content.decode()
    assert "This message is no longer among the failed ones." in page
    assert Message.objects.get(pk=dead_sms.pk).state == State.PENDING


def test_an_unknown_message_is_a_400(dispatcher, db):
    client = staff_client(dispatcher)
    for value in ("999999", "x", ""):
        assert client.post("/console/outbox/retry/", {"message": value}).status_code == 400


def test_the_nav_shows_a_badge_with_the_dead_letter_count(dispatcher, dead_sms):
    html = staff_client(dispatcher).get("/console/").content.decode()
    assert re.search(r'<span class="count alert" id="dead-count">1</span>', html)


def test_no_badge_when_nothing_failed(dispatcher, db):
    assert 'id="dead-count"' not in staff_client(dispatcher).get("/console/").content.decode()


def test_a_lawyer_can_neither_see_nor_retry_dead_letters(lawyer_a, dead_sms):
    client = staff_client(lawyer_a)
    assert client.get("/console/outbox/").status_code == 403
    assert client.post("/console/outbox/retry/", {"message": dead_sms.pk}).status_code == 403
    assert Message.objects.get(pk=dead_sms.pk).state == State.DEAD
    assert 'id="dead-count"' not in client.get("/console/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(stranger):
    for response in (stranger.get("/console/outbox/"), stranger.post("/console/outbox/retry/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/console/login/")
