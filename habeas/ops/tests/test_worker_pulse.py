"""The worker's pulse is a thread of its own: it beats while a task takes long, a worker
stopped cleanly leaves the count at once, and a worker started beside a case whose dispatch
was lost offers that case within seconds (the watchdog's first round)."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import DETAINEE_BODY, test_database_url
from habeas.cases.models import Case
from habeas.dispatch import tasks as dispatch_tasks
from habeas.dispatch.models import Offer
from habeas.ops import beats
from habeas.ops.models import WorkerBeat

ROOT = Path(__file__).resolve().parents[3]


@task
def slow(seconds: float) -> None:
    time.sleep(seconds)


def wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def start_worker(tmp_path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "-v",
            "0",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": test_database_url(), "HABEAS_DEBUG": "1"},
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_from_its_own_thread_while_a_task_runs_long(monkeypatch):
    monkeypatch.setattr(beats, "BEAT_SECONDS", 0.1)
    during: list[str] = []
    real_beat = beats.beat
    task_thread: list[threading.Thread] = []

    def beat(worker_id: str) -> None:
        if task_thread and threading.current_thread() is not task_thread[0]:
            during.append(threading.current_thread().name)
        real_beat(worker_id)

    monkeypatch.setattr(beats, "beat", beat)
    slow.enqueue(1.0)
    task_thread.append(threading.current_thread())  # call_command runs tasks in this thread
    call_command(
        "worker", "--max-tasks", "1", "--no-startup-delay", "--no-reload", "--interval", "0.1",
        verbosity=0,
    )  # fmt: skip
    # Ten beat periods went by inside the task; the old loop beat only between rounds.
    assert len(during) >= 5
    assert set(during) == {"habeas-pulse"}


@pytest.mark.django_db(transaction=True)
def test_a_worker_stopped_cleanly_is_no_longer_counted(tmp_path):
    worker = start_worker(tmp_path)
    try:
        assert wait_for(lambda: beats.alive() == 1), (tmp_path / "worker.log").read_text()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    finally:
        worker.kill()
    log = (tmp_path / "worker.log").read_text()
    assert beats.alive() == 0, (log, list(WorkerBeat.objects.values()), worker.pid)
    assert not WorkerBeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_started_beside_a_lost_dispatch_offers_the_case(tmp_path, phone, lawyer_a):
    assert phone.sos(DETAINEE_BODY).status_code == 201
    case = Case.objects.get(public_id=phone.case_id)
    # Its dispatch_case died with the worker that had claimed it.
    DBTaskResult.objects.filter(task_path=dispatch_tasks.dispatch_case.module_path).update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=1), worker_ids=["killed"]
    )
    worker = start_worker(tmp_path)
    try:
        offered = wait_for(lambda: Offer.objects.filter(case=case).exists(), seconds=20)
    finally:
        worker.kill()
        worker.wait(timeout=10)
    assert offered, (tmp_path / "worker.log").read_text()
    assert Offer.objects.filter(case=case, lawyer=lawyer_a).count() == 1
