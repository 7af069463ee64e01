"""Write messages into the outbox and record what delivery did.

Callers (cases, dispatch) call enqueue() inside their own transaction: the message and its
delivery task commit together with the event that caused them, or not at all.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from habeas.lib import sealing
from habeas.lib.keyed import keyed_hash

from . import channels
from .models import Follower, Message, PushSubscription, State

log = logging.getLogger(__name__)
PURPOSE = "outbox"


def enqueue(
    channel: str,
    address: str,
    subject: str,
    body: str,
    *,
    dedupe_key: str,
    recipient=None,
    options: dict | None = None,
) -> Message | None:
    """Put one message in the outbox and schedule its delivery, once per dedupe key.

    `options` go to the channel's send() as keywords (a Telegram reply's keyboard); they are
    sealed with the text, as a keyboard can repeat what the person typed.
    Returns None when the channel is not configured here (nothing to send it with).
    """
    from .tasks import deliver

    if not address or channels.get(channel) is None:
        return None
    content = {"address": address, "subject": subject, "body": body}
    if options:
        content["options"] = options
    message, created = Message.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "channel": channel,
            "recipient": recipient,
            "sealed": sealing.seal(content, PURPOSE),
        },
    )
    if created:
        # The task row is written by the database backend in this same transaction.
        deliver.enqueue(message.pk, 0)
    return message


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: base × 2^(attempts-1), capped."""
    base = settings.HABEAS_DELIVERY_BACKOFF_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def claim(message_id: int, attempts: int, watchdog: bool = False) -> tuple[Message, dict] | None:
    """Take a message for sending, if this task is still the one in charge of it.

    Every task names the attempt count it was scheduled for, so a stale task (its message
    already sent, retried or given up) does nothing, and one message never has two live tries.
    The claim commits before the provider is called: no transaction, and no SQLite write
    lock, is held across the network. A claim carries a lease; if the worker dies mid-send,
    the watchdog task scheduled for the lease's end finds it still "sending" and tries again.
    """
    from .tasks import deliver

    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None or message.attempts != attempts:
            return None
        if watchdog:
            stale = message.state == State.SENDING and message.lease_until <= now
            if not stale:
                return None
        elif message.state != State.PENDING:
            return None
        lease = timedelta(seconds=settings.HABEAS_DELIVERY_TIMEOUT * 3)
        message.state = State.SENDING
        message.attempts += 1
        message.lease_until = now + lease
        message.save(update_fields=["state", "attempts", "lease_until", "updated_at"])
        deliver.using(run_after=message.lease_until).enqueue(
            message.pk, message.attempts, watchdog=True
        )
    return message, sealing.open_sealed(message.sealed, PURPOSE)


def mark_sent(message: Message) -> None:
    """Record delivery and erase the address and text."""
    Message.objects.filter(pk=message.pk).update(
        state=State.SENT,
        sealed=None,
        sent_at=timezone.now(),
        lease_until=None,
        last_error="",
        updated_at=timezone.now(),
    )


def mark_failed(message: Message, error: str, permanent: bool) -> None:
    """Schedule another try with backoff, or give up after the last attempt."""
    from .tasks import deliver

    dead = permanent or message.attempts >= settings.HABEAS_DELIVERY_MAX_ATTEMPTS
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            state=State.DEAD if dead else State.PENDING,
            lease_until=None,
            last_error=error[:200],
            updated_at=timezone.now(),
        )
        if not dead:
            deliver.using(run_after=timezone.now() + backoff(message.attempts)).enqueue(
                message.pk, message.attempts
            )
    log.warning(
        "message %s via %s failed (try %s): %s%s",
        message.pk,
        message.channel,
        message.attempts,
        error,
        " - gave up" if dead else "",
    )


def erase(dedupe_prefix: str) -> int:
    """Destroy the sealed address and text of every undelivered message under this prefix,
    and every follower of a topic under it.

    For a case whose personal data is destroyed: a dead letter to a trusted contact must not
    outlive the case's purge. The row stays, dead and empty, so nothing is sent later.
    """
    # Followers under the same prefix (their addresses) go with it.
    Follower.objects.filter(topic__startswith=dedupe_prefix).delete()
    return Message.objects.filter(
        dedupe_key__startswith=dedupe_prefix, sealed__isnull=False
    ).update(sealed=None, state=State.DEAD, last_error="erased with the case's personal data")


@transaction.atomic
def retry(message_id: int) -> Message:
    """Send a dead message again (a dispatcher's decision in the console)."""
    from .tasks import deliver

    message = Message.objects.select_for_update().get(pk=message_id)
    if message.state == State.DEAD and message.sealed is not None:
        message.state = State.PENDING
        message.attempts = 0
        message.save(update_fields=["state", "attempts", "updated_at"])
        deliver.enqueue(message.pk, 0)
    return message


def subscribe_push(user, endpoint: str, p256dh: str, auth: str) -> tuple[PushSubscription, bool]:
    """Store a browser's push subscription for a member of staff; return it and whether it is new.

    The endpoint is unique: a browser that subscribes again, or that another member of staff
    now logs in on, updates the one row, so a shared laptop never notifies two people.
    """
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription, created


FOLLOWER_PURPOSE = "follower"


def address_hash(channel: str, address: str) -> str:
    """The keyed hash that names one recipient on one channel without saying who."""
    return keyed_hash("follower-address", f"{channel}:{address}")


def follow(topic: str, channel: str, address: str, language: str = "") -> bool:
    """Subscribe an address to a topic (once; a second call updates the language).

    Returns whether the subscription is new.
    """
    follower, created = Follower.objects.get_or_create(
        topic=topic,
        address_hash=address_hash(channel, address),
        defaults={
            "channel": channel,
            "sealed": sealing.seal({"address": address}, FOLLOWER_PURPOSE),
            "language": language,
        },
    )
    if not created and language and follower.language != language:
        Follower.objects.filter(pk=follower.pk).update(language=language)
    return created


def followers(topic: str) -> list[tuple[str, str, str]]:
    """(channel, address, language) of everyone following a topic."""
    return [
        (f.channel, sealing.open_sealed(f.sealed, FOLLOWER_PURPOSE)["address"], f.language)
        for f in Follower.objects.filter(topic=topic).order_by("pk")
    ]


def topics_of(channel: str, address: str) -> list[str]:
    """The topics one address follows, oldest first."""
    rows = Follower.objects.filter(address_hash=address_hash(channel, address))
    return list(rows.order_by("pk").values_list("topic", flat=True))


def unfollow(topic: str) -> int:
    """Forget everyone following a topic (its subject's personal data was destroyed)."""
    return Follower.objects.filter(topic=topic).delete()[0]
