"""Everyone who follows a case hears every public step: the app's trusted contacts, relatives
who reported it, and the bot's subscribers, each once per step, naming the organisation."""

import pytest
from django.utils import translation

from conftest import DETAINEE_BODY
from habeas.api.tests.test_inbound_sms import post as post_sms
from habeas.cases.models import Case
from habeas.dispatch import messages
from habeas.dispatch import services as dispatch
from habeas.lib import smscodec
from habeas.lib.sealing import open_sealed
from habeas.notifications import services as notifications
from habeas.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_channels(settings):
    settings.DEBUG = True  # every channel has somewhere to go (the demo file)
    settings.HABEAS_ORG_NAME = "ОВД-Инфо"


def steps_to(address: str) -> list[str]:
    """The step messages an address was sent, oldest first."""
    found = []
    for message in Message.objects.filter(dedupe_key__contains=":step:").order_by("pk"):
        content = open_sealed(message.sealed, "outbox")
        if content["address"] == address:
            found.append(content["body"])
    return found


def walk(case, dispatcher, lawyer, station) -> None:
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer)
    dispatch.act(case, "held_at", lawyer, station=station)
    dispatch.act(case, "at_station", lawyer)
    dispatch.act(case, "note", lawyer, note="staff only")
    dispatch.act(case, "released", lawyer)


def test_trusted_contacts_hear_each_public_step_not_only_the_first(
    phone, dispatcher, lawyer_a, tverskoy
):
    body = {
        **DETAINEE_BODY,
        "contacts": [{"phone": "+79160000001"}, {"email": "mama@x.ru"}, {"telegram": "777"}],
    }
    assert phone.sos(body).status_code == 201
    case = Case.objects.get()
    walk(case, dispatcher, lawyer_a, tverskoy)
    for address in ("+79160000001", "mama@x.ru", "777"):
        told = steps_to(address)
        assert len(told) == 3, (address, told)  # held at, lawyer arrived, released; no note
        assert all("ОВД-Инфо" in text and case.public_id in text for text in told)
        assert "ОВД Тверской" in told[0]
        assert "Мария" not in " ".join(told)


def test_a_relative_who_reported_hears_each_step(phone, dispatcher, lawyer_a, tverskoy):
    body = {
        "person": {"full_name": "Иван Петров"},
        "reporter_role": "relative",
        "reporter": {"phone": "+79160000009", "relation": "мама"},
    }
    assert phone.sos(body).status_code == 201
    walk(Case.objects.get(), dispatcher, lawyer_a, tverskoy)
    assert len(steps_to("+79160000009")) == 3


def test_a_bot_subscriber_hears_steps_in_their_language_and_only_once(
    detainee, dispatcher, lawyer_a, tverskoy
):
    case = Case.objects.get()
    notifications.follow(messages.follow_topic(case.pk), "telegram", "555", "en")
    notifications.follow(messages.follow_topic(case.pk), "telegram", "555", "en")
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
    dispatch.act(case, "held_at", lawyer_a, station=tverskoy)
    [told] = steps_to("555")
    event = case.events.get(kind="held_at")
    with translation.override("en"):
        assert told == messages.step_text(case, event)
    with translation.override("ru"):
        russian = messages.step_text(case, event)
    assert told.startswith("ОВД-Инфо") and russian.startswith("ОВД-Инфо")


def test_a_case_whose_details_were_deleted_tells_nobody_and_forgets_its_followers(
    detainee, dispatcher, lawyer_a, tverskoy
):
    case = Case.objects.get()
    notifications.follow(messages.follow_topic(case.pk), "telegram", "555", "ru")
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
    dispatch.forget(case.reports.get())
    assert notifications.followers(messages.follow_topic(case.pk)) == [], "forgotten at once"
    dispatch.act(case, "held_at", lawyer_a, station=tverskoy)
    assert steps_to("555") == []
    assert notifications.followers(messages.follow_topic(case.pk)) == []


def test_a_step_message_fits_one_cyrillic_sms(detainee, dispatcher, lawyer_a, tverskoy, settings):
    settings.HABEAS_ORG_NAME = "ОВД-Инфо"
    case = Case.objects.get()
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
    dispatch.act(case, "at_station", lawyer_a)
    with translation.override("ru"):
        text = messages.step_text(case, case.events.get(kind="lawyer_arrived"))
    assert len(text) <= 70, text


def test_contacts_are_told_when_the_sos_by_sms_arrived_before_the_apps_retry(
    client, phone, settings, dispatcher, lawyer_a, tverskoy
):
    settings.HABEAS_SMS_WEBHOOK_SECRET = "gw"
    key = "k7Pq2Xz9Lm3W"
    body = {"from": "+79165550102", "text": f"H1 {smscodec.reference(key)} - - Мария"}
    sms = post_sms(client, body, secret="gw")
    assert sms.status_code == 201
    assert not Message.objects.filter(dedupe_key__startswith="contact:").exists()
    retry = phone.sos({**DETAINEE_BODY, "contacts": [{"phone": "+79160000001"}]}, key=key)
    assert retry.status_code == 200
    assert Case.objects.count() == 1
    [told] = Message.objects.filter(dedupe_key__startswith="contact:")
    assert open_sealed(told.sealed, "outbox")["address"] == "+79160000001"
    case = Case.objects.get()
    dispatch.act(case, "assign", dispatcher, lawyer=lawyer_a)
    dispatch.act(case, "held_at", lawyer_a, station=tverskoy)
    assert len(steps_to("+79160000001")) == 1, "and they hear the later steps too"
