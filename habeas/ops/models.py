"""One row per running task worker, touched every few seconds: how /healthz and /metrics know
that someone is taking tasks. The web process cannot ask a worker directly (other machines,
other processes), and the database is the one thing both always share."""

from django.db import models


class WorkerBeat(models.Model):
    # A random id per worker process: no host name or address, nothing about the machine.
    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class Turn(models.Model):
    """Whose turn a periodic chore is: every worker asks every few seconds, and the one whose
    update moves `due_at` forward does it. One row per chore; the database decides, so any
    number of workers on any number of machines do it once per period between them."""

    name = models.CharField(max_length=32, unique=True)
    due_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
