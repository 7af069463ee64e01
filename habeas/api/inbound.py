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


def _signature_problem(request: HttpRequest) -> Status | None:
    secret = settings.HABEAS_SMS_WEBHOOK_SECRET
    if not secret:
        return problem(403, "Inbound SMS is not configured on this server.")
    stamp = request.headers.get("X-Habeas-Timestamp", "")
    signature = request.headers.get("X-Habeas-Signature", "")
    why = signature_problem(secret, stamp, signature, stamp.encode() + b"." + request.body)
    if why == "unsigned":
        return problem(401, "Signed requests only: X-Habeas-Timestamp and X-Habeas-Signature.")
    if why == "stale":
        return problem(
            401, "The timestamp is outside the allowed window.", "X-Habeas-Timestamp", "stale"
        )
    if why == "invalid":
        return problem(401, "The signature does not match.", "X-Habeas-Signature", "invalid")
    return None


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
