"""The workers' heartbeat: written by `manage.py worker`, read by /healthz, /metrics and the
watchdog that hands on the tasks of a worker that died (habeas.ops.pulse)."""

from datetime import timedelta

from django.utils import timezone

from .models import WorkerBeat

# A worker beats every BEAT_SECONDS from a thread of its own (a long task does not hold it
# back) and counts as alive for ALIVE_SECONDS: three beats in a row may be missed (a slow
# commit, a busy machine) before it counts as gone. A worker killed with SIGKILL therefore
# leaves /healthz's count within ALIVE_SECONDS; one stopped cleanly removes its row at once.
# With a one-minute window the stack test's killed worker was still counted at the end.
BEAT_SECONDS = 5
ALIVE_SECONDS = 3 * BEAT_SECONDS


def beat(worker_id: str) -> None:
    """Record that this worker is alive now."""
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})


def _since():
    return timezone.now() - timedelta(seconds=ALIVE_SECONDS)


def alive() -> int:
    """How many workers beat within the last ALIVE_SECONDS."""
    return WorkerBeat.objects.filter(seen_at__gte=_since()).count()


def silent() -> list[str]:
    """The ids of workers whose last beat is older than ALIVE_SECONDS: dead, or cut off from
    the database for that long."""
    return list(WorkerBeat.objects.filter(seen_at__lt=_since()).values_list("worker_id", flat=True))


def forget(worker_ids: list[str]) -> None:
    """Delete these workers' rows: stopped, or dead with their tasks handed on. A worker
    wrongly taken for dead writes its row again at its next beat."""
    WorkerBeat.objects.filter(worker_id__in=worker_ids).delete()
