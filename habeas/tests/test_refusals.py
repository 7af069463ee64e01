"""Refusals are codes: every surface has words for every code, in Russian and in English."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from conftest import staff_client
from habeas.api import errors as api_errors
from habeas.cases import services as cases  # the domains define the refusals they raise
from habeas.console import refusals as console_refusals
from habeas.dispatch import services as dispatch
from habeas.lib.refusals import Refusal, every_refusal
from habeas.timers import services as timers  # noqa: F401

CODES = sorted({code for kind in every_refusal() for code in kind.CODES})


def test_the_domain_defines_refusals_with_codes():
    names = {kind.__name__ for kind in every_refusal()}
    assert {"TransitionError", "OfferError", "IdempotencyConflict", "TimerError"} <= names
    assert len(CODES) >= 20


@pytest.mark.parametrize("surface", [console_refusals, api_errors], ids=["console", "api"])
def test_every_surface_has_words_for_every_code(surface):
    assert sorted(set(CODES) - set(surface.MESSAGES)) == []


@pytest.mark.parametrize("surface", [console_refusals, api_errors], ids=["console", "api"])
@pytest.mark.parametrize("code", CODES)
def test_every_message_is_translated_into_russian(surface, code):
    text = surface.MESSAGES[code]
    with translation.override("en"):
        english = str(text)
    with translation.override("ru"):
        russian = str(text)
    assert russian != english, f"{code} has no Russian translation"


def test_a_refusal_with_a_code_that_is_not_its_own_cannot_be_raised():
    with pytest.raises(ValueError, match="no code"):
        cases.TransitionError("ran_out")
    assert isinstance(dispatch.OfferError("ran_out"), Refusal)


def test_a_russian_console_names_a_refused_court_date_in_russian(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    client.post(f"/console/cases/{detainee.case_id}/act/", {"action": "take"})
    client.post(
        f"/console/cases/{detainee.case_id}/act/",
        {"action": "court_date", "court_date": "2001-01-01"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    page = client.get(f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "ru"})
    text = page.content.decode()
    assert "Дата суда" in text
    assert "court_date" not in text.split('class="message')[1].split("</")[0]
    assert "дней назад" in text or "в прошлом" in text


def test_the_api_names_a_refused_timer_in_the_readers_language(phone):
    body = {
        "deadline": (timezone.now() + timedelta(minutes=30)).isoformat(),
        "pin": "2580",
        "duress_pin": "2580",
    }

    def arm(language: str):
        return phone.client.post(
            "/api/v1/timers",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": f"timer-lang-{language}", "Accept-Language": language},
        ).json()

    english, russian = arm("en"), arm("ru")
    assert english["errors"][0]["code"] == russian["errors"][0]["code"] == "pins_equal"
    assert english["errors"][0]["field"] == "duress_pin"
    assert english["errors"][0]["message"] == "The duress PIN must differ from the PIN."
    assert russian["errors"][0]["message"] != english["errors"][0]["message"]
