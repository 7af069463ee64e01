"""The check-in timer: fires at the deadline, a check-in cancels, the duress PIN fires quietly."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from habeas.cases.models import Case
from habeas.cases.services import open_details
from habeas.lib import sealing
from habeas.timers.models import CheckInTimer, TimerState
from habeas.timers.services import fire_if_due

PIN, DURESS = "2468", "1357"
# Columns holding hashes, ciphertext or the client's random key (or a hash of it).
RANDOM_COLUMNS = {
    "token_hash",
    "idempotency_key",
    "fingerprint",
    "pin_hash",
    "duress_hash",
    "sealed",
}


def arm(phone, minutes: float = 30, **extra):
    body = {
        "deadline": (timezone.now() + timedelta(minutes=minutes)).isoformat(),
        "pin": PIN,
        "duress_pin": DURESS,
        "person": {"full_name": "Мария Иванова", "date_of_birth": "1995-04-12"},
        "location": {"lat": 55.7649, "lon": 37.6116},
        **extra,
    }
    return phone.client.post(
        "/api/v1/timers",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "timer-key-00001"},
    )


def call(phone, token, path, pin=None):
    headers = {"Authorization": f"Bearer {token}"}
    if pin is None:
        method = phone.client.get if path == "status" else phone.client.post
        return method(f"/api/v1/timers/{path}", headers=headers)
    return phone.client.post(
        f"/api/v1/timers/{path}",
        json.dumps({"pin": pin}),
        content_type="application/json",
        headers=headers,
    )


def due(timer_token=None) -> None:
    CheckInTimer.objects.update(deadline=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def armed(phone):
    response = arm(phone)
    assert response.status_code == 201, response.json()
    return response.json()["timer_token"]


def test_an_armed_timer_fires_an_sos_with_the_details_at_the_deadline(phone, armed):
    timer = CheckInTimer.objects.get()
    assert not fire_if_due(timer.pk), "not before the deadline"
    due()
    assert fire_if_due(timer.pk)
    case = Case.objects.get()
    assert open_details(case.reports.get())["person"]["full_name"] == "Мария Иванова"
    assert call(phone, armed, "status").json()["state"] == "fired"
    assert CheckInTimer.objects.get().sealed is None


def test_checking_in_with_the_pin_cancels_and_destroys_the_details(phone, armed):
    response = call(phone, armed, "checkin", PIN)
    assert response.json()["state"] == "cancelled"
    due()
    assert not fire_if_due(CheckInTimer.objects.get().pk)
    assert Case.objects.count() == 0
    assert CheckInTimer.objects.get().sealed is None


def test_the_duress_pin_looks_like_a_check_in_but_sends_the_sos(phone, armed, run_tasks):
    response = call(phone, armed, "checkin", DURESS)
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert call(phone, armed, "status").json()["state"] == "cancelled"
    assert Case.objects.count() == 0, "sent from a task, after the answer"
    run_tasks()
    assert Case.objects.count() == 1
    assert CheckInTimer.objects.get().under_duress
    assert call(phone, armed, "status").json()["state"] == "cancelled"


def test_answers_to_the_pin_and_the_duress_pin_are_identical(phone):
    token = arm(phone).json()["timer_token"]
    duress_answer = call(phone, token, "checkin", DURESS)
    CheckInTimer.objects.all().delete()
    Case.objects.all().delete()
    phone2 = type(phone)()
    token2 = arm(phone2).json()["timer_token"]
    pin_answer = call(phone2, token2, "checkin", PIN)
    assert duress_answer.status_code == pin_answer.status_code
    assert duress_answer.json().keys() == pin_answer.json().keys()
    assert duress_answer.json()["state"] == pin_answer.json()["state"]


def test_wrong_pins_count_down_and_the_last_one_raises_the_alert(phone, armed, run_tasks):
    for left in (4, 3, 2, 1):
        response = call(phone, armed, "checkin", "0000")
        assert response.status_code == 403
        assert response.json()["attempts_left"] == left
    assert Case.objects.count() == 0
    assert call(phone, armed, "checkin", "0000").json()["attempts_left"] == 0
    run_tasks()
    assert Case.objects.count() == 1


def test_deleting_the_details_disarms_the_timer(phone, armed):
    assert call(phone, armed, "delete", PIN).json()["state"] == "deleted"
    due()
    assert not fire_if_due(CheckInTimer.objects.get().pk)


def test_arming_twice_with_one_key_makes_one_timer(phone, armed):
    deadline = CheckInTimer.objects.get().deadline
    again = arm(phone, deadline=deadline.isoformat())
    assert again.status_code == 200
    assert again.json()["timer_token"] == armed
    assert CheckInTimer.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"deadline": "2020-01-01T10:00:00+03:00"}, "deadline"),
        ({"deadline": (timezone.now() + timedelta(days=5)).isoformat()}, "deadline"),
        ({"deadline": "2030-01-01T10:00:00"}, "deadline"),
        ({"pin": "12"}, "pin"),
        ({"pin": "abcd"}, "pin"),
        ({"duress_pin": PIN}, "duress_pin"),
    ],
)
def test_bad_timers_are_refused_per_field(phone, extra, field, db):
    response = arm(phone, **extra)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert CheckInTimer.objects.count() == 0


def test_the_same_key_for_another_timer_is_a_conflict(phone, armed):
    deadline = CheckInTimer.objects.get().deadline
    assert arm(phone, minutes=90).status_code == 409
    timer = CheckInTimer.objects.get()
    assert (timer.deadline, timer.state) == (deadline, TimerState.ARMED)


def test_a_wrong_token_gets_401(phone, armed):
    assert call(phone, "nope", "status").status_code == 401
    assert call(phone, "nope", "checkin", PIN).status_code == 401
    timer = CheckInTimer.objects.get()
    assert (timer.state, timer.wrong_pins) == (TimerState.ARMED, 0)


def test_the_timer_row_holds_no_details_or_pins_in_clear(phone, armed):
    row = CheckInTimer.objects.values().get()
    raw = repr(row).encode() + bytes(row["sealed"])
    for secret in ("Мария".encode(), b"55.7649"):
        assert secret not in raw
    # Hashes and ciphertext hold any four digits now and then: there the PINs are compared
    # with whole values and the hashes checked; every other column is searched.
    clear = repr({k: v for k, v in row.items() if k not in RANDOM_COLUMNS})
    details = json.dumps(sealing.open_sealed(bytes(row["sealed"]), "timer"))
    for pin in (PIN, DURESS):
        assert pin not in clear and pin not in details
        assert pin not in [str(value) for value in row.values()]
    assert check_password(PIN, row["pin_hash"]) and check_password(DURESS, row["duress_hash"])
    assert row["state"] == TimerState.ARMED


def test_a_timer_armed_without_location_fires_with_the_city_it_was_given(phone):
    assert arm(phone, location=None, city="Екатеринбург").status_code == 201
    due()
    assert fire_if_due(CheckInTimer.objects.get().pk)
    assert Case.objects.get().city == "екатеринбург"
