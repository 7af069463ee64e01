"""A chat's conversation state: sealed, expiring, found by a keyed hash of the chat id."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from habeas.lib import sealing
from habeas.lib.keyed import keyed_hash

from .models import Conversation, ProcessedUpdate

PURPOSE = "bot-conversation"
UPDATES_KEPT = timedelta(days=2)


def chat_key(chat_id: int | str) -> str:
    return keyed_hash("bot-chat", str(chat_id))


def load(chat_id: int | str) -> dict:
    """The chat's state, or {} when it has none or it expired (an expired one is deleted)."""
    row = Conversation.objects.filter(chat_key=chat_key(chat_id)).first()
    if row is None:
        return {}
    if row.expires_at <= timezone.now():
        Conversation.objects.filter(pk=row.pk).delete()
        return {}
    return sealing.open_sealed(bytes(row.sealed), PURPOSE)


def save(chat_id: int | str, state: dict) -> None:
    """Keep the state for another HABEAS_BOT_CONVERSATION_MINUTES of silence."""
    minutes = settings.HABEAS_BOT_CONVERSATION_MINUTES
    Conversation.objects.update_or_create(
        chat_key=chat_key(chat_id),
        defaults={
            "sealed": sealing.seal(state, PURPOSE),
            "expires_at": timezone.now() + timedelta(minutes=minutes),
        },
    )


def purge() -> tuple[int, int]:
    """Delete expired conversations and old update ids; return how many of each."""
    now = timezone.now()
    conversations = Conversation.objects.filter(expires_at__lte=now).delete()[0]
    updates = ProcessedUpdate.objects.filter(received_at__lte=now - UPDATES_KEPT).delete()[0]
    return conversations, updates
