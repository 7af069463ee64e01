"""Handle one Telegram update, from the webhook or from long polling: exactly once.

The update is marked as handled in the same transaction as everything it changes (the chat's
state, a subscription, the replies in the outbox), so a re-sent update changes nothing. An SOS
is the exception: it is its own durable commit (dispatch.receive_sos), made first, and keyed by
the chat and the update, so a crash between the two and Telegram's re-sending make one case.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import translation
from telegram import Update

from habeas.callbacks import services as callbacks
from habeas.dispatch import services as dispatch
from habeas.lib.keyed import keyed_hash
from habeas.notifications import services as notifications

from . import dialogue, state, texts
from .models import ProcessedUpdate

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60
# Telegram's update ids fit a signed 64-bit column; bool is an int in Python, and is refused.
MAX_UPDATE_ID = 2**62


def handle(data) -> str:
    """Act on one update (a decoded JSON object); return what happened, for logs and tests.

    Never raises: whatever Telegram or a forger sends, the caller answers 200.
    """
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if type(update_id) is not int or not 0 <= update_id < MAX_UPDATE_ID:
        return "ignored"
    if ProcessedUpdate.objects.filter(update_id=update_id).exists():
        return "replayed"
    try:
        return _handle(update_id, data)
    except Exception as exc:  # a bug must not make Telegram re-send the update forever
        log.exception("telegram update failed: %s", type(exc).__name__)
        return "failed"


def _parse(data: dict) -> Update | None:
    try:
        return Update.de_json(data, None)
    except Exception:  # any shape python-telegram-bot cannot read is not an update we serve
        return None


def _handle(update_id: int, data: dict) -> str:
    update = _parse(data)
    chat = update.effective_chat if update is not None else None
    if chat is None or chat.type != "private" or type(chat.id) is not int:
        # Groups, channel posts, membership changes, forged shapes: nothing to say.
        return _mark(update_id, "ignored")
    if _limited(chat.id):
        return _slow_down(update_id, chat.id)
    current = state.load(chat.id)
    turn = dialogue.respond(update, current)
    opened = key = None
    if turn.sos is not None:
        key = _sos_key(chat.id, update_id)
        intake = dialogue.intake_of(turn.sos["flow"], turn.sos["data"], chat.id)
        opened = dispatch.receive_sos(intake, idempotency_key=key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                processed = ProcessedUpdate.objects.create(update_id=update_id)
        except IntegrityError:
            return "replayed"  # handled by a concurrent delivery of the same update
        if turn.state is not None:
            state.save(chat.id, turn.state)
        if turn.callback is not None:
            callbacks.request_by_phone(turn.callback["case"], turn.callback["phone"])
        followed = turn.follow or (opened.case if opened else None)
        if followed is not None:
            notifications.follow(dialogue.topic(followed), "telegram", str(chat.id), turn.lang)
        replies = list(turn.replies)
        if opened is not None:
            replies.append(_received(turn, opened, key))
        for number, (text, markup) in enumerate(replies):
            notifications.enqueue(
                "telegram",
                str(chat.id),
                "",
                text,
                dedupe_key=f"bot:{processed.pk}:{number}",
                options={"reply_markup": markup} if markup else None,
            )
    if update_id % 50 == 0:
        state.purge()
    return "sos" if opened is not None else "handled"


def _received(turn: dialogue.Turn, opened, key: str) -> tuple[str, dict]:
    with translation.override(turn.lang):
        link = dialogue.watch_link(key)
        if turn.sos["flow"] == "self":
            text = texts.received(opened.case.public_id, link)
        else:
            text = texts.reported(opened.case.public_id, link)
            if shared := dialogue.deep_link(key):
                text += "\n" + texts.share(shared)
        return text, texts.menu_keyboard()


def _sos_key(chat_id: int, update_id: int) -> str:
    # The bot's id is part of it: another bot (a new token) counts its updates afresh.
    bot = settings.HABEAS_TELEGRAM_TOKEN.partition(":")[0]
    return "tg-" + keyed_hash("telegram-sos", f"{bot}:{chat_id}:{update_id}")[:40]


def _mark(update_id: int, outcome: str) -> str:
    try:
        with transaction.atomic():
            ProcessedUpdate.objects.create(update_id=update_id)
    except IntegrityError:
        return "replayed"
    return outcome


def _limited(chat_id: int) -> bool:
    """Count one update of this chat; whether it is over HABEAS_BOT_RATE_PER_CHAT a minute.

    The bot sits below the API, so it counts with the cache itself, as api/limits.py does;
    an unreachable cache lets the update through (a real SOS is never dropped for a counter).
    """
    limit = settings.HABEAS_BOT_RATE_PER_CHAT
    if limit <= 0:
        return False
    window = int(time.time() // WINDOW_SECONDS)
    name = f"rl:bot-chat:{state.chat_key(chat_id)[:32]}:{window}"
    try:
        cache.add(name, 0, timeout=WINDOW_SECONDS * 2)
        return cache.incr(name) > limit
    except Exception as exc:
        log.warning("bot rate limit not counted: %s", type(exc).__name__)
        return False


def _slow_down(update_id: int, chat_id: int) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    with transaction.atomic():
        if _mark(update_id, "limited") == "replayed":
            return "replayed"
        with translation.override(state.load(chat_id).get("lang") or "ru"):
            notifications.enqueue(
                "telegram",
                str(chat_id),
                "",
                texts.slow_down(),
                # One warning a minute, however much the chat keeps sending.
                dedupe_key=f"bot:slow:{state.chat_key(chat_id)[:24]}:{window}",
            )
    return "limited"
