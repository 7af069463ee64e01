"""A real outage: the worker's only road to PostgreSQL is cut for a few seconds (connections
refused, as in a restart or a failover). `manage.py worker` keeps running, reconnects, and
runs the task written meanwhile; db_worker alone would have exited at the first error."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import test_database_url
from habeas.ops.models import WorkerBeat

from .test_worker_waits_for_the_database import note

ROOT = Path(__file__).resolve().parents[3]


class Road:
    """A TCP forwarder to PostgreSQL that can be closed (refusing connections) and reopened."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.open_sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def open(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        # shutdown() first: a bare close() leaves accept() blocked in its thread, and the
        # port still listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.open_sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.open_sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_refused_database_and_then_runs_tasks(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a network outage needs a database server (CI runs this on PostgreSQL)")
    db = connection.settings_dict
    road = Road((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    road.open()
    url = test_database_url().replace(f":{db['PORT'] or 5432}/", f":{road.port}/")
    log = (tmp_path / "worker.log").open("w")
    env = {**os.environ, "DATABASE_URL": url, "HABEAS_DEBUG": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "--max-wait",
            "0.5",
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(WorkerBeat.objects.exists), "the worker never beat"
        road.close()
        refused = socket.socket()
        with pytest.raises(ConnectionRefusedError):
            refused.connect(("127.0.0.1", road.port))
        refused.close()
        time.sleep(3)
        assert worker.poll() is None, "the worker exited when the database went away"
        result = note.enqueue(7)  # written while the worker cannot reach the database
        road.open()
        assert wait_for(
            lambda: DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.SUCCESSFUL
        ), (tmp_path / "worker.log").read_text()
        assert worker.poll() is None
    finally:
        worker.kill()
        worker.wait(timeout=10)
        road.close()
        log.close()
    text = (tmp_path / "worker.log").read_text()
    assert "database unreachable (OperationalError)" in text
    assert "database reachable again" in text
