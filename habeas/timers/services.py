"""Arm, check in, delete and fire check-in timers."""

import json
import logging
from dataclasses import asdict
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from habeas.cases import services as cases
from habeas.dispatch import services as dispatch
from habeas.lib import sealing
from habeas.lib.keyed import keyed_hash, token_digest
from habeas.lib.refusals import Refusal

from .models import CheckInTimer, TimerState

__all__ = [
    "PIN_MAX",
    "PIN_MIN",
    "CheckInTimer",
    "TimerError",
    "WrongPin",
    "arm",
    "check_in",
    "delete",
    "for_token",
    "valid_pin",
]

log = logging.getLogger(__name__)
PURPOSE = "timer"
MAX_AHEAD = timedelta(hours=48)
MAX_WRONG_PINS = 5


# A PIN is typed under stress, perhaps in front of a captor: short, digits only. The API's
# schema and the PWA's forms take their bounds from here.
PIN_MIN, PIN_MAX = 4, 8


def valid_pin(value: str) -> bool:
    return value.isascii() and value.isdigit() and PIN_MIN <= len(value) <= PIN_MAX


class TimerError(Refusal):
    """A timer request that cannot be right; `field` names the field it is about."""

    CODES = frozenset(
        {"deadline_past", "deadline_too_far", "pin_format", "pins_equal", "key_reused"}
    )

    @property
    def field(self) -> str:
        return self.params["field"]


class WrongPin(Exception):
    def __init__(self, attempts_left: int):
        super().__init__(f"wrong PIN, {attempts_left} attempts left")
        self.attempts_left = attempts_left


def token_for(idempotency_key: str) -> str:
    """Derived, not stored, so that a retried arm answers with the same token."""
    return keyed_hash("timer-token", idempotency_key)[:43]


_hash = token_digest


def _details(intake: cases.Intake) -> dict:
    person = asdict(intake.person)
    if intake.person.date_of_birth:
        person["date_of_birth"] = intake.person.date_of_birth.isoformat()
    location = None
    if intake.location:
        location = {
            "lat": intake.location.lat,
            "lon": intake.location.lon,
            "accuracy_m": intake.location.accuracy_m,
        }
    return {"person": person, "location": location, "contacts": list(intake.contacts)}


def _intake(details: dict) -> cases.Intake:
    person = dict(details["person"])
    if person.get("date_of_birth"):
        person["date_of_birth"] = date.fromisoformat(person["date_of_birth"])
    location = details.get("location")
    return cases.Intake(
        person=cases.Person(**person),
        location=cases.Location(**location) if location else None,
        contacts=tuple(details.get("contacts") or ()),
    )


def arm(
    intake: cases.Intake, *, deadline: datetime, pin: str, duress_pin: str, idempotency_key: str
) -> tuple[CheckInTimer, str]:
    """Store the details sealed and schedule the SOS for the deadline; return (timer, token)."""
    from .tasks import fire_timer

    now = timezone.now()
    if deadline <= now:
        raise TimerError("deadline_past", field="deadline")
    if deadline > now + MAX_AHEAD:
        raise TimerError(
            "deadline_too_far", field="deadline", hours=MAX_AHEAD // timedelta(hours=1)
        )
    for field, value in (("pin", pin), ("duress_pin", duress_pin)):
        if not valid_pin(value):
            raise TimerError("pin_format", field=field, min=PIN_MIN, max=PIN_MAX)
    if pin == duress_pin:
        raise TimerError("pins_equal", field="duress_pin")
    token = token_for(idempotency_key)
    details = _details(intake)
    fingerprint = keyed_hash(
        "timer-fingerprint", json.dumps([details, deadline.isoformat()], sort_keys=True)
    )
    existing = CheckInTimer.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise TimerError("key_reused", field="Idempotency-Key")
        return existing, token
    try:
        with transaction.atomic():
            timer = CheckInTimer.objects.create(
                token_hash=_hash(token),
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                sealed=sealing.seal(details, PURPOSE),
                pin_hash=make_password(pin),
                duress_hash=make_password(duress_pin),
                deadline=deadline,
            )
            fire_timer.using(run_after=deadline).enqueue(timer.pk)
    except IntegrityError:
        return CheckInTimer.objects.get(idempotency_key=idempotency_key), token
    log.info("timer %s armed", timer.pk)
    return timer, token


def for_token(token: str) -> CheckInTimer | None:
    if not token or len(token) > 64:
        return None
    return CheckInTimer.objects.filter(token_hash=_hash(token)).first()


def _fire(timer: CheckInTimer, duress: bool) -> None:
    """Open the SOS from the sealed details, as if the button had been held."""
    if timer.sealed is None:
        return
    details = sealing.open_sealed(timer.sealed, PURPOSE)
    opened = dispatch.open_sos(_intake(details), idempotency_key=f"timer-{timer.pk}")
    if duress:
        cases.record_event(opened.case, "note", data={"timer": "duress"})
    timer.state = TimerState.FIRED
    timer.under_duress = duress
    timer.case = opened.case
    timer.sealed = None
    timer.save(update_fields=["state", "under_duress", "case", "sealed", "updated_at"])
    log.info("timer %s fired%s", timer.pk, " under duress" if duress else "")


def check_in(token: str, pin: str) -> CheckInTimer:
    """Check in with the PIN. The duress PIN answers exactly the same, and raises the alert.

    Too many wrong PINs are treated as duress: whoever is guessing is not the owner.
    """
    with transaction.atomic(durable=True):
        timer = CheckInTimer.objects.select_for_update().get(token_hash=_hash(token))
        if timer.public_state != TimerState.ARMED:
            return timer
        if check_password(pin, timer.pin_hash):
            timer.state = TimerState.CANCELLED
            timer.sealed = None
            timer.save(update_fields=["state", "sealed", "updated_at"])
            return timer
        if check_password(pin, timer.duress_hash):
            _fire(timer, duress=True)
            return timer
        timer.wrong_pins += 1
        timer.save(update_fields=["wrong_pins", "updated_at"])
        left = MAX_WRONG_PINS - timer.wrong_pins
        if left <= 0:
            _fire(timer, duress=True)
    raise WrongPin(max(left, 0))


def delete(token: str) -> CheckInTimer:
    """Destroy the stored details; an armed timer is disarmed with them."""
    with transaction.atomic(durable=True):
        timer = CheckInTimer.objects.select_for_update().get(token_hash=_hash(token))
        if timer.state == TimerState.ARMED:
            timer.state = TimerState.DELETED
        timer.sealed = None
        timer.save(update_fields=["state", "sealed", "updated_at"])
    return timer


def fire_if_due(timer_id: int) -> bool:
    """Run at the deadline: fire an armed timer whose deadline has passed."""
    with transaction.atomic(durable=True):
        timer = CheckInTimer.objects.select_for_update().filter(pk=timer_id).first()
        if timer is None or timer.state != TimerState.ARMED or timer.deadline > timezone.now():
            return False
        _fire(timer, duress=False)
    return True
