"""Telegram through the Bot API (python-telegram-bot); the base URL is configurable."""

import asyncio
import logging

from django.conf import settings
from telegram import Bot, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from . import PermanentFailure, TemporaryFailure

# httpx logs each request's URL at INFO, and a Bot API URL carries the bot's token: whoever
# reads the worker's log could then read and send as the bot.
logging.getLogger("httpx").setLevel(logging.WARNING)


def configured() -> bool:
    return bool(settings.HABEAS_TELEGRAM_TOKEN)


def client(read_timeout: float | None = None) -> Bot:
    """A Bot for the configured token and API URL (also used by the bot's commands)."""
    timeout = settings.HABEAS_DELIVERY_TIMEOUT
    request = HTTPXRequest(
        connect_timeout=timeout,
        read_timeout=read_timeout or timeout,
        write_timeout=timeout,
    )
    return Bot(
        settings.HABEAS_TELEGRAM_TOKEN,
        base_url=settings.HABEAS_TELEGRAM_API_URL,
        request=request,
    )


def markup(data: dict | None):
    """The Bot API's reply_markup object for a plain dict kept in the (sealed) outbox."""
    if not data:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    if data.get("remove_keyboard"):
        return ReplyKeyboardRemove()
    return None


async def _send(chat_id: str, text: str, reply_markup: dict | None) -> None:
    async with client() as bot:
        await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup(reply_markup))


def send(address: str, subject: str, body: str, key: str, reply_markup: dict | None = None) -> None:
    text = f"{subject}\n{body}" if subject else body
    try:
        asyncio.run(_send(address, text, reply_markup))
    except (Forbidden, BadRequest) as exc:
        raise PermanentFailure(type(exc).__name__) from exc
    except (RetryAfter, TimedOut, NetworkError) as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
