"""A duress SOS and an expired check-in timer are told apart from an ordinary SOS everywhere:
the envelope, the queue, the lawyer's offer, and dispatch order."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import staff_client
from habeas.cases.models import Case, Origin
from habeas.dispatch import messages, services
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer
from habeas.timers.models import CheckInTimer
from habeas.timers.services import check_in, fire_duress, fire_if_due

PIN, DURESS = "2468", "1357"


def arm(phone, name: str = "Ольга Смирнова", born: str = "1990-02-02") -> str:
    body = {
        "deadline": (timezone.now() + timedelta(minutes=30)).isoformat(),
        "pin": PIN,
        "duress_pin": DURESS,
        "person": {"full_name": name, "date_of_birth": born},
        "location": {"lat": 55.7649, "lon": 37.6116},
    }
    response = phone.client.post(
        "/api/v1/timers",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "origin-timer-0001"},
    )
    assert response.status_code == 201, response.json()
    return response.json()["timer_token"]


@pytest.fixture
def timer_token(phone) -> str:
    return arm(phone)


def fired_case(timer_token, *, duress: bool) -> Case:
    timer = CheckInTimer.objects.get()
    if duress:
        check_in(timer_token, DURESS)
        assert fire_duress(timer.pk)
    else:
        CheckInTimer.objects.update(deadline=timezone.now() - timedelta(seconds=1))
        assert fire_if_due(timer.pk)
    return Case.objects.get(pk=CheckInTimer.objects.get().case_id)


def offer_text(case: Case, lawyer_user, monkeypatch) -> str:
    sent = []
    monkeypatch.setattr(messages, "_send_to_staff", lambda *args: sent.append(args))
    offer = Offer.objects.create(
        case=case, lawyer=lawyer_user, expires_at=timezone.now() + timedelta(minutes=3)
    )
    Lawyer.objects.filter(user=lawyer_user).update(languages="en")
    messages.tell_lawyer_of_offer(offer, Lawyer.objects.get(user=lawyer_user))
    return sent[0][3]


def test_a_duress_sos_is_marked_duress_and_ranks_above_an_ordinary_one(timer_token, detainee):
    case = fired_case(timer_token, duress=True)
    assert case.origin == Origin.DURESS
    assert case.priority > Case.objects.get(public_id=detainee.case_id).priority
    assert services.waiting_cases()[0] == case.pk


def test_an_expired_timer_is_marked_timer_and_ranks_above_an_ordinary_one(timer_token, detainee):
    case = fired_case(timer_token, duress=False)
    assert case.origin == Origin.TIMER
    assert services.waiting_cases() == [case.pk, Case.objects.get(public_id=detainee.case_id).pk]


def test_an_ordinary_sos_is_marked_sos(detainee):
    assert Case.objects.get(public_id=detainee.case_id).origin == Origin.SOS


def test_the_lawyer_is_told_not_to_call_the_phone_of_a_duress_sos(
    timer_token, lawyer_a, monkeypatch
):
    text = offer_text(fired_case(timer_token, duress=True), lawyer_a, monkeypatch)
    assert text.startswith(
        "Duress PIN: the person may be under pressure — do not call their phone."
    )


def test_the_lawyer_is_told_the_timer_expired_and_when_the_location_is_from(
    timer_token, lawyer_a, monkeypatch
):
    case = fired_case(timer_token, duress=False)
    when = timezone.localtime(case.location_captured_at).strftime("%H:%M")
    text = offer_text(case, lawyer_a, monkeypatch)
    assert text.startswith(f"Check-in timer expired; location as of {when}.")


def test_an_ordinary_offer_carries_no_warning(detainee, lawyer_a, monkeypatch):
    text = offer_text(Case.objects.get(public_id=detainee.case_id), lawyer_a, monkeypatch)
    assert "Duress" not in text and "timer" not in text


def test_the_queue_row_shows_the_duress_origin(timer_token, dispatcher, detainee):
    case = fired_case(timer_token, duress=True)
    html = staff_client(dispatcher).get("/console/", headers={"Accept-Language": "en"})
    text = html.content.decode()
    row = text[text.index(f'data-case-id="{case.public_id}"') :]
    assert "duress PIN: do not call their phone" in row[: row.index("</li>")]
    ordinary = text[text.index(f'data-case-id="{detainee.case_id}"') :]
    assert "duress" not in ordinary[: ordinary.index("</li>")]


def test_a_duress_sos_of_a_person_who_has_a_case_marks_that_case_duress(phone, detainee):
    token = arm(phone, "Мария Иванова", "1995-04-12")  # the detainee's own timer
    case = fired_case(token, duress=True)
    assert case.public_id == detainee.case_id
    assert case.origin == Origin.DURESS


def test_a_timer_firing_never_turns_a_duress_case_back_into_a_timer_case(phone, detainee):
    Case.objects.filter(public_id=detainee.case_id).update(origin=Origin.DURESS, priority=5)
    case = fired_case(arm(phone, "Мария Иванова", "1995-04-12"), duress=False)
    assert (case.origin, case.priority) == (Origin.DURESS, 5)
