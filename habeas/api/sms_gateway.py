"""The webhook of SMS Gateway for Android (https://sms-gate.app): an SMS that reached the
phone the organisation runs as its hotline's gateway (docs/sms.md).

Its `sms:received` event is signed by the app: `X-Signature` is the hex HMAC-SHA256, under
the signing key set in the app (Settings → Webhooks → Signing Key), of the raw body followed
by the `X-Timestamp` value (Unix seconds). Read in the gateway's documentation,
docs/features/webhooks.md, "Payload Signing" (github.com/android-sms-gateway/docs-web).
"""

import json
import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from ninja import Router

from habeas.dispatch import messages

from .schemas import PHONE_RE
from .sms_intake import receive_text, signature_problem

log = logging.getLogger(__name__)
router = Router(tags=["inbound"])

MAX_TEXT = 1600
SIGNATURE_REFUSALS = {
    "unsigned": "Signed requests only: X-Timestamp and X-Signature.",
    "stale": "The timestamp is outside the allowed window.",
    "invalid": "The signature does not match.",
}


def _answer(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def _signature_problem(request: HttpRequest) -> JsonResponse | None:
    key = settings.HABEAS_SMS_GATEWAY_SIGNING_KEY
    if not key:
        return _answer(404, "SMS Gateway for Android is not configured on this server.")
    stamp = request.headers.get("X-Timestamp", "")
    signature = request.headers.get("X-Signature", "")
    why = signature_problem(key, stamp, signature, request.body + stamp.encode())
    if why:
        return _answer(401, SIGNATURE_REFUSALS[why])
    return None


def _received(body) -> tuple[str, str, str] | None:
    """(sender, text, event id) of an sms:received event, or None when the shape is wrong."""
    payload = body.get("payload") if isinstance(body, dict) else None
    if not isinstance(payload, dict):
        return None
    sender, text = payload.get("phoneNumber"), payload.get("message")
    event_id = body.get("id") or payload.get("messageId") or ""
    if not (isinstance(sender, str) and isinstance(text, str) and isinstance(event_id, str)):
        return None
    sender = sender.strip()
    if not PHONE_RE.match(sender) or len(text) > MAX_TEXT or len(event_id) > 100:
        return None
    return sender, text, event_id


@router.post(
    "/inbound/sms-gateway",
    response={200: dict, 201: dict, 401: dict, 404: dict, 422: dict},
    summary="An event from SMS Gateway for Android (sms:received opens a case)",
    # Called by a provider in its own format, not by our clients: documented in docs/ and
    # kept out of the clients' OpenAPI; its own tests post hostile bodies instead of the fuzz.
    include_in_schema=False,
)
def inbound_sms_gateway(request: HttpRequest):
    """Open a case from an `sms:received` event; answer 200 to the app's other events.

    The sender of an SOS payload gets a short SMS back ("received, case X"), so they know it
    arrived. The event's `id` keys a free-text SMS (the app's `messageId` is derived from the
    content and may repeat).
    """
    if (refused := _signature_problem(request)) is not None:
        log.warning("SMS gateway webhook refused (%s)", refused.status_code)
        return refused
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _answer(422, "The body is not JSON.")
    if not isinstance(body, dict):
        return _answer(422, "The body is not a webhook event.")
    if body.get("event") != "sms:received":
        # sms:sent, sms:delivered, system:ping...: nothing to do, and nothing to retry.
        return JsonResponse({"ignored": True}, status=200)
    if (received := _received(body)) is None:
        return _answer(422, "An sms:received event needs payload.phoneNumber and payload.message.")
    sender, text, event_id = received
    opened, payload = receive_text(sender, text, event_id)
    if payload:
        messages.tell_sms_sender(opened.case, sender)
    answer = {"case_id": opened.case.public_id, "payload": payload, "created": opened.created}
    return JsonResponse(answer, status=201 if opened.created else 200)
