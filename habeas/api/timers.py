"""The check-in timer resource: arm, status, check in, delete."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.security import HttpBearer

from habeas.timers import services as timers

from .cases import intake_of, key_problem
from .errors import refused
from .schemas import ErrorOut, PinIn, TimerIn, TimerOut, WrongPinOut

router = Router(tags=["timers"])


class TimerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return timers.for_token(token)


def _bearer(request: HttpRequest) -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


def _state(timer) -> dict:
    return {"deadline": timer.deadline, "state": timer.public_state}


@router.post(
    "/timers",
    response={200: TimerOut, 201: TimerOut, 400: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Arm a check-in timer: the SOS goes out at the deadline unless checked in",
)
def arm_timer(
    request: HttpRequest,
    payload: TimerIn,
    idempotency_key: str = Header(None, alias="Idempotency-Key", include_in_schema=False),
):
    """Store the details sealed until check-in, deletion or the deadline."""
    if (bad_key := key_problem(idempotency_key, sos=False)) is not None:
        return bad_key
    try:
        timer, token, created = timers.arm(
            intake_of(payload),
            deadline=payload.deadline,
            pin=payload.pin,
            duress_pin=payload.duress_pin,
            idempotency_key=idempotency_key,
        )
    except timers.TimerError as exc:
        status = 409 if exc.field == "Idempotency-Key" else 422
        return refused(status, exc, detail=_("The timer cannot be set."))
    return Status(201 if created else 200, {"timer_token": token, **_state(timer)})


@router.get(
    "/timers/status",
    response={200: TimerOut, 401: ErrorOut},
    auth=TimerToken(),
    summary="The timer's state",
)
def timer_status(request: HttpRequest):
    return Status(200, _state(request.auth))


def _with_pin(request: HttpRequest, pin: str, verb) -> Status:
    # Check-in and deletion answer alike, and so does the duress PIN, which sends the SOS.
    try:
        timer = verb(_bearer(request), pin)
    except timers.WrongPin as exc:
        return _wrong_pin(exc)
    return Status(200, _state(timer))


PIN_ANSWERS = {200: TimerOut, 401: ErrorOut, 403: WrongPinOut, 422: ErrorOut}


@router.post(
    "/timers/checkin", response=PIN_ANSWERS, auth=TimerToken(), summary="Check in with the PIN"
)
def timer_checkin(request: HttpRequest, payload: PinIn):
    """Cancel the timer. The duress PIN gets the very same answer, and sends the SOS."""
    return _with_pin(request, payload.pin, timers.check_in)


@router.post(
    "/timers/delete",
    response=PIN_ANSWERS,
    auth=TimerToken(),
    summary="Delete the timer and the details stored for it, with the PIN",
)
def timer_delete(request: HttpRequest, payload: PinIn):
    """Disarm and delete. The duress PIN gets the very same answer, and sends the SOS."""
    return _with_pin(request, payload.pin, timers.delete)


def _wrong_pin(exc: timers.WrongPin) -> Status:
    return Status(403, {"detail": _("Wrong PIN."), "attempts_left": exc.attempts_left})
