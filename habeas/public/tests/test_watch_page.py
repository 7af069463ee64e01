"""The contacts' read-only status page, and its way into the Telegram bot."""

import re

from conftest import DETAINEE_BODY
from habeas.cases.models import Case
from habeas.cases.services import case_for_watch_token
from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message


def watch_token(phone, settings) -> str:
    settings.DEBUG = True  # the demo channel stands in for providers
    body = {**DETAINEE_BODY, "contacts": [{"email": "mama@example.org"}]}
    assert phone.sos(body).status_code == 201
    mail = open_sealed(Message.objects.get(channel="email").sealed, "outbox")
    token = re.search(r"/s/([A-Za-z0-9_-]+)", mail["body"]).group(1)
    assert case_for_watch_token(token) == Case.objects.get()
    return token


def test_the_page_offers_the_bots_deep_link_when_the_bot_is_named(client, phone, settings):
    token = watch_token(phone, settings)
    settings.HABEAS_TELEGRAM_BOT_NAME = "habeas_help_bot"
    html = client.get(f"/s/{token}").content.decode()
    assert f'href="https://t.me/habeas_help_bot?start={token}"' in html
    assert "Мария" not in html, "status and station only"


def test_without_a_bot_there_is_no_telegram_link(client, phone, settings):
    token = watch_token(phone, settings)
    settings.HABEAS_TELEGRAM_BOT_NAME = ""
    assert "t.me" not in client.get(f"/s/{token}").content.decode()


def test_a_wrong_token_is_a_404(client, db):
    assert client.get("/s/not-a-token").status_code == 404
