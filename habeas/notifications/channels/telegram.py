"""Telegram through the Bot API (python-telegram-bot); the base URL is configurable."""

import asyncio

from django.conf import settings
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from . import PermanentFailure, TemporaryFailure


def configured() -> bool:
    return bool(settings.HABEAS_TELEGRAM_TOKEN)


async def _send(chat_id: str, text: str) -> None:
    timeout = settings.HABEAS_DELIVERY_TIMEOUT
    request = HTTPXRequest(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout)
    bot = Bot(
        settings.HABEAS_TELEGRAM_TOKEN,
        base_url=settings.HABEAS_TELEGRAM_API_URL,
        request=request,
    )
    async with bot:
        await bot.send_message(chat_id=chat_id, text=text)


def send(address: str, subject: str, body: str, key: str) -> None:
    text = f"{subject}\n{body}" if subject else body
    try:
        asyncio.run(_send(address, text))
    except (Forbidden, BadRequest) as exc:
        raise PermanentFailure(type(exc).__name__) from exc
    except (RetryAfter, TimedOut, NetworkError) as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
