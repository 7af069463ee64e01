"""A request for legal aid is no emergency: its own kind, its own words, hours to accept,
never escalated after minutes, after every SOS, and listed by its day for the lawyers."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import staff_client
from habeas.cases.models import Case, Kind
from habeas.cases.services import open_details
from habeas.console.tests.helpers import open_case
from habeas.dispatch import messages, services
from habeas.dispatch.models import Offer
from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message


def request_body(kind: str = "court", days: int | None = 1, **extra) -> dict:
    request = {"time": "11:00", "place": "Тверской районный суд", "text": "ч. 5 ст. 20.2"}
    if days is not None:
        request["date"] = (timezone.localdate() + timedelta(days=days)).isoformat()
    return {
        "kind": kind,
        "person": {"full_name": "Пётр Сидоров"},
        "city": "Москва",
        "request": request | extra,
    }


def test_a_court_request_opens_a_case_of_its_kind_dated_and_below_every_sos(phone):
    sos = open_case()
    assert phone.sos(request_body()).status_code == 201
    case = Case.objects.get(public_id=phone.case_id)
    assert case.kind == Kind.COURT and case.is_request
    assert timezone.localtime(case.due_at).strftime("%H:%M") == "11:00"
    assert case.priority < Case.objects.get(pk=sos.pk).priority
    assert [c.pk for c in Case.objects.triage()] == [sos.pk, case.pk]
    sealed = open_details(case.reports.get())["request"]
    assert sealed["place"] == "Тверской районный суд" and sealed["text"] == "ч. 5 ст. 20.2"


def test_a_consultation_may_come_without_a_day(phone):
    assert phone.sos(request_body("consultation", days=None)).status_code == 201
    assert Case.objects.get(public_id=phone.case_id).due_at is None


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (request_body(days=400), "request.date", "больше чем на год вперёд"),
        (request_body(days=-40), "request.date", "больше 30 дней назад"),
        (request_body(time="25:00"), "request.time", ""),
        (request_body(text="x" * 2001), "request.text", "2000"),
        (request_body() | {"kind": "detention"}, "body", "консультац"),
        (request_body() | {"kind": "help"}, "kind", ""),
    ],
)
def test_bad_request_input_is_named_per_field_in_the_readers_language(phone, body, field, words):
    response = phone.client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "bad-request-0001", "Accept-Language": "ru"},
    )
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors], errors
    message = next(e["message"] for e in errors if e["field"] == field)
    assert words in message
    assert not Case.objects.exists()


def test_the_lawyer_has_hours_and_is_told_it_is_a_request(phone, lawyer_a, settings):
    settings.DEBUG = True  # every channel has somewhere to go (the demo file)
    settings.HABEAS_REQUEST_OFFER_HOURS = 6
    phone.sos(request_body())
    case = Case.objects.get(public_id=phone.case_id)
    offer = services.offer_next(case.pk) or Offer.objects.get(case=case)
    assert offer.lawyer == lawyer_a
    lasts = offer.expires_at - offer.created_at
    assert timedelta(hours=5, minutes=59) < lasts <= timedelta(hours=6)
    told = open_sealed(
        Message.objects.filter(dedupe_key__startswith=f"offer:{offer.pk}").first().sealed,
        "outbox",
    )
    assert "Обращение" in told["subject"] and "суд" in told["subject"].lower()
    assert "Запрос юридической помощи" in told["body"]
    assert "6 ч" in told["body"] and "11:00" in told["body"]
    assert "мин" not in told["body"]


def test_a_request_is_never_escalated_for_its_wait(phone, dispatcher, lawyer_a, settings):
    settings.HABEAS_ESCALATE_AFTER_MINUTES = 10
    phone.sos(request_body())
    case = Case.objects.get(public_id=phone.case_id)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert not services.escalate_if_waiting(case.pk)
    Offer.objects.filter(case=case).delete()
    services.offer_next(case.pk)
    assert Case.objects.get(pk=case.pk).escalated_at is None
    # An SOS that waited as long is escalated.
    sos = open_case()
    Case.objects.filter(pk=sos.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert services.escalate_if_waiting(sos.pk)


def test_contacts_are_told_of_a_request_not_of_an_sos(phone):
    phone.sos(request_body())
    case = Case.objects.get(public_id=phone.case_id)
    for channel in ("sms", "email"):
        subject, body = messages.contact_text(case, "https://h.example/w/x", channel)
        assert "SOS" not in subject + body and "alerted" not in body
    subject, body = messages.contact_text(case, "https://h.example/w/x", "email")
    assert "юридической помощи" in subject and "защита в суде" in body


def test_the_person_sees_a_request_in_its_own_words(phone):
    phone.sos(request_body("appeal"))
    body = phone.client.get(
        "/api/v1/cases/status", headers=phone.auth() | {"Accept-Language": "en"}
    ).json()
    assert body["heading"] == "Request received"
    assert "within hours" in body["message"] and "finding a lawyer" not in body["message"]


def test_the_requests_page_lists_requests_soonest_day_first_without_names(phone, lawyer_a):
    later = phone.sos(request_body(days=5), key="request-later-01").json()["case_id"]
    sooner = phone.sos(request_body(days=1), key="request-soon-001").json()["case_id"]
    undated = phone.sos(request_body("consultation", None), key="request-none-01").json()
    sos = open_case()
    html = staff_client(lawyer_a).get("/console/requests/").content.decode()
    assert html.index(sooner) < html.index(later) < html.index(undated["case_id"])
    assert sos.public_id not in html
    assert "Сидоров" not in html


def test_the_requests_page_needs_a_login(stranger):
    assert stranger.get("/console/requests/").status_code == 302


def test_the_lawyer_is_reminded_the_evening_before_the_request_s_day(phone, lawyer_a, settings):
    from django_tasks_db.models import DBTaskResult

    from habeas.dispatch import tasks

    settings.DEBUG = True  # every channel has somewhere to go (the demo file)
    phone.sos(request_body(days=3))
    case = Case.objects.get(public_id=phone.case_id)
    offer = services.offer_next(case.pk) or Offer.objects.get(case=case)
    services.accept(offer.pk, lawyer_a)
    [row] = DBTaskResult.objects.filter(task_path=tasks.remind_request.module_path)
    eve = timezone.localtime(row.run_after)
    assert eve.date() == timezone.localdate() + timedelta(days=2) and eve.hour == 18
    assert tasks.remind_request.call(*row.args_kwargs["args"]) == "reminded"
    told = [
        open_sealed(m.sealed, "outbox")
        for m in Message.objects.filter(dedupe_key__startswith=f"request-eve:{case.pk}:")
    ]
    assert told and case.public_id in told[0]["subject"] and "11:00" in told[0]["body"]
    assert "Тверской" not in told[0]["body"], "the court stays behind the login"
    # A request closed meanwhile is not reminded of.
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert tasks.remind_request.call(*row.args_kwargs["args"]) == "nothing to remind"


def test_a_request_taken_after_its_eve_schedules_no_reminder(phone, lawyer_a):
    from django_tasks_db.models import DBTaskResult

    from habeas.dispatch import tasks

    phone.sos(request_body(days=0))
    case = Case.objects.get(public_id=phone.case_id)
    services.act(case, "take", lawyer_a)
    assert not DBTaskResult.objects.filter(task_path=tasks.remind_request.module_path)


def test_the_person_is_reminded_too_of_the_time_and_their_lawyer(phone, lawyer_a, settings):
    from django_tasks_db.models import DBTaskResult

    from habeas.dispatch import tasks

    settings.DEBUG = True
    body = request_body(days=3)
    body["person"]["phone"] = "+7 916 555-01-02"
    phone.sos(body)
    case = Case.objects.get(public_id=phone.case_id)
    services.act(case, "take", lawyer_a)
    [row] = DBTaskResult.objects.filter(task_path=tasks.remind_request.module_path)
    assert tasks.remind_request.call(*row.args_kwargs["args"]) == "reminded"
    [sms] = Message.objects.filter(dedupe_key__startswith=f"contact:{case.pk}:request-eve:")
    assert sms.channel == "sms"
    told = open_sealed(sms.sealed, "outbox")
    assert told["address"] == "+7 916 555-01-02"
    assert "11:00" in told["body"] and lawyer_a.get_full_name() in told["body"]
    assert "Тверской" not in told["body"] and "Сидоров" not in told["body"]
    # Run twice (a worker retried it): one message, not two.
    tasks.remind_request.call(*row.args_kwargs["args"])
    assert (
        Message.objects.filter(dedupe_key__startswith=f"contact:{case.pk}:request-eve:").count()
        == 1
    )
