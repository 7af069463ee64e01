"""A trusted contact's message names who sends it, says only what is true so far (we are
looking for a lawyer; sent from near a station, not held there), fits one SMS with the whole
link, and is in the language of the app that sent the SOS."""

import pytest
from django.utils import translation

from conftest import DETAINEE_BODY
from habeas.cases.models import Case
from habeas.dispatch import services as dispatch
from habeas.dispatch.messages import contact_text
from habeas.dispatch.tests.test_aid_requests import request_body
from habeas.lib.sealing import open_sealed
from habeas.lib.smscodec import fits_one_sms
from habeas.notifications.models import Message

pytestmark = pytest.mark.django_db

ORG = "ОВД-Инфо"
BASE = "https://sos.example.org"
LINK = BASE + "/s/" + "x" * 22  # the watch token is 22 characters


@pytest.fixture(autouse=True)
def organisation(settings):
    settings.DEBUG = True  # the demo channel stands in for providers
    settings.HABEAS_ORG_NAME = ORG
    settings.HABEAS_BASE_URL = BASE


def sent(case: Case, channel: str) -> dict:
    message = Message.objects.get(
        dedupe_key__startswith=f"contact:{case.pk}:link:", channel=channel
    )
    return open_sealed(message.sealed, "outbox")


def sos(phone, language: str | None = None, **extra) -> Case:
    body = {**DETAINEE_BODY, "contacts": [{"phone": "+79160000001"}, {"email": "mama@x.ru"}]}
    headers = {"Idempotency-Key": "mother-would-trust-0001"}
    if language:
        headers["Accept-Language"] = language
    response = phone.client.post(
        "/api/v1/cases", {**body, **extra}, content_type="application/json", headers=headers
    )
    assert response.status_code in (200, 201), response.content  # 200: a retry
    phone.token = response.json()["status_token"]
    return Case.objects.get(public_id=response.json()["case_id"])


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_sms_names_the_organisation_and_keeps_the_whole_link_in_one_sms(detainee, language):
    case = Case.objects.get(public_id=detainee.case_id)
    with translation.override(language):
        _, text = contact_text(case, LINK, "sms")
    assert text.startswith(ORG + ":") and "SOS" in text, text
    assert text.endswith(LINK), text
    # Cyrillic in the organisation's name makes even the English SMS UCS-2: 70 characters.
    assert len(text) <= 70, text


def test_a_request_sms_names_the_organisation_and_fits(phone):
    phone.sos(request_body())
    case = Case.objects.get(public_id=phone.case_id)
    with translation.override("ru"):
        _, text = contact_text(case, LINK, "sms")
    assert text.startswith(ORG + ":") and text.endswith(LINK) and len(text) <= 70, text
    assert "SOS" not in text


def test_a_name_too_long_for_one_sms_costs_words_never_the_link(detainee, settings):
    settings.HABEAS_ORG_NAME = "Правозащитный центр «Апология протеста»"
    case = Case.objects.get(public_id=detainee.case_id)
    with translation.override("ru"):
        _, text = contact_text(case, LINK, "sms")
    assert text.endswith(LINK) and settings.HABEAS_ORG_NAME in text
    assert not fits_one_sms(text)  # two SMS: the shortest wording, with the link whole


def test_an_english_text_with_nothing_cyrillic_gets_a_whole_gsm_sms(detainee, settings):
    settings.HABEAS_ORG_NAME = "Legal Aid Network"
    case = Case.objects.get(public_id=detainee.case_id)
    with translation.override("en"):
        _, text = contact_text(case, LINK, "sms")
    assert "looking for a lawyer" in text and len(text) > 70 and fits_one_sms(text), text


def test_the_email_says_we_are_looking_for_a_lawyer_and_where_it_was_sent_from(phone, stations):
    case = sos(phone)
    email = sent(case, "email")
    assert email["subject"].startswith(ORG + ":")
    body = email["body"]
    assert body.startswith(ORG + ":")
    assert "ищем адвоката" in body.lower() and "оповещен" not in body
    # The station nearest to the phone is where the SOS came from, never "held at".
    assert f"недалеко от {case.near_station.name}" in body
    assert "не обязательно" in body and "находится в" not in body
    assert case.near_station.name not in sent(case, "sms")["body"]


def test_a_lawyer_who_took_the_case_is_named_as_such_and_a_station_held_at_as_held(
    phone, dispatcher, lawyer_a, stations
):
    case = sos(phone)
    with translation.override("en"):
        _, before = contact_text(case, LINK, "email")
        dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
        station = case.near_station
        dispatch.act(Case.objects.get(pk=case.pk), "held_at", lawyer_a, station=station)
        _, after = contact_text(Case.objects.get(pk=case.pk), LINK, "email")
        _, sms = contact_text(Case.objects.get(pk=case.pk), LINK, "sms")
    assert "We are looking for a lawyer." in before and "taken" not in before
    assert "sent from near" in before and "held at" not in before
    assert "A lawyer has taken the case." in after and "looking for" not in after
    assert f"held at {station.name}" in after and "sent from near" not in after
    assert "looking for" not in sms


def test_contacts_are_written_to_in_the_language_of_the_app(phone, stations):
    english = sos(phone, "en-GB,en;q=0.9")
    email = sent(english, "email")
    assert email["subject"].startswith(f"{ORG}: SOS sent at ")
    assert "someone who trusts you sent an SOS" in email["body"]


def test_contacts_of_an_sos_that_said_no_language_are_written_to_in_russian(phone, stations):
    case = sos(phone)
    assert "отправил SOS" in sent(case, "email")["body"]


def test_the_steps_that_follow_keep_the_apps_language(phone, dispatcher, lawyer_a, stations):
    case = sos(phone, "en")
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
    dispatch.act(Case.objects.get(pk=case.pk), "held_at", lawyer_a, station=case.near_station)
    steps = [
        open_sealed(m.sealed, "outbox")
        for m in Message.objects.filter(dedupe_key__contains=":step:", channel="email")
    ]
    assert steps and all("held at" in s["body"] and s["subject"].startswith(ORG) for s in steps)


def test_a_retry_from_the_app_switched_to_another_language_is_the_same_sos(phone, stations):
    first = sos(phone, "en")
    again = sos(phone, "ru")
    assert again.pk == first.pk and Case.objects.count() == 1
    assert Message.objects.filter(channel="email").count() == 1, "each contact is told once"
