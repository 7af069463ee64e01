"""Inbound webhooks: an SMS that reached the hotline's number, posted by the SMS gateway."""

import logging

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from .errors import problem
from .schemas import ErrorOut, InboundSmsIn, InboundSmsOut
from .sms_intake import receive_text, signature_problem

log = logging.getLogger(__name__)
router = Router(tags=["inbound"])


# Why a request is refused: the summary, and the header it is about (with its message).
REFUSALS = {
    "unsigned": ("Signed requests only: X-Habeas-Timestamp and X-Habeas-Signature.", None, ""),
    "stale": ("The timestamp is outside the allowed window.", "X-Habeas-Timestamp", "stale"),
    "invalid": ("The signature does not match.", "X-Habeas-Signature", "invalid"),
}


def _signature_problem(request: HttpRequest) -> Status | None:
    if not (secret := settings.HABEAS_SMS_WEBHOOK_SECRET):
        return problem(403, "Inbound SMS is not configured on this server.")
    stamp = request.headers.get("X-Habeas-Timestamp", "")
    signed = stamp.encode() + b"." + request.body
    why = signature_problem(secret, stamp, request.headers.get("X-Habeas-Signature", ""), signed)
    return problem(401, *REFUSALS[why]) if why else None


@router.post(
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

    A payload carries the public reference of the app's idempotency key, so the SMS and a
    later retry from the app make one case. Signed with HMAC-SHA256 over "<timestamp>.<body>".
    """
    if (refused := _signature_problem(request)) is not None:
        log.warning("inbound SMS refused: %s", refused.value["detail"])
        return refused
    opened, parsed = receive_text(payload.sender, payload.text, payload.id or "")
    body = {
        "case_id": opened.case.public_id,
        "payload": parsed,
        "created": opened.created,
    }
    return Status(201 if opened.created else 200, body)
