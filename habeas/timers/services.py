"""Arm, check in, delete and fire check-in timers."""

import json
import logging
import secrets
from dataclasses import asdict
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from habeas.cases import services as cases
from habeas.cases.models import ORIGIN_PRIORITY, Case, Origin
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
    "fire_duress",
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
    details = {"person": person, "location": location, "contacts": list(intake.contacts)}
    if intake.city:  # absent when empty: a timer armed before cities existed keeps its body
        details["city"] = intake.city
    if intake.language:  # the app's, for the contacts' messages when the timer fires
        details["language"] = intake.language
    return details


def _intake(details: dict) -> cases.Intake:
    person = dict(details["person"])
    if person.get("date_of_birth"):
        person["date_of_birth"] = date.fromisoformat(person["date_of_birth"])
    location = details.get("location")
    return cases.Intake(
        person=cases.Person(**person),
        location=cases.Location(**location) if location else None,
        city=details.get("city") or "",
        contacts=tuple(details.get("contacts") or ()),
        language=details.get("language") or "",
    )


def _stored_key(idempotency_key: str) -> str:
    # Kept only as a keyed hash: the key derives the timer's token.
    return keyed_hash("timer-key", idempotency_key)


def arm(
    intake: cases.Intake, *, deadline: datetime, pin: str, duress_pin: str, idempotency_key: str
) -> tuple[CheckInTimer, str, bool]:
    """Store the details sealed and schedule the SOS for the deadline.

    Returns (timer, token, created); a retry of the same key and body returns the same timer.
    """
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
    # The language is left out: a retry from an app switched to another language is the same timer.
    same = {k: v for k, v in details.items() if k != "language"}
    fingerprint = keyed_hash(
        "timer-fingerprint", json.dumps([same, deadline.isoformat()], sort_keys=True)
    )
    stored = _stored_key(idempotency_key)
    existing = CheckInTimer.objects.filter(idempotency_key=stored).first()
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise TimerError("key_reused", field="Idempotency-Key")
        return existing, token, False
    try:
        with transaction.atomic():
            timer = CheckInTimer.objects.create(
                token_hash=_hash(token),
                idempotency_key=stored,
                fingerprint=fingerprint,
                sealed=sealing.seal(details, PURPOSE),
                pin_hash=make_password(pin),
                duress_hash=make_password(duress_pin),
                deadline=deadline,
            )
            fire_timer.using(run_after=deadline).enqueue(timer.pk)
    except IntegrityError:
        return CheckInTimer.objects.get(idempotency_key=stored), token, False
    log.info("timer %s armed", timer.pk)
    return timer, token, True


def for_token(token: str) -> CheckInTimer | None:
    if not token or len(token) > 64:
        return None
    return CheckInTimer.objects.filter(token_hash=_hash(token)).first()


def _sos_key(timer: CheckInTimer) -> str:
    # Derived with the server's secret: a timer's SOS key cannot be guessed and claimed first
    # through the public API (which also refuses the "timer-" prefix). Ids counted up before.
    return "timer-" + keyed_hash("timer-sos", str(timer.pk))[:40]


def _fire(timer: CheckInTimer, duress: bool) -> None:
    """Open the SOS from the sealed details, as if the button had been held."""
    if timer.sealed is None:
        return
    intake = _intake(sealing.open_sealed(timer.sealed, PURPOSE))
    try:
        opened = dispatch.open_sos(intake, idempotency_key=_sos_key(timer))
    except cases.IdempotencyConflict:
        opened = None
    if opened is None or not opened.created:
        # Someone holds this timer's key already: the SOS must go out all the same, under a
        # fresh key, and a person must look at why.
        log.warning("timer %s: its SOS key was taken; sent under a fresh one", timer.pk)
        opened = dispatch.open_sos(intake, idempotency_key="timer-" + secrets.token_hex(20))
        dispatch.flag_for_dispatchers(opened.case)
    # The origin travels in the routing envelope: the queue, the case page and the lawyer's
    # offer must say "do not call their phone" for a duress SOS, and both kinds rank above an
    # ordinary SOS. In the same transaction as the dispatch task open_sos wrote, so the worker
    # already sees it. Only ever raised (sos < timer < duress): a report joining the person's
    # case must not turn a duress case back into an ordinary one.
    origin = Origin.DURESS if duress else Origin.TIMER
    order = [Origin.SOS, Origin.TIMER, Origin.DURESS]
    now = Case.objects.filter(pk=opened.case.pk).values_list("origin", flat=True).get()
    if order.index(now) < order.index(origin):
        raised = ORIGIN_PRIORITY[origin] - ORIGIN_PRIORITY[now]
        Case.objects.filter(pk=opened.case.pk).update(
            origin=origin, priority=F("priority") + raised, updated_at=timezone.now()
        )
    if duress:
        cases.record_event(opened.case, "note", data={"timer": "duress"})
    else:
        timer.state = TimerState.FIRED
    timer.case = opened.case
    timer.sealed = None
    timer.save(update_fields=["state", "case", "sealed", "updated_at"])
    log.info("timer %s fired%s", timer.pk, " under duress" if duress else "")


def _answer(token: str, pin: str, shown: str) -> CheckInTimer:
    """Check in (shown=CANCELLED) or delete (shown=DELETED) with a PIN.

    The duress PIN gets the very same answer and the same work (both PINs are always
    checked), and its SOS goes out from a task after the answer: whoever holds the phone can
    neither see nor time the difference, and the answer cannot fail in front of them.
    """
    from .tasks import fire_under_duress

    with transaction.atomic(durable=True):
        timer = CheckInTimer.objects.select_for_update().get(token_hash=_hash(token))
        if timer.public_state != TimerState.ARMED:
            return timer
        real = check_password(pin, timer.pin_hash)
        duress = check_password(pin, timer.duress_hash)
        left = MAX_WRONG_PINS
        if real:
            timer.sealed = None
        elif not duress:
            timer.wrong_pins += 1
            left = MAX_WRONG_PINS - timer.wrong_pins
        if real or duress or left <= 0:
            timer.state = shown
            # Too many wrong PINs count as duress: whoever is guessing is not the owner.
            timer.under_duress = not real
            if timer.under_duress:
                fire_under_duress.enqueue(timer.pk)
        timer.save(update_fields=["state", "sealed", "under_duress", "wrong_pins", "updated_at"])
    if real or duress:
        return timer
    raise WrongPin(max(left, 0))


def check_in(token: str, pin: str) -> CheckInTimer:
    """Check in with the PIN: the timer is cancelled. Raises WrongPin."""
    return _answer(token, pin, TimerState.CANCELLED)


def delete(token: str, pin: str) -> CheckInTimer:
    """Delete the timer and its stored details with the PIN. Raises WrongPin.

    The PIN is needed: whoever holds the phone must not silently disarm the timer.
    """
    return _answer(token, pin, TimerState.DELETED)


def fire_duress(timer_id: int) -> bool:
    """Send the SOS of a timer answered with the duress PIN (run as a task right after)."""
    with transaction.atomic(durable=True):
        timer = CheckInTimer.objects.select_for_update().filter(pk=timer_id).first()
        if timer is None or not timer.under_duress or timer.case_id is not None:
            return False
        _fire(timer, duress=True)
    return True


def fire_if_due(timer_id: int) -> bool:
    """Run at the deadline: fire an armed timer whose deadline has passed."""
    with transaction.atomic(durable=True):
        timer = CheckInTimer.objects.select_for_update().filter(pk=timer_id).first()
        if timer is None or timer.state != TimerState.ARMED or timer.deadline > timezone.now():
            return False
        _fire(timer, duress=False)
    return True
