"""manage.py telegram_webhook sets the webhook with its secret; telegram_poll answers by long
polling, bounded and stoppable, against the fake Bot API."""

import io
import json
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from habeas.bot.models import ProcessedUpdate

from .conftest import SECRET
from .helpers import label, update

pytestmark = pytest.mark.django_db


def test_the_webhook_is_set_with_the_secret_token_and_the_updates_the_bot_reads(telegram, settings):
    settings.HABEAS_BASE_URL = "https://sos.example.org"
    call_command("telegram_webhook", stdout=io.StringIO())
    assert telegram.webhook["url"] == "https://sos.example.org/api/v1/inbound/telegram"
    assert telegram.webhook["secret_token"] == SECRET
    assert json.loads(telegram.webhook["allowed_updates"]) == ["message", "callback_query"]
    call_command("telegram_webhook", "--delete", stdout=io.StringIO())
    assert telegram.webhook is None


def test_no_webhook_is_set_without_a_secret(telegram, settings):
    settings.HABEAS_TELEGRAM_WEBHOOK_SECRET = ""
    with pytest.raises(CommandError):
        call_command("telegram_webhook")
    assert telegram.webhook is None


def test_polling_answers_each_update_once_through_the_outbox(telegram, run_tasks):
    telegram.updates = [update("text_start"), update("text_start", text="/id")]
    call_command("telegram_poll", "--once", "--timeout", "0", stdout=io.StringIO())
    call_command("telegram_poll", "--once", "--timeout", "0", stdout=io.StringIO())
    run_tasks()
    assert ProcessedUpdate.objects.count() == 2
    assert len(telegram.sent) == 2
    assert "424242" in telegram.sent[1]["text"]
    assert telegram.polls[1]["offset"] == str(telegram.updates[-1]["update_id"] + 1)
    assert len(telegram.polls) == 3, "the second run found nothing left to fetch"


def test_polling_stops_at_its_time_bound(telegram):
    telegram.updates = []
    started = time.monotonic()
    call_command("telegram_poll", "--seconds", "0.5", "--timeout", "0", stdout=io.StringIO())
    assert time.monotonic() - started < 5


def test_polling_stops_when_asked(telegram):
    from habeas.bot.management.commands.telegram_poll import Command

    command = Command(stdout=io.StringIO())
    threading.Timer(0.3, command._stop).start()
    started = time.monotonic()
    command.handle(once=False, timeout=0, seconds=0, max_updates=0)
    assert time.monotonic() - started < 5


def test_polling_refuses_clearly_when_a_webhook_is_set(telegram):
    telegram.updates = [update("text_start", text=label("detained"))]
    telegram.conflict = True
    with pytest.raises(CommandError, match="webhook"):
        call_command("telegram_poll", "--once", "--timeout", "0")
