"""`manage.py worker`: django-tasks-db's db_worker that beats, outlives a lost database, and
hands on the tasks that dead workers left behind.

db_worker (0.13) re-raises any database error other than "locked" out of its loop, so one
PostgreSQL restart or failover ended every worker and tasks (offers, deliveries) waited until
someone noticed. This runs the same Worker in short rounds and waits out a lost database with
backoff, then carries on. Its pulse (habeas.ops.pulse), a thread of its own, writes the
heartbeat /healthz reads and, in turn with the other workers, runs the watchdog: tasks of dead
workers back in the queue, lost dispatches dispatched again. A task this worker was running
when the database went away, or that failed on the database, goes back in the queue too
(habeas.ops.leftovers).
"""

import contextlib
import logging
import random
import signal
import sys
import threading
import time

from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import run_with_reloader
from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker as DbWorker

from habeas.ops import beats, leftovers
from habeas.ops.pulse import Pulse

logger = logging.getLogger("habeas.ops.worker")

# Tasks per round: a surge with the queue never empty still beats every few seconds.
ROUND_TASKS = 20


class Worker(DbWorker):
    """db_worker's Worker that remembers the task it runs until its end is recorded."""

    unfinished = None  # the id of a task whose end could not be recorded (a lost database)

    def run_task(self, db_task_result) -> None:
        self.unfinished = db_task_result.pk
        super().run_task(db_task_result)  # re-raises only when recording the end failed
        self.unfinished = None
        leftovers.retry_if_transient(db_task_result)


class Command(DbWorkerCommand):
    help = (
        "Run background tasks (as db_worker), writing a heartbeat for /healthz and waiting "
        "for the database to come back instead of exiting. -v 0 prints only warnings and "
        "failures; -v 1 also a line per task."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-wait",
            type=float,
            default=30.0,
            help="Longest wait, in seconds, between tries to reach a lost database (default 30).",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        # -v 0 of db_worker hides even failed tasks; here it hides only the per-task lines.
        if verbosity == 0:
            logging.getLogger(TASKS_LOGGER).setLevel(logging.WARNING)
            logger.setLevel(logging.WARNING)
        # django_tasks_db announces each start and end of a round: keep it to its warnings.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stderr))

    def handle(self, *, verbosity: int, reload: bool, batch: bool, **options) -> None:
        self.configure_logging(verbosity)
        if reload and not batch:
            # The reloader runs serve() in a thread, where signal handlers cannot be set; the
            # reloading parent stops it instead.
            run_with_reloader(lambda: self.serve(batch=batch, **options))
        else:
            self.serve(batch=batch, **options)

    def serve(
        self,
        *,
        queue_name: str,
        exclude_queues: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        max_wait: float,
        **_options,
    ) -> None:
        """Run rounds of tasks until stopped (or, with --batch, until none is due)."""
        queues = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if startup_delay and interval:
            time.sleep(random.random())  # noqa: S311 - spreads workers started together
        logger.info("worker %s started", worker_id)
        if threading.current_thread() is threading.main_thread():
            # Until the first round sets django-tasks-db's own handlers, a stop signal would
            # kill the process at once, leaving its first beat counted as a living worker:
            # end through `finally` (pulse.stop) instead.
            for stop in (signal.SIGTERM, signal.SIGINT):
                signal.signal(stop, _stop_now)
        pulse = Pulse(worker_id)
        try:
            self.rounds(
                pulse,
                queues,
                excluded,
                batch=batch,
                interval=interval,
                backend_name=backend_name,
                max_tasks=max_tasks,
                worker_id=worker_id,
                max_wait=max_wait,
            )
        finally:
            pulse.stop()

    def rounds(
        self,
        pulse: Pulse,
        queues: list[str],
        excluded: list[str],
        *,
        batch: bool,
        interval: float,
        backend_name: str,
        max_tasks: int | None,
        worker_id: str,
        max_wait: float,
    ) -> None:
        """Run rounds of tasks; between them, wait out a lost database."""
        first_wait = min(1.0, max_wait)
        wait, last_beat, done, lost = first_wait, 0.0, 0, False
        cut_short = None  # a task the database went away under, to queue again once back
        while max_tasks is None or done < max_tasks:
            worker = None
            try:
                if pulse.thread is None and time.monotonic() - last_beat >= beats.BEAT_SECONDS:
                    # The first beat, and every beat of a --batch run, in this thread; then
                    # the pulse's own thread beats, whatever a task is doing.
                    pulse.tick()
                    last_beat = time.monotonic()
                    if not batch:
                        pulse.start()
                if cut_short is not None:
                    leftovers.requeue_own(cut_short, worker_id)
                    cut_short = None
                worker = Worker(
                    queue_names=queues,
                    interval=0,
                    batch=True,
                    backend_name=backend_name,
                    startup_delay=False,
                    max_tasks=ROUND_TASKS
                    if max_tasks is None
                    else min(ROUND_TASKS, max_tasks - done),
                    worker_id=worker_id,
                    excluded_queue_names=excluded,
                )
                if threading.current_thread() is threading.main_thread():
                    worker.configure_signals()
                worker.run()
            except (OperationalError, InterfaceError) as exc:
                # Only the error's class: its text names the database's host and port.
                logger.warning(
                    "database unreachable (%s); trying again in %.1f s", type(exc).__name__, wait
                )
                lost = True
                if worker is not None and worker.unfinished is not None:
                    cut_short = worker.unfinished
                for conn in connections.all():
                    with contextlib.suppress(Exception):
                        conn.close()
                time.sleep(wait)
                wait, last_beat = min(wait * 2, max_wait), 0.0
                continue
            if lost:
                logger.warning("database reachable again")
            wait, lost = first_wait, False
            done += worker._run_tasks
            if not worker.running:  # a signal arrived during a task: it finished, now stop
                return
            if worker._run_tasks == 0:
                if batch:
                    return
                time.sleep(interval)


def _stop_now(signum, frame) -> None:
    sys.exit(0)
