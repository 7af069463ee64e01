"""Background delivery of outbox messages (django.tasks on the database backend)."""

from django.tasks import task

from . import channels, services


# Above every other task (the default is 0): in a surge the worker's queue fills with new
# cases to dispatch, and an offer already made must reach its lawyer before the next is made.
@task(priority=10)
def deliver(message_id: int, attempts: int, watchdog: bool = False) -> str:
    """Send one message through its channel; on failure schedule a retry or give up.

    `attempts` is how many tries the message had when this task was scheduled; a watchdog
    task retries only a send that a dead worker left unfinished.
    """
    claimed = services.claim(message_id, attempts, watchdog)
    if claimed is None:
        return "skipped"
    message, content = claimed
    channel = channels.get(message.channel)
    if channel is None:
        services.mark_failed(message, "channel not configured", permanent=True)
        return "dead"
    try:
        channel.send(
            content["address"],
            content["subject"],
            content["body"],
            str(message.key),
            **content.get("options", {}),
        )
    except channels.PermanentFailure as exc:
        services.mark_failed(message, str(exc) or "refused", permanent=True)
        return "dead"
    except channels.TemporaryFailure as exc:
        services.mark_failed(message, str(exc) or "failed", permanent=False)
        return "retry"
    except Exception as exc:  # a provider library's surprise must not lose the message
        services.mark_failed(message, type(exc).__name__, permanent=False)
        return "retry"
    services.mark_sent(message)
    return "sent"
