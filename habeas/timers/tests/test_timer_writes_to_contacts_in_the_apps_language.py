"""A check-in timer fires in the worker, long after the app armed it: the contacts are still
written to in the language of the app that armed it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message
from habeas.timers.models import CheckInTimer
from habeas.timers.services import fire_if_due

pytestmark = pytest.mark.django_db


def arm(phone, language: str, key: str, deadline: str) -> None:
    body = {
        "deadline": deadline,
        "pin": "2468",
        "duress_pin": "1357",
        "person": {"full_name": "Мария Иванова"},
        "contacts": [{"email": "mama@x.ru"}],
    }
    response = phone.client.post(
        "/api/v1/timers",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key, "Accept-Language": language},
    )
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize(("language", "words"), [("en", "sent an SOS"), ("ru", "отправил SOS")])
def test_a_fired_timer_tells_the_contacts_in_the_language_it_was_armed_in(
    phone, settings, language, words
):
    settings.DEBUG = True  # the demo channel stands in for providers
    deadline = (timezone.now() + timedelta(minutes=30)).isoformat()
    arm(phone, language, "timer-lang-00001", deadline)
    # The same timer armed again from the app switched to the other language: one timer.
    arm(phone, "ru" if language == "en" else "en", "timer-lang-00001", deadline)
    assert CheckInTimer.objects.count() == 1
    CheckInTimer.objects.update(deadline=timezone.now() - timedelta(seconds=1))
    # The worker's own language is not the app's.
    with translation.override("ru" if language == "en" else "en"):
        assert fire_if_due(CheckInTimer.objects.get().pk)
    email = open_sealed(Message.objects.get(channel="email").sealed, "outbox")
    assert words in email["body"], email["body"]
