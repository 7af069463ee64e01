"""Start and stop Habeas as production runs it: a real server, production settings, a worker.

Everything binds to 127.0.0.1. Databases are the bench's own: a SQLite file in a temporary
folder, or a `habeas_bench` database on the local PostgreSQL that is dropped afterwards.
"""

import base64
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/habeas_bench")
CORES = os.cpu_count() or 2
# The server the scenarios other than the surge comparison run on (docs/benchmarks.md, 6).
DEFAULT_SERVER = os.environ.get("BENCH_SERVER", "granian")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_secrets() -> dict:
    """A deployment's keys. Drawn once per database: a server restarted with other keys would
    answer a retried SOS with 409 (its fingerprint is keyed) and could not open sealed data."""
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HABEAS_DATA_KEYS": f"kbench:{key}",
        "HABEAS_INDEX_KEY": secrets.token_urlsafe(32),
    }


def production_env(database_url: str, var_dir: Path, keys: dict, **extra: str) -> dict:
    """The environment of a production start: no debug, every secret set, plain HTTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HABEAS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(keys)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.benchsite.settings",
        HABEAS_ALLOWED_HOSTS="127.0.0.1,localhost",
        HABEAS_SSL_REDIRECT="0",  # TLS ends at the proxy in front; loopback has none
        HABEAS_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        # Reusing connections is the production setting we recommend; see docs/benchmarks.md.
        HABEAS_DB_CONN_MAX_AGE=os.environ.get("BENCH_CONN_MAX_AGE", "60"),
        HABEAS_LOG_LEVEL="WARNING",
        HABEAS_STATIC_ROOT=str(var_dir),  # the API serves no static files; silences whitenoise
        # All load comes from 127.0.0.1, which here stands for thousands of phone networks: the
        # limiter still counts every SOS, only its cap is lifted. The flood sets its own.
        HABEAS_RATE_SOS_PER_NETWORK=os.environ.get("BENCH_RATE_SOS_PER_NETWORK", "1000000000"),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),  # this checkout's habeas, even where another is installed
    )
    env.update(extra)
    return env


def server_command(server: str, port: int, workers: int | None = None) -> list[str]:
    """The command line of each server candidate, tuned as we would deploy it on 2 cores."""
    bind = ["127.0.0.1", str(port)]
    if server == "gunicorn":
        # Sync workers: one request at a time each; 2×cores+1 is gunicorn's own advice, and
        # a worker waiting on a commit (fsync) leaves the CPU to another.
        return [
            str(VENV_BIN / "gunicorn"),
            "bench.benchsite.wsgi:application",
            "--workers",
            str(workers or 2 * CORES + 1),
            "--bind",
            ":".join(bind),
            "--backlog",
            "2048",
        ]
    if server == "granian":
        # One process per core; a few blocking threads each so commits overlap with work.
        return [
            str(VENV_BIN / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(workers or CORES),
            "--blocking-threads",
            os.environ.get("BENCH_GRANIAN_THREADS", "4"),
            "--host",
            bind[0],
            "--port",
            bind[1],
            "--backlog",
            "2048",
            "--no-access-log",
            "--log-level",
            "warning",
            "bench.benchsite.wsgi:application",
        ]
    if server == "uvicorn":
        # ASGI: Django runs the sync views in a thread, one at a time per process.
        return [
            str(VENV_BIN / "uvicorn"),
            "bench.benchsite.asgi:application",
            "--workers",
            str(workers or CORES),
            "--host",
            bind[0],
            "--port",
            bind[1],
            "--backlog",
            "2048",
            "--no-access-log",
            "--log-level",
            "warning",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
        ]
    raise ValueError(f"unknown server {server!r}")


class Database:
    """A fresh bench database, migrated; `drop()` removes it."""

    def __init__(self, kind: str, url: str | None = None):
        self.kind = kind
        self.keys = new_secrets()
        self.tmp = Path(tempfile.mkdtemp(prefix="habeas-bench-"))
        if kind == "sqlite":
            self.url = f"sqlite:///{self.tmp / 'bench.sqlite3'}"
        elif kind == "postgres":
            self.url = url or PG_URL
        else:
            raise ValueError(f"unknown database {kind!r}")

    def create(self) -> "Database":
        if self.kind == "postgres":
            self._pg("dropdb", "--if-exists")
            self._pg("createdb")
        self.manage("migrate", "--noinput", "-v", "0")
        return self

    def _pg(self, tool: str, *args: str) -> None:
        rest, name = self.url.rsplit("/", 1)
        port = rest.rsplit(":", 1)[1]
        subprocess.run(  # noqa: S603 - our own fixed commands
            [tool, "-h", "127.0.0.1", "-p", port, "-U", "postgres", *args, name],
            check=True,
            timeout=60,
        )

    def env(self, **extra: str) -> dict:
        return production_env(self.url, self.tmp, self.keys, **extra)

    def manage(self, *args: str, **extra: str) -> None:
        subprocess.run(  # noqa: S603 - our own fixed commands
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            check=True,
            timeout=600,
        )

    def sql(self, query: str) -> list[tuple]:
        """Run one read query outside Django, for counting what the database holds."""
        if self.kind == "sqlite":
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as db:
                return db.execute(query).fetchall()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(query).fetchall()

    def execute(self, query: str) -> None:
        """Run one write outside Django (resetting state between runs)."""
        if self.kind == "sqlite":
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=60) as db:
                db.execute(query)
            return
        import psycopg

        # Autocommit: VACUUM refuses to run inside a transaction.
        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as db:
            db.execute(query)

    def drop(self) -> None:
        if self.kind == "postgres":
            self._pg("dropdb", "--if-exists", "--force")
        shutil.rmtree(self.tmp, ignore_errors=True)


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log = self.log_path.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - our own fixed commands
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group: gunicorn's and granian's workers die with their master."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # exited meanwhile
                os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=15)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)
        self.log.close()


class Server(Process):
    def __init__(self, server: str, db: Database, port: int | None = None, workers=None, **env):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = server
        if server == "uvicorn":
            # Persistent connections are per thread, and under ASGI sync views run on threads
            # that come and go: they piled up until PostgreSQL refused more ("too many clients").
            env = {"HABEAS_DB_CONN_MAX_AGE": "0", **env}
        super().__init__(server, server_command(server, self.port, workers), db.env(**env), db.tmp)

    def wait_ready(self, timeout: float = 120) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.post(self.base + "/api/bench/noop", timeout=2).status_code == 201:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()  # never leave a half-started server behind
        raise RuntimeError(
            f"{self.name} not ready in {timeout}s: {self.log_path.read_text()[-2000:]}"
        )


class Worker(Process):
    """`manage.py db_worker` as production runs it: its own process, the interval of make run."""

    def __init__(self, db: Database, interval: float = 0.2, index: int = 0, **env):
        args = [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            str(interval),
            "--no-reload",
            "--no-startup-delay",
        ]
        super().__init__(f"worker{index}", args, db.env(**env), db.tmp)
