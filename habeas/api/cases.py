"""The SOS resource: send one, withdraw it, delete my details (the detainee's phone)."""

import re
from dataclasses import asdict

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Header, Router, Status
from ninja.security import HttpBearer

from habeas.cases import services as cases
from habeas.cases.status import public_status
from habeas.court import public as court
from habeas.dispatch import services as dispatch

from . import limits
from .errors import INVALID, message, problem, refused
from .schemas import ErrorOut, SosIn, SosOut, StatusOut, TimerIn

router = Router(tags=["cases"])

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_\-]{8,100}$")
# Keys Habeas makes itself (a fired timer, a free-text SMS): never taken from a client, so
# nobody can claim one first and make that SOS vanish.
RESERVED_PREFIXES = ("timer-", "sms-", "forgotten-")
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_RE.pattern},
    "description": "Client-chosen random key; a retry with it makes no new case.",
}


class StatusToken(HttpBearer):
    """The bearer of a status link: request.auth is their report, with its case."""

    def authenticate(self, request: HttpRequest, token: str):
        return cases.report_for_token(token)


def key_problem(idempotency_key: str | None, *, sos: bool = True) -> Status | None:
    """400 for a missing, malformed or (for an SOS) reserved Idempotency-Key, else None."""
    if not idempotency_key:
        code = "key_required"
    elif not IDEMPOTENCY_KEY_RE.match(idempotency_key):
        code = "key_malformed"
    elif sos and idempotency_key.lower().startswith(RESERVED_PREFIXES):
        code = "key_reserved"
    else:
        return None
    text = str(INVALID[code])
    return problem(400, text, "Idempotency-Key", text, code)


def _limited(request: HttpRequest, idempotency_key: str):
    """429 with Retry-After when a network or one key sends too much; the app retries."""
    wait = limits.sos_wait(request, idempotency_key)
    if wait is None:
        return None
    return limits.too_many("Too many requests: the SOS is kept and will be retried.", wait)


def intake_of(payload: SosIn | TimerIn) -> cases.Intake:
    """The domain's Intake from a validated SOS or timer body."""
    person = payload.person
    loc = payload.location
    role = getattr(payload, "reporter_role", "self")
    reporter = getattr(payload, "reporter", None)
    return cases.Intake(
        kind=getattr(payload, "kind", "detention"),
        reporter_role=role,
        # A relative or witness who gives no contact of their own is still not the person.
        reporter=(
            cases.Reporter(**(reporter.model_dump() if reporter else {}))
            if role != "self"
            else None
        ),
        person=cases.Person(**person.model_dump()) if person else cases.Person(),
        location=cases.Location(**loc.model_dump()) if loc else None,
        contacts=tuple({k: v for k, v in c.model_dump().items() if v} for c in payload.contacts),
        city=payload.city,
        # The app's language, as the request says (Accept-Language, read by LocaleMiddleware).
        language=get_language() or "",
        summons=(
            cases.Summons(**payload.summons.model_dump())
            if getattr(payload, "summons", None)
            else None
        ),
        aid=(
            cases.AidRequest(**payload.request.model_dump())
            if getattr(payload, "request", None)
            else None
        ),
    )


def status_body(case, report=None) -> dict:
    """The status screen's answer; `report` is the viewer's own (their role words the
    heading: the person themselves, or a relative or witness)."""
    own = report is None or report.reporter_role == "self"
    court_stage = court.for_the_person(case)
    return {
        **asdict(public_status(case, own=own)),
        "hotline_phone": settings.HABEAS_HOTLINE_PHONE,
        "court": asdict(court_stage) if court_stage else None,
    }


@router.post(
    "/cases",
    response={
        200: SosOut,
        201: SosOut,
        400: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
        503: ErrorOut,  # the database is unreachable: not received, send it again (unavailable.py)
    },
    summary="Send an SOS",
    openapi_extra={"parameters": [IDEMPOTENCY_KEY_PARAMETER]},
)
def send_sos(
    request: HttpRequest,
    payload: SosIn,
    idempotency_key: str = Header(None, alias="Idempotency-Key", include_in_schema=False),
):
    """Open a case, or return the one this idempotency key already opened.

    A report of a person who already has a case (same name and date of birth) joins it:
    `merged` is true and `case_id` is that case's; it is not offered to a second lawyer.
    """
    if (bad_key := key_problem(idempotency_key)) is not None:
        return bad_key
    if (limited := _limited(request, idempotency_key)) is not None:
        return limited
    try:
        opened = dispatch.receive_sos(intake_of(payload), idempotency_key=idempotency_key)
    except cases.IdempotencyConflict as exc:
        return problem(409, message(exc), "Idempotency-Key", message(exc), exc.code)
    body = {
        "case_id": opened.case.public_id,
        "status_token": opened.status_token,
        "status": opened.case.status,
        "merged": opened.merged,
    }
    return Status(201 if opened.created else 200, body)


@router.post(
    "/cases/withdraw",
    response={200: StatusOut, 401: ErrorOut, 409: ErrorOut},
    auth=StatusToken(),
    summary="Withdraw the SOS as a false alarm",
)
def withdraw(request: HttpRequest):
    """Close the case as a false alarm, from the phone that sent it."""
    try:
        case = dispatch.withdraw(request.auth)
    except cases.TransitionError as exc:
        return refused(409, exc)
    return Status(200, status_body(case, request.auth))


FORGET_ANSWERS = {200: StatusOut, 401: ErrorOut}


@router.post(
    "/cases/forget",
    response=FORGET_ANSWERS,
    auth=StatusToken(),
    summary="Delete my details from the server now",
)
def forget(request: HttpRequest):
    """The detainee destroys their own details at any time; the case's bare facts remain."""
    return Status(200, status_body(dispatch.forget(request.auth), request.auth))
