"""The Telegram bot's webhook: Telegram posts each update here (docs/telegram.md)."""

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from ninja import Router

from habeas.bot import updates

log = logging.getLogger(__name__)
router = Router(tags=["inbound"])

# Telegram's updates can pass the API's body limit (a 4096-character message quoting another),
# and a 413 would make Telegram re-send the update forever: the webhook reads up to this much
# itself and ignores anything larger.
MAX_BODY = 256 * 1024


def _body(request: HttpRequest) -> bytes | None:
    try:
        raw = request.read(MAX_BODY + 1)
    except RawPostDataException:  # something already read it through request.body
        raw = request.body
    return raw if len(raw) <= MAX_BODY else None


@router.post(
    "/inbound/telegram",
    response={200: dict, 401: dict, 404: dict},
    summary="An update from Telegram for the organisation's bot (called by Telegram)",
    # Called by a provider in its own format, not by our clients: documented in docs/ and
    # kept out of the clients' OpenAPI; its own tests post hostile bodies instead of the fuzz.
    include_in_schema=False,
)
def inbound_telegram(request: HttpRequest) -> HttpResponse:
    """Hand one update to the bot. Checked with X-Telegram-Bot-Api-Secret-Token.

    Whatever the update is, a correctly signed request gets 200: Telegram re-sends anything
    else until it succeeds, and holds back the chat's later updates meanwhile.
    """
    secret = settings.HABEAS_TELEGRAM_WEBHOOK_SECRET
    if not secret:
        return JsonResponse(
            {"detail": "The Telegram bot is off on this server.", "errors": []}, status=404
        )
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        log.warning("telegram webhook refused: wrong or missing secret token")
        return JsonResponse(
            {"detail": "A valid X-Telegram-Bot-Api-Secret-Token is required.", "errors": []},
            status=401,
        )
    raw = _body(request)
    try:
        data = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        data = None
    outcome = updates.handle(data)
    log.info("telegram update: %s", outcome)
    return JsonResponse({"ok": True})
