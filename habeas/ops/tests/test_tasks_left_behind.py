"""Tasks a worker could not finish go back in the queue: those a dead worker left RUNNING
(handed on by the watchdog's round), the one the database went away under (queued again by
its own worker), and one that failed on a lost connection. django-tasks-db alone runs none of
them again."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from habeas.cases.models import Case
from habeas.dispatch import tasks as dispatch_tasks
from habeas.dispatch.models import Offer
from habeas.ops import beats, leftovers, pulse
from habeas.ops.models import Turn, WorkerBeat

calls: list[str] = []


@task
def flaky(fails: int) -> str:
    """Fails on the database `fails` times, then succeeds."""
    calls.append("call")
    if len(calls) <= fails:
        raise OperationalError("server closed the connection unexpectedly")
    return "done"


@task
def buggy() -> None:
    raise ValueError("a bug, not the database")


@pytest.fixture
def quiet_connections(monkeypatch):
    # As the run_tasks fixture: closing connections inside a test's transaction would close
    # the test's own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    monkeypatch.setattr("habeas.ops.management.commands.worker.connections.all", lambda: [])
    monkeypatch.setattr("habeas.ops.management.commands.worker.time.sleep", lambda s: None)
    calls.clear()


def run_worker(*args: str) -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "w1", *args, verbosity=0)


def died_in(case: Case, worker_id: str, claims: int = 1) -> DBTaskResult:
    """Mark the case's dispatch task as claimed by `worker_id`, which then died silently."""
    row = DBTaskResult.objects.get(task_path=dispatch_tasks.dispatch_case.module_path)
    row.status = TaskResultStatus.RUNNING
    row.started_at = timezone.now() - timedelta(minutes=2)
    row.worker_ids = [f"earlier-{n}" for n in range(claims - 1)] + [worker_id]
    row.save()
    beats.beat(worker_id)
    WorkerBeat.objects.filter(worker_id=worker_id).update(
        seen_at=timezone.now() - timedelta(seconds=beats.ALIVE_SECONDS + 1)
    )
    return row


def test_the_task_a_dead_worker_was_running_is_handed_on_and_the_case_offered_once(
    detainee, lawyer_a, run_tasks
):
    case = Case.objects.get(public_id=detainee.case_id)
    row = died_in(case, "killed-worker")
    beats.beat("living-worker")
    done = pulse.sweep(judge_the_silent=True)
    assert done == {"handed_on": 1, "redispatched": 0, "expired": 0}  # queued: not twice
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["living-worker"]
    run_tasks()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids[0] == "killed-worker"  # the library appended the new claim
    assert Offer.objects.filter(case=case, lawyer=lawyer_a).count() == 1


def test_a_living_workers_running_task_is_left_alone(detainee, lawyer_a):
    case = Case.objects.get(public_id=detainee.case_id)
    row = died_in(case, "busy-worker")
    beats.beat("busy-worker")  # it beats: alive, only its task is long
    assert pulse.sweep(judge_the_silent=True)["handed_on"] == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_worker_that_has_not_reached_the_database_for_a_window_judges_nobody(
    detainee, lawyer_a, run_tasks
):
    case = Case.objects.get(public_id=detainee.case_id)
    died_in(case, "quiet-worker")  # maybe dead, maybe only cut off as this one was
    done = pulse.sweep(judge_the_silent=False)
    assert done["handed_on"] == 0
    assert WorkerBeat.objects.filter(worker_id="quiet-worker").exists()
    # The dispatch watchdog does not wait for that judgement: the case is offered anyway.
    assert done["redispatched"] == 1
    run_tasks()
    assert Offer.objects.filter(case=case).count() == 1


def test_a_task_its_workers_died_in_five_times_is_given_up(detainee, lawyer_a):
    case = Case.objects.get(public_id=detainee.case_id)
    row = died_in(case, "fifth-worker", claims=leftovers.MAX_CLAIMS)
    pulse.sweep(judge_the_silent=True)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "habeas.ops.leftovers.WorkerLost"


def test_the_pulse_judges_the_silent_only_after_a_whole_window_of_its_own_beats(db, monkeypatch):
    judged: list[bool] = []
    monkeypatch.setattr(pulse, "sweep", lambda judge_the_silent: judged.append(judge_the_silent))
    mine = pulse.Pulse("w1")
    mine.tick()
    Turn.objects.update(due_at=timezone.now())
    mine.reachable_since -= beats.ALIVE_SECONDS
    mine.tick()
    assert judged == [False, True]


def test_the_watchdogs_round_is_one_workers_per_period(db):
    assert pulse.take_turn("watchdog", 5) is True
    assert pulse.take_turn("watchdog", 5) is False, "another worker asking at once"
    Turn.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert pulse.take_turn("watchdog", 5) is True


def test_a_task_the_database_went_away_under_is_queued_again_by_its_own_worker(
    db, quiet_connections, monkeypatch
):
    result = flaky.enqueue(1)
    real_set_failed = DBTaskResult.set_failed
    lost = [True]

    def set_failed(row, exc):
        if lost.pop() if lost else False:  # the database is still away: the end is not recorded
            raise OperationalError("the connection is lost")
        return real_set_failed(row, exc)

    monkeypatch.setattr(DBTaskResult, "set_failed", set_failed)
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "done")
    assert row.worker_ids == ["w1", "w1"]
    assert calls == ["call", "call"]


def test_a_task_that_failed_on_a_lost_connection_is_tried_again_after_a_short_wait(
    db, quiet_connections
):
    result = flaky.enqueue(1)
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY, "queued again, not left FAILED"
    assert timezone.now() < row.run_after <= timezone.now() + timedelta(seconds=2)
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    run_worker()
    row.refresh_from_db()
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "done")


def test_a_task_that_keeps_failing_on_the_database_is_given_up(db, quiet_connections):
    result = flaky.enqueue(99)
    for _ in range(leftovers.MAX_CLAIMS):
        DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
        run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == leftovers.MAX_CLAIMS


def test_a_bug_is_not_tried_again(db, quiet_connections):
    result = buggy.enqueue()
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
