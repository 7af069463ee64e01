"""A timer's SOS cannot be made to vanish, and whoever holds the phone cannot silently stop it.

Found in security round 2: a fired timer opened its case under the key `timer-<id>`; ids count
up, so claiming those keys first through the public API left timers armed forever, and the
duress PIN then answered 500 in front of the captor. Deleting needed no PIN at all.
"""

import json

from habeas.cases.models import Case, EventKind
from habeas.cases.services import Intake, open_case
from habeas.timers import services as timers
from habeas.timers.models import CheckInTimer

from .test_timers import DURESS, PIN, arm, call, due


def test_the_public_api_refuses_keys_that_habeas_makes_itself(phone, db):
    for key in ("timer-1", "timer-00000001", "sms-0123456789", "TIMER-12345678"):
        response = phone.sos({"kind": "detention"}, key=key)
        assert response.status_code == 400, key
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 0


def test_a_timer_fires_even_when_the_ids_before_it_were_claimed(phone, db):
    armed = arm(phone).json()["timer_token"]
    timer = CheckInTimer.objects.get()
    # The old attack, through the service since the API refuses the prefix now.
    for n in range(timer.pk - 2, timer.pk + 3):
        open_case(Intake(), idempotency_key=f"timer-{n}")
    due()
    assert timers.fire_if_due(timer.pk)
    timer.refresh_from_db()
    assert timer.case is not None and timer.case.reports.get().channel == "app"
    assert call(phone, armed, "status").json()["state"] == "fired"


def test_a_taken_timer_key_still_sends_the_sos_and_flags_it_for_dispatchers(phone, db):
    arm(phone)
    timer = CheckInTimer.objects.get()
    squatted = open_case(Intake(), idempotency_key=timers._sos_key(timer)).case
    due()
    assert timers.fire_if_due(timer.pk)
    timer.refresh_from_db()
    assert timer.case != squatted
    assert timer.case.escalated_at is not None
    assert timer.case.events.filter(kind=EventKind.ESCALATED).exists()


def test_deleting_a_timer_needs_the_pin(phone, db):
    armed = arm(phone).json()["timer_token"]
    assert call(phone, armed, "delete").status_code == 400, "no PIN, no deletion"
    wrong = call(phone, armed, "delete", "0000")
    assert wrong.status_code == 403
    assert wrong.json()["attempts_left"] == 4
    assert CheckInTimer.objects.get().state == "armed"
    assert CheckInTimer.objects.get().sealed is not None


def test_the_duress_pin_on_delete_answers_like_a_deletion_and_sends_the_sos(phone, db, run_tasks):
    armed = arm(phone).json()["timer_token"]
    answer = call(phone, armed, "delete", DURESS)
    assert answer.status_code == 200
    assert answer.json()["state"] == "deleted"
    run_tasks()
    assert Case.objects.count() == 1
    assert call(phone, armed, "status").json()["state"] == "deleted"


def test_the_duress_answer_does_not_depend_on_opening_the_case(phone, db, monkeypatch):
    """The SOS goes out from a task: a failure there cannot show on the captor's screen."""
    armed = arm(phone).json()["timer_token"]

    def broken(*args, **kwargs):
        raise RuntimeError("the database refused the case")

    monkeypatch.setattr(timers.dispatch, "open_sos", broken)
    answer = call(phone, armed, "checkin", DURESS)
    assert answer.status_code == 200
    assert answer.json() == call(phone, armed, "status").json()
    assert json.loads(answer.content)["state"] == "cancelled"


def test_the_real_pin_and_the_duress_pin_do_the_same_checks(phone, db, monkeypatch):
    checked = []
    real_check = timers.check_password

    def counting(pin, hashed):
        checked.append(hashed)
        return real_check(pin, hashed)

    monkeypatch.setattr(timers, "check_password", counting)
    for pin in (PIN, DURESS):
        CheckInTimer.objects.all().delete()
        phone.client.cookies.clear()
        armed = arm(phone).json()["timer_token"]
        checked.clear()
        assert call(phone, armed, "checkin", pin).status_code == 200
        assert len(checked) == 2, pin
