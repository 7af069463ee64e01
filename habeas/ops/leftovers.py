"""Tasks a worker left unfinished, put back in the queue.

django-tasks-db (0.13) marks a task RUNNING when a worker claims it and never looks at it
again: if the worker is killed, or the database goes away before the end is recorded, the
row stays RUNNING and the task never runs; a task that failed on a lost connection or a
deadlock stays FAILED. Its model allows nothing else, so these rows are set back to READY
here, with an ordinary update of the library's own table (its code is not changed):
- `hand_on(dead)`: the RUNNING tasks of workers that stopped beating (the watchdog, for the
  others);
- `requeue_own(...)`: the task a living worker was running when its database went away;
- `retry_if_transient(row)`: a task that failed with a database connection error.

Every Habeas task is safe to run twice, and must stay so: each checks state under a row lock
before acting (offer_next, expire, fire_if_due, deliver's attempt count, purge_case's date),
and messages, the court's reminders among them, are written once per dedupe key. A task
that keeps dying with its worker (the machine runs out of memory in it) is tried MAX_CLAIMS
times, then marked FAILED.
"""

import logging
from datetime import timedelta

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger("habeas.ops.worker")

MAX_CLAIMS = 5
# The errors of a database that is away or busy for a moment (django.db wraps the driver's):
# worth another try, unlike a bug.
TRANSIENT = frozenset({"django.db.utils.OperationalError", "django.db.utils.InterfaceError"})


class WorkerLost(Exception):
    """What a task is marked FAILED with after MAX_CLAIMS workers died running it."""


def _put_back(rows: list[DBTaskResult], was: str, delay: timedelta = timedelta(0)) -> int:
    """Set these rows back to READY (those still in state `was`); give up on those tried
    MAX_CLAIMS times. Returns how many were put back."""
    now = timezone.now()
    back = [row.pk for row in rows if len(row.worker_ids) < MAX_CLAIMS]
    spent = [row.pk for row in rows if len(row.worker_ids) >= MAX_CLAIMS]
    queued = DBTaskResult.objects.filter(pk__in=back, status=was).update(
        status=TaskResultStatus.READY, run_after=now + delay, finished_at=None
    )
    if spent:
        DBTaskResult.objects.filter(pk__in=spent, status=was).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerLost.__name__}",
            traceback=f"given up: {MAX_CLAIMS} workers died running it",
        )
        log.warning("gave up on %s tasks tried by %s workers", len(spent), MAX_CLAIMS)
    return queued


def hand_on(dead: list[str]) -> int:
    """Put back the tasks that these dead workers left RUNNING; return how many.

    Scans the RUNNING rows (the library has no index for them), so it is called only when a
    worker has stopped beating, not every round.
    """
    if not dead:
        return 0
    dead_ids = set(dead)
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
    orphans = [row for row in running if row.worker_ids and row.worker_ids[-1] in dead_ids]
    queued = _put_back(orphans, TaskResultStatus.RUNNING)
    if orphans:
        log.warning("handed on %s tasks left running by %s dead workers", queued, len(dead_ids))
    return queued


def requeue_own(task_id, worker_id: str) -> bool:
    """Put back the task this worker was running when the database went away, if it is still
    marked RUNNING under this worker (no one else took it meanwhile)."""
    row = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).first()
    if row is None or not row.worker_ids or row.worker_ids[-1] != worker_id:
        return False
    queued = _put_back([row], TaskResultStatus.RUNNING) == 1
    if queued:
        log.warning("task %s cut short by the lost database: queued again", row.pk)
    return queued


def retry_if_transient(row: DBTaskResult) -> bool:
    """Queue again, after a short wait, a task that has just failed on a database connection
    error or a deadlock; return whether it was."""
    if row.status != TaskResultStatus.FAILED or row.exception_class_path not in TRANSIENT:
        return False
    delay = timedelta(seconds=2 ** len(row.worker_ids))  # 2, 4, 8, 16 s
    queued = _put_back([row], TaskResultStatus.FAILED, delay) == 1
    if queued:
        log.warning("task %s failed on the database: queued again", row.pk)
    return queued
