"""The outbox: one row per message to one recipient over one channel.

Address and text are personal data (a relative's phone, a case link), so they are sealed
like reports and erased once the message is delivered.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelName(models.TextChoices):
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    WEBPUSH = "webpush", _("Web Push")
    SMS = "sms", _("SMS")


class State(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Failed: gave up")


class MessageQuerySet(models.QuerySet):
    def dead(self) -> "MessageQuerySet":
        return self.filter(state=State.DEAD).order_by("-updated_at")


class Message(models.Model):
    # Sent to providers that take one (SMS gateway, email Message-ID, Web Push topic) so that
    # a message retried after a crash can be recognised downstream as the same message.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What makes this message unique for its recipient: a redelivery never sends twice.
    dedupe_key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=16, choices=ChannelName.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # {"address": ..., "subject": ..., "body": ...}; None once delivered.
    sealed = models.BinaryField(null=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Short and free of personal data: "HTTP 500", "timeout", "refused".
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.dedupe_key}"


class PushSubscription(models.Model):
    """A staff browser that accepts Web Push; the endpoint is the provider's, not ours."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push:{self.user_id}"

    def as_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Follower(models.Model):
    """Someone who asked to hear about a topic (a case's public steps) on one channel.

    The notifications app knows nothing of cases: a topic is an opaque string the caller
    chooses ("case:17"). The address (a Telegram chat id) is sealed; its keyed hash finds the
    topics one address follows without opening every row.
    """

    topic = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=16, choices=ChannelName.choices)
    address_hash = models.CharField(max_length=64, db_index=True)
    sealed = models.BinaryField()
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "address_hash"], name="follower_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.topic}"
