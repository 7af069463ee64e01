"""The workers' heartbeat: written by `manage.py worker`, read by /healthz and /metrics."""

from datetime import timedelta

from django.utils import timezone

from .models import WorkerBeat

# A worker beats every BEAT_SECONDS and counts as alive for ALIVE_SECONDS: four beats may be
# missed (a 10 s delivery timeout, a slow commit) before monitoring hears of it.
BEAT_SECONDS = 15
ALIVE_SECONDS = 60
# Rows of workers gone this long are deleted, so the table stays as small as the pool.
FORGET_AFTER = timedelta(hours=1)


def beat(worker_id: str) -> None:
    """Record that this worker is alive now; forget workers silent for an hour."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})
    WorkerBeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def alive() -> int:
    """How many workers beat within the last ALIVE_SECONDS."""
    since = timezone.now() - timedelta(seconds=ALIVE_SECONDS)
    return WorkerBeat.objects.filter(seen_at__gte=since).count()
