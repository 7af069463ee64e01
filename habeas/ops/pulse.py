"""A worker's pulse: its heartbeat, and the watchdog's round when it is this worker's turn.

`manage.py worker` runs `Pulse.run` in a thread of its own, beside the thread that runs tasks,
so the beat keeps coming while a task takes long (a slow provider) and stops the moment the
process dies. Every BEAT_SECONDS the pulse beats, then asks the database whether the
watchdog's round is due (`take_turn`: one conditional update, so across any number of
workers one of them does it per SWEEP_SECONDS). The round:
- hands on the tasks of workers that stopped beating (habeas.ops.leftovers), judged only by a
  worker that has itself reached the database for a whole ALIVE_SECONDS (after an outage,
  everyone's beat is old; those who are alive beat again first);
- runs the dispatch watchdog (habeas.dispatch.watchdog): waiting cases whose dispatch was
  lost are dispatched again, overdue offers expired.
"""

import contextlib
import logging
import threading
import time
from datetime import timedelta

from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from habeas.dispatch import watchdog
from habeas.evidence import services as evidence

from . import beats, leftovers
from .models import Turn

log = logging.getLogger("habeas.ops.worker")

SWEEP_SECONDS = 5
# Uploads that stopped before their last byte are looked for once an hour (evidence app).
ABANDONED_SECONDS = 3600


def take_turn(name: str, every: float) -> bool:
    """Whether this caller does the chore `name` now; if so, the next turn is `every`
    seconds away for everyone."""
    now = timezone.now()
    Turn.objects.get_or_create(name=name, defaults={"due_at": now})
    mine = Turn.objects.filter(name=name, due_at__lte=now)
    return mine.update(due_at=now + timedelta(seconds=every)) == 1


def sweep(judge_the_silent: bool) -> dict:
    """One round of the watchdog; returns what it did, in counts."""
    handed_on = 0
    if judge_the_silent:
        dead = beats.silent()
        handed_on = leftovers.hand_on(dead)
        beats.forget(dead)
    swept = watchdog.sweep()
    return {
        "handed_on": handed_on,
        "redispatched": len(swept.redispatched),
        "expired": len(swept.expired),
    }


class Pulse:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.reachable_since: float | None = None  # monotonic; None while the database is away

    def tick(self) -> None:
        """Beat; do the watchdog's round if it is this worker's turn. Raises what the
        database raises."""
        try:
            beats.beat(self.worker_id)
            if self.reachable_since is None:
                self.reachable_since = time.monotonic()
            if take_turn("watchdog", SWEEP_SECONDS):
                settled = time.monotonic() - self.reachable_since >= beats.ALIVE_SECONDS
                try:
                    sweep(judge_the_silent=settled)
                except (OperationalError, InterfaceError):
                    raise
                except Exception:
                    # A fault in the round must not stop the beat, nor the worker.
                    log.exception("pulse: the watchdog's round failed")
            if take_turn("evidence", ABANDONED_SECONDS):
                try:
                    evidence.drop_abandoned()
                except (OperationalError, InterfaceError):
                    raise
                except Exception:
                    log.exception("pulse: dropping abandoned uploads failed")
        except (OperationalError, InterfaceError):
            self.reachable_since = None
            raise

    def start(self) -> None:
        """Beat from a thread of its own from now on (the first beat is the caller's)."""
        self.thread = threading.Thread(target=self._run, name="habeas-pulse", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop beating and remove this worker's row, so /healthz stops counting it now."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        with contextlib.suppress(OperationalError, InterfaceError):
            beats.forget([self.worker_id])

    def _run(self) -> None:
        try:
            while not self.stopping.wait(beats.BEAT_SECONDS):
                try:
                    self.tick()
                except (OperationalError, InterfaceError) as exc:
                    # Only the class: the text names the database's host. The task loop says
                    # the same and waits; this thread simply tries at its next beat.
                    log.info("pulse: database unreachable (%s)", type(exc).__name__)
                    with contextlib.suppress(Exception):
                        connection.close()  # this thread's own connection
                except Exception:
                    log.exception("pulse: the beat failed")
        finally:
            connection.close()
