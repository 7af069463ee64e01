"""The server killed with SIGKILL mid-surge: no acknowledged SOS is lost, none is stored twice.

Phones retry with the same idempotency key until they get an answer, as the PWA does; after the
restart every key is sent once more, and must name the case it named before. The bench's
larger version with database kills is `python -m bench.crash` (docs/benchmarks.md).
"""

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest import DETAINEE_BODY, test_database_url
from habeas.cases import services as cases
from habeas.cases.models import Case, Report

ROOT = Path(__file__).resolve().parents[3]
PHONES = 50
THREADS = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_command(port: int) -> list[str]:
    # The production server (docs/benchmarks.md) when it is installed; else Django's own,
    # which is as real a process to kill.
    if importlib.util.find_spec("granian"):
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "2",
                "--host", "127.0.0.1", "--port", str(port), "habeas.wsgi:application"]  # fmt: skip
    return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]


class Server:
    def __init__(self, port: int):
        self.port = port
        self.process = subprocess.Popen(
            _server_command(port),
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": test_database_url(),
                "HABEAS_DEBUG": "1",
                # One address sends every SOS here; the limits are tested elsewhere.
                "HABEAS_RATE_SOS_PER_NETWORK": "0",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # so the kill takes the server's workers with it
        )

    def wait_ready(self, seconds: float = 30) -> "Server":
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                httpx.get(
                    f"http://127.0.0.1:{self.port}/api/v1/cases/status", timeout=1
                )  # any answer
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def body_for(key: str) -> dict:
    # A different person per phone: reports about one person may merge into one case.
    return {**DETAINEE_BODY, "person": {**DETAINEE_BODY["person"], "full_name": f"Person {key}"}}


def send_until_answered(port: int, key: str, deadline: float) -> str | None:
    """Post one SOS until the server answers it; return the case id, or None at the deadline."""
    while time.monotonic() < deadline:
        try:
            response = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/cases",
                content=json.dumps(body_for(key)),
                headers={"Content-Type": "application/json", "Idempotency-Key": key},
                timeout=5,
            )
            if response.status_code in (200, 201):
                return response.json()["case_id"]
        except httpx.HTTPError:
            pass  # the server is down: try again, with the same key
        time.sleep(0.1)
    return None


@pytest.mark.django_db(transaction=True)
def test_killing_the_server_mid_surge_loses_and_duplicates_no_sos():
    port = _free_port()
    server = Server(port).wait_ready()
    keys = [f"crash-test-{n:04d}" for n in range(PHONES)]
    answers: dict[str, str | None] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + 60  # generous: a loaded CI machine starts servers slowly

    def lane(mine: list[str]) -> None:
        for key in mine:
            case_id = send_until_answered(port, key, deadline)
            with lock:
                answers[key] = case_id

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            lanes = [pool.submit(lane, keys[i::THREADS]) for i in range(THREADS)]
            while len(answers) < PHONES // 5 and time.monotonic() < deadline:
                time.sleep(0.01)
            server.kill()
            acknowledged_at_kill = len(answers)
            server = Server(port).wait_ready()
            for future in lanes:
                future.result()
        assert acknowledged_at_kill < PHONES, "the kill must land mid-surge to mean anything"
        assert None not in answers.values(), "every phone got an answer after the restart"

        # Every phone asks once more with its key: the same case, never a new one.
        again = {key: send_until_answered(port, key, time.monotonic() + 10) for key in keys}
    finally:
        server.kill()

    # The database keeps only a keyed hash of each key's reference.
    hashed = {cases.stored_key_of(key): key for key in keys}
    stored = {
        hashed[kept]: case_id
        for kept, case_id in Report.objects.filter(idempotency_key__in=hashed).values_list(
            "idempotency_key", "case__public_id"
        )
    }
    lost = [key for key in keys if key not in stored]
    assert lost == []
    assert Case.objects.count() == PHONES, "no duplicate case, and no case without its report"
    assert answers == stored, "each answer named the case that was stored"
    assert again == stored
