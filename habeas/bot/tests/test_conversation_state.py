"""What a chat typed so far is sealed, found by a keyed hash, and forgotten after silence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from habeas.bot import state
from habeas.bot.models import Conversation, ProcessedUpdate
from habeas.cases.models import Case

from .helpers import label, say

pytestmark = pytest.mark.django_db


def test_the_state_holds_no_name_or_chat_id_in_clear(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("detained"))
    say(client, run_tasks, telegram, text=label("skip"))
    say(client, run_tasks, telegram, text="Москва")
    say(client, run_tasks, telegram, text="Мария Иванова")
    row = Conversation.objects.get()
    assert "Мария".encode() not in bytes(row.sealed)
    assert "424242" not in row.chat_key
    assert state.load(424242)["data"]["name"] == "Мария Иванова"


def test_a_conversation_left_silent_is_forgotten(client, telegram, run_tasks):
    say(client, run_tasks, telegram, text=label("detained"))
    say(client, run_tasks, telegram, text=label("skip"))
    say(client, run_tasks, telegram, text="Москва")
    say(client, run_tasks, telegram, text="Мария Иванова")
    # HABEAS_BOT_CONVERSATION_MINUTES of silence have passed:
    Conversation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    say(client, run_tasks, telegram, text="12.04.1995")
    assert not Case.objects.exists(), "the date alone, after the silence, sends nothing"


def test_the_purge_deletes_expired_conversations_and_old_update_ids(db):
    state.save(1, {"step": "name"})
    state.save(2, {"step": "name"})
    Conversation.objects.filter(chat_key=state.chat_key(1)).update(expires_at=timezone.now())
    old = ProcessedUpdate.objects.create(update_id=1)
    ProcessedUpdate.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=3))
    ProcessedUpdate.objects.create(update_id=2)
    assert state.purge() == (1, 1)
    assert state.load(2) == {"step": "name"}
