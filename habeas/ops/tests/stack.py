"""The production stack on this machine, for test_whole_stack: as docs/deploy.md installs it.

PostgreSQL (the machine's, at 127.0.0.1:5432, in a database of this run's own), a Redis of
its own, two web servers started with deploy/systemd/habeas-web.service's own command, two
`manage.py worker` started with habeas-worker@.service's, and Caddy running deploy/Caddyfile
in front of both. Every process gets the environment of deploy/habeas.env.example with fresh
keys and no HABEAS_DEBUG. Every child is killed when the `with` block ends, however it ends.
"""

import base64
import contextlib
import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
# What a unit's ExecStart names under /srv/habeas/app, found in this checkout instead.
INSTALLED = "/srv/habeas/app/.venv/bin/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        raise RuntimeError(f"the stack test needs {name}: .ci/run installs it (apt-get install)")
    return found


def template_env() -> dict[str, str]:
    """Every KEY=value of deploy/habeas.env.example, as systemd's EnvironmentFile reads it."""
    values = {}
    for line in (DEPLOY / "habeas.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def unit_command(unit: str) -> list[str]:
    """The ExecStart of one of deploy/systemd's units, split as systemd splits it."""
    text = (DEPLOY / "systemd" / unit).read_text().replace("\\\n", " ")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    return [
        str(BIN / word.removeprefix(INSTALLED)) if word.startswith(INSTALLED) else word
        for word in shlex.split(line.removeprefix("ExecStart="))
    ]


def with_option(argv: list[str], option: str, value: str) -> list[str]:
    """`argv` with `option`'s value replaced (the unit's port and worker count, here)."""
    at = argv.index(option)
    return [*argv[: at + 1], value, *argv[at + 2 :]]


def wait_until(check, seconds: float, what: str, step: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(step)
    raise TimeoutError(f"{what}: not within {seconds:.0f} s")


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Process:
    """One child in a session of its own, so that kill -9 takes its whole process group
    (granian's worker processes with it), as systemd's cgroup would."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path, port: int | None = None):
        self.name, self.argv, self.env, self.log, self.port = name, argv, env, log, port
        self.popen: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> "Process":
        with self.log.open("a") as out:
            out.write(f"=== start {self.starts + 1}: {shlex.join(self.argv)}\n")
            out.flush()
            self.popen = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        if self.port:
            wait_until(self.answering, 60, f"{self.name} listening on {self.port}")
        return self

    def answering(self) -> bool:
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.popen.returncode}")
        return listening(self.port)

    def kill9(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill9()

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


SETUP = """
import json
from habeas.accounts.models import Role, User
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

places = {places!r}
stations = [
    PoliceStation.objects.create(name=name, lat=lat, lon=lon) for name, lat, lon in places
]
for n in range({lawyers}):
    user = User.objects.create_user(
        email=f"lawyer{{n}}@stack.test", role=Role.LAWYER, first_name="Lawyer", last_name=str(n)
    )
    lawyer = Lawyer.objects.create(
        user=user, on_duty=True, capacity={capacity}, channels="sms", phone=f"+7900{{n:07d}}"
    )
    lawyer.stations.add(stations[n % len(stations)])
"""


class Stack:
    """Start with `with Stack(tmp, sms_url=...) as stack:`; `stack.web`, `stack.workers`,
    `stack.caddy` are the processes, `stack.sql(...)` asks the stack's database."""

    def __init__(self, tmp: Path, *, sms_url: str, rate_per_network: int):
        self.tmp = tmp
        self.db_name = f"habeas_stack_{os.getpid()}"
        self.redis_port = free_port()
        self.https_port, self.http_port, self.onion_port = free_port(), free_port(), free_port()
        self.web_ports = [free_port(), free_port()]
        self.sms_url = sms_url
        self.rate_per_network = rate_per_network
        self.processes: list[Process] = []
        self.web: list[Process] = []
        self.workers: list[Process] = []
        self.caddy: Process | None = None
        self.redis: Process | None = None
        self.created_db = False

    # --- the environment ----------------------------------------------------------------
    def env(self) -> dict[str, str]:
        """deploy/habeas.env.example, filled in as an administrator would, for this machine."""
        env = template_env()
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        env.update(
            {
                "SECRET_KEY": secrets.token_urlsafe(50),
                "HABEAS_DATA_KEYS": f"k1:{key}",
                "HABEAS_INDEX_KEY": secrets.token_urlsafe(32),
                "DATABASE_URL": f"{POSTGRES}/{self.db_name}",
                "HABEAS_CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "HABEAS_ALLOWED_HOSTS": env["HABEAS_ALLOWED_HOSTS"] + ",localhost",
                "HABEAS_BASE_URL": f"https://localhost:{self.https_port}",
                "HABEAS_STATIC_ROOT": str(self.tmp / "static"),
                "HABEAS_VAR_DIR": str(self.tmp / "var"),
                "HABEAS_BACKUP_DIR": str(self.tmp / "backups"),
                "HABEAS_SMS_URL": self.sms_url,
                "HABEAS_SMS_AUTH": "Bearer stack-gateway",
                # Stated, not left to the default, so the test compares with what it set.
                "HABEAS_RATE_SOS_PER_NETWORK": str(self.rate_per_network),
                # A claimed delivery's lease is 3 × this: a message a killed worker held is
                # sent again within 15 s instead of 30.
                "HABEAS_DELIVERY_TIMEOUT": "5",
            }
        )
        assert not [k for k, v in env.items() if "CHANGE-ME" in v], "a template value left"
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.tmp / "home"),
            "LANG": "C.UTF-8",
            **env,
        }

    def caddy_env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.tmp / "home"),
            # Caddy keeps its local certificate authority here, not in the machine's.
            "XDG_DATA_HOME": str(self.tmp / "caddy-data"),
            "XDG_CONFIG_HOME": str(self.tmp / "caddy-config"),
            "HABEAS_DOMAIN": f"localhost:{self.https_port}",
            "HABEAS_ONION": "stackonionname.onion",
            "HABEAS_TLS": "tls internal",
            "HABEAS_CADDY_OPTIONS": "skip_install_trust",
            "HABEAS_CADDY_ADMIN": f"localhost:{free_port()}",
            "HABEAS_HTTP_PORT": str(self.http_port),
            "HABEAS_HTTPS_PORT": str(self.https_port),
            "HABEAS_ONION_PORT": str(self.onion_port),
            "HABEAS_ACCESS_LOG": str(self.access_log),
            "HABEAS_UPSTREAMS": " ".join(f"127.0.0.1:{p}" for p in self.web_ports),
        }

    @property
    def access_log(self) -> Path:
        return self.tmp / "caddy-access.log"

    @property
    def ca_file(self) -> Path:
        return self.tmp / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    # --- starting and stopping --------------------------------------------------------------
    def __enter__(self) -> "Stack":
        # A SIGTERM to the test (a CI timeout) still kills every child: they run in sessions
        # of their own, which the signal to the test's group would not reach.
        self.old_sigterm = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self.start()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, kind, error, trace) -> None:
        for process in reversed(self.processes):
            process.stop()
        signal.signal(signal.SIGTERM, self.old_sigterm)
        if kind is not None:
            self.dump_logs()
        if self.created_db:
            with self.admin() as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def dump_logs(self, lines: int = 40) -> None:
        for process in self.processes:
            tail = "\n".join(process.text().splitlines()[-lines:])
            print(f"\n----- {process.name} ({process.log}) -----\n{tail}", file=sys.stderr)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env_values,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout + result.stderr

    def add(self, process: Process) -> Process:
        self.processes.append(process)
        return process.start()

    def start(self) -> None:
        for folder in ("home", "var", "static", "backups"):
            (self.tmp / folder).mkdir(exist_ok=True)
        self.env_values = self.env()
        with self.admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{self.db_name}"')
        self.created_db = True
        self.redis = self.add(
            Process(
                "redis",
                [tool("redis-server"), "--port", str(self.redis_port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no"],
                self.env_values,
                self.tmp / "redis.log",
                self.redis_port,
            )
        )  # fmt: skip
        # Section 4 of docs/deploy.md, in its order.
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("check", "--deploy", "--fail-level", "WARNING")

        web = unit_command("habeas-web.service")
        # One process per server, not the unit's two: two servers already fill two cores.
        web = with_option(web, "--workers", "1")
        for n, port in enumerate(self.web_ports, 1):
            argv = with_option(web, "--port", str(port))
            log = self.tmp / f"web-{n}.log"
            self.web.append(self.add(Process(f"web-{n}", argv, self.env_values, log, port)))
        worker = unit_command("habeas-worker@.service")
        for n in (1, 2):
            log = self.tmp / f"worker-{n}.log"
            self.workers.append(self.add(Process(f"worker-{n}", worker, self.env_values, log)))
        caddy = [tool("caddy"), "run", "--config", str(DEPLOY / "Caddyfile"), "--adapter",
                 "caddyfile"]  # fmt: skip
        self.caddy = self.add(
            Process("caddy", caddy, self.caddy_env(), self.tmp / "caddy.log", self.https_port)
        )
        wait_until(self.ca_file.exists, 30, "Caddy's local certificate authority")
        wait_until(lambda: self.get("/healthz").status_code == 200, 60, "/healthz through Caddy")

    def populate(self, places: list[tuple[str, float, float]], lawyers: int, capacity: int):
        """Police stations and lawyers on duty, each notified by SMS through the fake gateway."""
        code = SETUP.format(places=places, lawyers=lawyers, capacity=capacity)
        self.manage("shell", "-c", code)

    # --- asking it --------------------------------------------------------------------------
    def get(self, path: str) -> httpx.Response:
        verify = ssl.create_default_context(cafile=self.ca_file)
        with httpx.Client(verify=verify, timeout=10) as client:
            return client.get(f"https://localhost:{self.https_port}{path}")

    def get_direct(self, n: int, path: str) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.web_ports[n]}{path}", timeout=10)

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(f"{POSTGRES}/{self.db_name}", connect_timeout=5) as db:
            return db.execute(query, params).fetchall()

    def restart_postgres(self) -> float:
        """Restart the machine's PostgreSQL cluster; return how long it took, in seconds."""
        # The newest cluster, as .ci/run picks it (ls /etc/postgresql | sort -V | tail -n 1).
        version = max(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])
        began = time.monotonic()
        restart = subprocess.run(
            # Fast mode (pg_ctlcluster's default for restart): every connection is cut at once.
            [tool("pg_ctlcluster"), "--skip-systemctl-redirect", version, "main", "restart"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if restart.returncode != 0:
            raise RuntimeError(
                "restarting PostgreSQL failed (pg_ctlcluster needs root or the postgres user):"
                f" {restart.stderr.strip()}"
            )
        wait_until(lambda: self.sql("SELECT 1"), 60, "PostgreSQL back after its restart")
        return time.monotonic() - began
