"""Trusted contacts get a short message with a private, read-only status link."""

from conftest import DETAINEE_BODY
from habeas.cases.models import Case
from habeas.cases.services import case_for_watch_token
from habeas.dispatch.messages import contact_text
from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message


def test_each_contact_is_told_once_with_a_link_that_shows_only_status(phone, settings, stations):
    settings.DEBUG = True  # the demo channel stands in for providers
    body = {**DETAINEE_BODY, "contacts": [{"phone": "+79160000001"}, {"email": "mama@x.ru"}]}
    assert phone.sos(body).status_code == 201
    assert phone.sos(body, key="other-key-000001").status_code == 201
    first = Case.objects.get(public_id=phone.case_id)
    messages = Message.objects.filter(dedupe_key__startswith=f"contact:{first.pk}:")
    assert sorted(m.channel for m in messages) == ["email", "sms"]
    sms = open_sealed(messages.get(channel="sms").sealed, "outbox")
    token = sms["body"].rsplit("/", 1)[-1]
    assert case_for_watch_token(token) == first
    assert "Мария" not in sms["body"]
    assert phone.token not in sms["body"], "the contact must not get the withdraw power"


def test_the_sms_to_a_contact_fits_one_cyrillic_sms(detainee, settings):
    settings.HABEAS_BASE_URL = "https://sos.example.org"
    case = Case.objects.get(public_id=detainee.case_id)
    _, text = contact_text(case, settings.HABEAS_BASE_URL + "/s/" + "x" * 22, "sms")
    assert len(text) <= 70, text


def test_bad_contacts_are_refused_per_field(phone):
    body = {"contacts": [{"phone": "+7916", "email": "a@b.ru"}, {"email": "nope"}]}
    response = phone.sos(body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"contacts.0", "contacts.1.email"} <= fields
    too_many = phone.sos({"contacts": [{"phone": "+79160000000"}] * 4})
    assert too_many.status_code == 422


def test_intake_answers_while_the_sms_gateway_hangs_and_the_message_waits(phone, sms_gateway):
    sms_gateway.mode = "hang"  # a provider that never answers
    body = {**DETAINEE_BODY, "contacts": [{"phone": "+79160000001"}]}
    assert phone.sos(body).status_code == 201
    assert sms_gateway.requests == [], "intake never calls a provider; the worker does"
    assert Message.objects.get(channel="sms").state == "pending"
