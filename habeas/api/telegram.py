"""The Telegram bot's webhook: Telegram posts each update here (docs/telegram.md)."""

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from habeas.bot import updates

log = logging.getLogger(__name__)
router = Router(tags=["inbound"])


@router.post(
    "/inbound/telegram",
    response={200: dict, 401: dict, 404: dict},
    summary="An update from Telegram for the organisation's bot (called by Telegram)",
    include_in_schema=True,
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
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        data = None
    outcome = updates.handle(data)
    log.info("telegram update: %s", outcome)
    return JsonResponse({"ok": True})
