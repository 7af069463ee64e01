"""Real Telegram update shapes (updates/*.json), posted to the webhook as Telegram does."""

import copy
import itertools
import json
from pathlib import Path

from .conftest import SECRET

UPDATES = Path(__file__).parent / "updates"
_ids = itertools.count(900000001)


def update(name: str, *, text: str | None = None, chat: int | None = None, **fields) -> dict:
    """A fixture update with a fresh update_id; `text` replaces the message's text."""
    data = copy.deepcopy(json.loads((UPDATES / f"{name}.json").read_text()))
    data["update_id"] = next(_ids)
    message = data.get("message")
    if text is not None:
        message["text"] = text
        message.pop("entities", None)
    if chat is not None:
        for part in (message, data.get("callback_query", {}).get("message")):
            if part:
                part["chat"]["id"] = chat
                if "from" in part and not part["from"]["is_bot"]:
                    part["from"]["id"] = chat
    data.update(fields)
    return data


def post(client, data, secret: str | None = SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    raw = data if isinstance(data, (bytes, str)) else json.dumps(data, ensure_ascii=False)
    return client.post(
        "/api/v1/inbound/telegram", raw, content_type="application/json", headers=headers
    )


def say(client, run_tasks, telegram, name: str = "text_start", **kwargs) -> list[dict]:
    """Post one update, run the worker, and return the replies that reached the Bot API."""
    before = len(telegram.sent)
    response = post(client, update(name, **kwargs))
    assert response.status_code == 200
    run_tasks()
    return telegram.sent[before:]


def label(name: str, lang: str = "ru") -> str:
    """A button's text as the person's keyboard shows it."""
    from django.utils import translation

    from habeas.bot.texts import BUTTONS

    with translation.override(lang):
        return str(BUTTONS[name])
