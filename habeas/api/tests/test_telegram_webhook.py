"""The Telegram webhook: only Telegram (the secret token) gets in, each update counts once,
and nothing an update carries makes it answer anything but 200."""

import json

import pytest
from django.utils import translation

from habeas.bot import texts
from habeas.bot.models import Conversation, ProcessedUpdate
from habeas.bot.tests.conftest import SECRET
from habeas.bot.tests.helpers import label, post, say, update
from habeas.cases.models import Case
from habeas.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.HABEAS_TELEGRAM_WEBHOOK_SECRET = SECRET


def nothing_stored() -> bool:
    return not (ProcessedUpdate.objects.exists() or Message.objects.exists())


def test_without_a_secret_set_the_webhook_is_off(client, settings):
    settings.HABEAS_TELEGRAM_WEBHOOK_SECRET = ""
    assert post(client, update("text_start"), secret="").status_code == 404
    assert nothing_stored()


@pytest.mark.parametrize("secret", [None, "", "webhook-secret-for-test", SECRET + "x", "ß"])
def test_a_wrong_or_missing_secret_gets_401_and_stores_nothing(client, telegram, secret):
    response = post(client, update("text_start"), secret=secret)
    assert response.status_code == 401
    assert nothing_stored()


def test_start_is_answered_with_the_welcome_and_the_menu(client, telegram, run_tasks):
    [reply] = say(client, run_tasks, telegram)
    assert str(reply["chat_id"]) == "424242"
    with translation.override("ru"):
        assert reply["text"] == texts.welcome()
    assert "Habeas" in reply["text"]
    buttons = [b["text"] for row in json.loads(reply["reply_markup"])["keyboard"] for b in row]
    assert buttons == [
        label(name) for name in ("detained", "someone", "cases", "rights", "callback")
    ]


def test_a_replayed_update_id_changes_nothing(client, telegram, run_tasks):
    data = update("text_start", text=label("detained"))
    for _ in range(3):
        assert post(client, data).status_code == 200
    run_tasks()
    assert len(telegram.sent) == 1
    assert ProcessedUpdate.objects.count() == 1
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["edited_message", "my_chat_member", "channel_post", "forged", "callback_query"]
)
def test_updates_the_bot_does_not_serve_get_200(client, telegram, run_tasks, name):
    assert post(client, update(name)).status_code == 200
    run_tasks()
    if name != "callback_query":
        assert telegram.sent == []
        assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    "raw", [b"not json", b"[]", b"null", b'{"update_id": true}', b'{"update_id": -5}', b"\xff"]
)
def test_bodies_that_are_not_updates_get_200_and_store_nothing(client, telegram, raw):
    assert post(client, raw).status_code == 200
    assert nothing_stored()


def test_a_sticker_or_a_huge_text_gets_a_short_help_reply(client, telegram, run_tasks):
    [sticker] = say(client, run_tasks, telegram, "sticker")
    [huge] = say(client, run_tasks, telegram, text="я" * 10_000)
    assert sticker["text"] == huge["text"]
    assert len(huge["text"]) < 200
    assert not Case.objects.exists()


def test_a_chat_sending_too_much_is_told_once_to_wait(client, telegram, run_tasks, settings):
    settings.HABEAS_BOT_RATE_PER_CHAT = 2
    for _ in range(5):
        assert post(client, update("text_start", text="/id")).status_code == 200
    run_tasks()
    texts = [r["text"] for r in telegram.sent]
    assert len(texts) == 3
    assert texts.count(texts[-1]) == 1 and texts[-1] != texts[0]
