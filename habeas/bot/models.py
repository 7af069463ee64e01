"""The bot's memory: what one chat has said so far, and which updates were already handled."""

from django.db import models


class Conversation(models.Model):
    """One chat's place in a dialogue. What it holds (a name, a date of birth, a location)
    is personal data, so it is sealed, and forgotten after a short silence
    (HABEAS_BOT_CONVERSATION_MINUTES). The chat is named by a keyed hash: a copy of the
    database gives no list of who talked to the bot."""

    chat_key = models.CharField(max_length=64, unique=True)
    sealed = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"conversation:{self.pk}"


class ProcessedUpdate(models.Model):
    """An update_id the bot has handled: Telegram re-sends an update until it gets 200,
    and the unique constraint makes a re-sent one change nothing. Kept two days (Telegram
    keeps an unconfirmed update for 24 hours)."""

    update_id = models.BigIntegerField(unique=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"update:{self.update_id}"
