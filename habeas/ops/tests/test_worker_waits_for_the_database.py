"""`manage.py worker` beats, runs tasks like db_worker, and when the database is lost it
waits and tries again instead of exiting (db_worker 0.13 exits)."""

import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import task

from habeas.ops import beats
from habeas.ops.models import WorkerBeat

ran: list[int] = []


@task
def note(n: int) -> None:
    ran.append(n)


@pytest.fixture
def quiet_connections(monkeypatch):
    # As the run_tasks fixture: closing connections inside a test's transaction would close
    # the test's own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    monkeypatch.setattr("habeas.ops.management.commands.worker.connections.all", lambda: [])


def test_the_worker_runs_due_tasks_beats_and_removes_its_beat_when_it_stops(
    db, quiet_connections, monkeypatch
):
    ran.clear()
    note.enqueue(1)
    seen = []
    real_beat = beats.beat
    monkeypatch.setattr(
        beats, "beat", lambda worker_id: (seen.append(worker_id), real_beat(worker_id))
    )
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "w1", verbosity=0)
    assert ran == [1]
    assert seen == ["w1"]
    # Stopped cleanly: /healthz stops counting it at once, not a beat window later.
    assert not WorkerBeat.objects.filter(worker_id="w1").exists()


def test_a_lost_database_is_waited_out_and_the_tasks_still_run(
    db, quiet_connections, monkeypatch, caplog
):
    from django_tasks_db.management.commands.db_worker import Worker

    ran.clear()
    note.enqueue(2)
    real_run, failures, waits = Worker.run, [2], []

    def flaky_run(self):
        if failures[0]:
            failures[0] -= 1
            raise OperationalError('connection to server at "10.9.8.7" failed')
        return real_run(self)

    monkeypatch.setattr(Worker, "run", flaky_run)
    monkeypatch.setattr("habeas.ops.management.commands.worker.time.sleep", waits.append)
    with caplog.at_level(logging.WARNING, logger="habeas.ops.worker"):
        call_command("worker", "--batch", "--no-startup-delay", "--max-wait", "1.5", verbosity=0)
    assert ran == [2]
    assert waits[:2] == [1.0, 1.5]  # doubling, capped by --max-wait
    assert "database unreachable (OperationalError)" in caplog.text
    assert "database reachable again" in caplog.text
    assert "10.9.8.7" not in caplog.text


def test_at_verbosity_0_only_warnings_of_the_tasks_are_printed(db, quiet_connections):
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert logging.getLogger("django.tasks").level == logging.WARNING
    assert logging.getLogger("django_tasks_db").level == logging.WARNING
