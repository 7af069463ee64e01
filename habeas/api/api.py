"""The JSON API for the PWA and other clients (OpenAPI at /api/v1/openapi.json)."""

import hashlib
import hmac
import logging
import re
import time
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Header, NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from habeas.cases import services
from habeas.cases.status import public_status
from habeas.dispatch import services as dispatch
from habeas.lib import smscodec
from habeas.timers import services as timers

from . import limits
from .schemas import (
    ErrorOut,
    InboundSmsIn,
    InboundSmsOut,
    PinIn,
    SosIn,
    SosOut,
    StatusOut,
    TimerIn,
    TimerOut,
    WrongPinOut,
)

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="Habeas API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_\-]{8,100}$")


def error(status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    return api.create_response(
        None,
        {"detail": detail, "errors": errors or []},
        status=status,  # type: ignore[arg-type]
    )


def problem(status: int, detail: str, field: str | None = None, message: str = "") -> Status:
    """An error answer in the API's one shape: a summary and a message per field."""
    return Status(
        status,
        {"detail": detail, "errors": [{"field": field, "message": message}] if field else []},
    )


def _field_name(loc) -> str:
    # ninja prefixes locations with ("body", "<param name>"); clients know only their fields.
    parts = [str(p) for p in loc if p not in ("body", "payload")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = [
        {"field": _field_name(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
        for e in exc.errors
    ]
    return error(422, "The request has invalid fields.", items)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error(413, f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError(400) for a body that is not JSON at all.
    field = [{"field": "body", "message": "not valid JSON"}] if exc.status_code == 400 else []
    return error(exc.status_code, str(exc), field)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(401, "A valid status token is required (Authorization: Bearer <token>).")


class StatusToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return services.case_for_token(token)


def _limited(request: HttpRequest, idempotency_key: str) -> HttpResponse | None:
    """429 with Retry-After when a network or one key sends too much; the app retries."""
    wait = limits.hit(
        "sos-net", limits.client_network(request), settings.HABEAS_RATE_SOS_PER_NETWORK
    ) or limits.hit("sos-key", idempotency_key, settings.HABEAS_RATE_SOS_PER_KEY)
    if wait is None:
        return None
    response = api.create_response(
        request,
        {"detail": "Too many requests: the SOS is kept and will be retried.", "errors": []},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _intake(payload: SosIn | TimerIn) -> services.Intake:
    person = payload.person
    loc = payload.location
    return services.Intake(
        kind=getattr(payload, "kind", "detention"),
        person=services.Person(**person.model_dump()) if person else services.Person(),
        location=services.Location(**loc.model_dump()) if loc else None,
        contacts=tuple({k: v for k, v in c.model_dump().items() if v} for c in payload.contacts),
        summons=(
            services.Summons(**payload.summons.model_dump())
            if getattr(payload, "summons", None)
            else None
        ),
    )


@api.post(
    "/cases",
    response={
        200: SosOut,
        201: SosOut,
        400: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Send an SOS",
    openapi_extra={
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": True,
                "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_RE.pattern},
                "description": "Client-chosen random key; a retry with it makes no new case.",
            }
        ]
    },
)
def send_sos(
    request: HttpRequest,
    payload: SosIn,
    idempotency_key: str = Header(None, alias="Idempotency-Key", include_in_schema=False),
):
    """Open a case, or return the one this idempotency key already opened."""
    if (refused := _key_problem(idempotency_key)) is not None:
        return refused
    if (limited := _limited(request, idempotency_key)) is not None:
        return limited
    try:
        opened = dispatch.receive_sos(_intake(payload), idempotency_key=idempotency_key)
    except services.IdempotencyConflict:
        return problem(
            409,
            "This Idempotency-Key was already used for a different SOS.",
            "Idempotency-Key",
            "reused",
        )
    body = {
        "case_id": opened.case.public_id,
        "status_token": opened.status_token,
        "status": opened.case.status,
    }
    return Status(201 if opened.created else 200, body)


def _etag(case) -> str:
    # The language is part of it because the message is translated for the reader.
    return f'W/"{case.updated_at.timestamp():.6f}-{get_language()}"'


@api.get(
    "/cases/status",
    response={200: StatusOut, 304: None, 401: ErrorOut, 429: ErrorOut},
    auth=StatusToken(),
    summary="The case's status and public timeline",
)
def case_status(request: HttpRequest):
    """Answer the detainee's or family's status screen; no staff notes, no personal data.

    Polled every couple of seconds, so an unchanged case answers 304 from one indexed lookup.
    """
    case = request.auth
    wait = limits.hit(
        "status", limits.client_network(request), settings.HABEAS_RATE_STATUS_PER_NETWORK
    )
    if wait is not None:
        response = api.create_response(request, {"detail": "Too many requests."}, status=429)
        response["Retry-After"] = str(wait)
        return response
    etag = _etag(case)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body = {**asdict(public_status(case)), "hotline_phone": settings.HABEAS_HOTLINE_PHONE}
        response = api.create_response(request, body, status=200)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache, private"
    response["Vary"] = "Authorization, Accept-Language, Cookie"
    return response


@api.post(
    "/cases/withdraw",
    response={200: StatusOut, 401: ErrorOut, 409: ErrorOut},
    auth=StatusToken(),
    summary="Withdraw the SOS as a false alarm",
)
def withdraw(request: HttpRequest):
    """Close the case as a false alarm, from the phone that sent it."""
    try:
        case = services.transition(request.auth.pk, "withdraw")
    except services.TransitionError:
        return problem(409, "The case is already closed.")
    return Status(
        200, {**asdict(public_status(case)), "hotline_phone": settings.HABEAS_HOTLINE_PHONE}
    )


# A signed webhook older or newer than this is refused, so a captured request cannot be replayed
# later; a replay inside the window makes no second case, because the idempotency key repeats.
WEBHOOK_WINDOW_SECONDS = 300


def _signature_problem(request: HttpRequest) -> Status | None:
    secret = settings.HABEAS_SMS_WEBHOOK_SECRET
    if not secret:
        return problem(403, "Inbound SMS is not configured on this server.")
    stamp = request.headers.get("X-Habeas-Timestamp", "")
    signature = request.headers.get("X-Habeas-Signature", "")
    if not stamp.isdigit() or not signature:
        return problem(401, "Signed requests only: X-Habeas-Timestamp and X-Habeas-Signature.")
    if abs(time.time() - int(stamp)) > WEBHOOK_WINDOW_SECONDS:
        return problem(
            401, "The timestamp is outside the allowed window.", "X-Habeas-Timestamp", "stale"
        )
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + request.body, hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), signature.lower()):
        return problem(401, "The signature does not match.", "X-Habeas-Signature", "invalid")
    return None


@api.post(
    "/inbound/sms",
    response={
        200: InboundSmsOut,
        201: InboundSmsOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    summary="An SMS that reached the hotline's number (called by the SMS gateway)",
)
def inbound_sms(request: HttpRequest, payload: InboundSmsIn):
    """Turn an SOS sent by SMS into a case; free text becomes a case for a dispatcher.

    A payload carries the app's idempotency key, so the SMS and a later retry from the app
    make one case. Signed with HMAC-SHA256 over "<timestamp>.<body>".
    """
    if (refused := _signature_problem(request)) is not None:
        log.warning("inbound SMS refused: %s", refused.value["detail"])
        return refused
    parsed = smscodec.parse(payload.text)
    if parsed is not None:
        intake = services.Intake(
            person=services.Person(
                full_name=parsed.full_name,
                date_of_birth=parsed.date_of_birth,
                phone=payload.sender,
            ),
            location=(
                services.Location(lat=parsed.lat, lon=parsed.lon)
                if parsed.lat is not None
                else None
            ),
            channel="sms",
        )
        opened = dispatch.receive_sos(intake, idempotency_key=parsed.key)
    else:
        key = (
            "sms-"
            + hashlib.sha256(f"{payload.sender}|{payload.id or payload.text}".encode()).hexdigest()[
                :40
            ]
        )
        intake = services.Intake(
            kind="other",
            person=services.Person(phone=payload.sender, note=payload.text),
            channel="sms",
        )
        opened = dispatch.receive_for_dispatchers(intake, idempotency_key=key)
    body = {
        "case_id": opened.case.public_id,
        "payload": parsed is not None,
        "created": opened.created,
    }
    return Status(201 if opened.created else 200, body)


class TimerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return timers.for_token(token)


def _key_problem(idempotency_key: str | None) -> Status | None:
    if not idempotency_key:
        return problem(
            400, "The Idempotency-Key header is required.", "Idempotency-Key", "required"
        )
    if not IDEMPOTENCY_KEY_RE.match(idempotency_key):
        return problem(
            400,
            "The Idempotency-Key header is malformed.",
            "Idempotency-Key",
            "8-100 characters of A-Z, a-z, 0-9, _ and -",
        )
    return None


@api.post(
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
    if (refused := _key_problem(idempotency_key)) is not None:
        return refused
    already = timers.CheckInTimer.objects.filter(idempotency_key=idempotency_key).exists()
    try:
        timer, token = timers.arm(
            _intake(payload),
            deadline=payload.deadline,
            pin=payload.pin,
            duress_pin=payload.duress_pin,
            idempotency_key=idempotency_key,
        )
    except timers.TimerError as exc:
        status = 409 if exc.field == "Idempotency-Key" else 422
        return problem(status, "The timer cannot be set.", exc.field, exc.message)
    body = {"timer_token": token, "deadline": timer.deadline, "state": timer.public_state}
    return Status(200 if already else 201, body)


@api.get(
    "/timers/status",
    response={200: TimerOut, 401: ErrorOut},
    auth=TimerToken(),
    summary="The timer's state",
)
def timer_status(request: HttpRequest):
    timer = request.auth
    return Status(200, {"deadline": timer.deadline, "state": timer.public_state})


@api.post(
    "/timers/checkin",
    response={200: TimerOut, 401: ErrorOut, 403: WrongPinOut, 422: ErrorOut},
    auth=TimerToken(),
    summary="Check in with the PIN",
)
def timer_checkin(request: HttpRequest, payload: PinIn):
    """Cancel the timer. The duress PIN gets the very same answer, and sends the SOS."""
    try:
        timer = timers.check_in(_bearer(request), payload.pin)
    except timers.WrongPin as exc:
        return Status(403, {"detail": "Wrong PIN.", "attempts_left": exc.attempts_left})
    return Status(200, {"deadline": timer.deadline, "state": timer.public_state})


@api.post(
    "/timers/delete",
    response={200: TimerOut, 401: ErrorOut},
    auth=TimerToken(),
    summary="Delete the details stored for the timer",
)
def timer_delete(request: HttpRequest):
    timer = timers.delete(_bearer(request))
    return Status(200, {"deadline": timer.deadline, "state": timer.public_state})


def _bearer(request: HttpRequest) -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


@api.post(
    "/cases/forget",
    response={200: StatusOut, 401: ErrorOut},
    auth=StatusToken(),
    summary="Delete my details from the server now",
)
def forget(request: HttpRequest):
    """The detainee destroys their own details at any time; the case's bare facts remain."""
    services.forget_details(request.auth.pk)
    case = services.Case.objects.get(pk=request.auth.pk)
    return Status(
        200, {**asdict(public_status(case)), "hotline_phone": settings.HABEAS_HOTLINE_PHONE}
    )
