"""Personas shared by every app's tests: who uses Habeas, as fixtures."""

import itertools
import json

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from habeas.accounts.models import Role, User
from habeas.accounts.models import SealedTOTPDevice as TOTPDevice
from habeas.lawyers.models import Lawyer
from habeas.stations.services import DEMO_FILE, import_stations

# The local SMTP server and provider fakes, for any app whose tests send messages.
pytest_plugins = ["habeas.notifications.tests.fixtures"]

PASSWORD = "correct horse battery staple"  # noqa: S105 - test persona
_keys = itertools.count(1)


# Fixtures that reach the database: a test that asks for one is marked `database`, so CI can
# rerun only those on PostgreSQL (-m "database and not browser").
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "database: touches the database (marked automatically)")


def pytest_collection_modifyitems(items) -> None:
    """Mark each test that drives Chromium `browser`, and each that touches the database
    `database`, whether or not its file says so: a marker expression then never misses one."""
    for item in items:
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        if DATABASE_FIXTURES & set(item.fixturenames) or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)


def _staff(email: str, role: str, first: str, last: str) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, role=role, first_name=first, last_name=last
    )
    if role == Role.LAWYER:
        Lawyer.objects.create(user=user, on_duty=True)
    give_authenticator(user)
    return user


def give_authenticator(user: User) -> TOTPDevice:
    """A confirmed TOTP device, as if the persona had set up two-factor login already."""
    return TOTPDevice.objects.create(user=user, name="console", confirmed=True)


def totp_code(user: User) -> str:
    """The six digits the persona's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def lawyer_a(db) -> User:
    return _staff("anna@lawyers.test", Role.LAWYER, "Anna", "Lawyer")


@pytest.fixture
def lawyer_b(db) -> User:
    return _staff("boris@lawyers.test", Role.LAWYER, "Boris", "Lawyer")


@pytest.fixture
def dispatcher(db) -> User:
    return _staff("dina@hotline.test", Role.DISPATCHER, "Dina", "Dispatcher")


@pytest.fixture
def operator(db) -> User:
    """Olga takes the hotline's calls: she enters cases and calls people back, and is never
    offered a case."""
    return _staff("olga@hotline.test", Role.OPERATOR, "Olga", "Operator")


@pytest.fixture
def admin(db) -> User:
    user = User.objects.create_superuser(email="root@hotline.test", password=PASSWORD)
    give_authenticator(user)
    return user


def staff_client(user: User, verified: bool = True, **options) -> Client:
    """A browser logged in as `user`; `verified` also passes the second factor, as the
    console requires (the two-factor tests log in step by step instead). `options` go to
    Django's test Client, e.g. enforce_csrf_checks=True."""
    client = Client(**options)
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = (device or give_authenticator(user)).persistent_id
        session.save()
    return client


@pytest.fixture
def stranger() -> Client:
    """Anyone on the internet: no login, no status token."""
    return Client()


class Phone:
    """A protester's phone talking to the API, remembering what the PWA would keep."""

    def __init__(self) -> None:
        self.client = Client()
        self.token: str | None = None
        self.case_id: str | None = None

    def sos(self, body: dict | None = None, key: str | None = None):
        key = key or f"test-key-{next(_keys):06d}"
        response = self.client.post(
            "/api/v1/cases",
            json.dumps(body if body is not None else {"kind": "detention"}),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        if response.status_code in (200, 201):
            self.token = response.json()["status_token"]
            self.case_id = response.json()["case_id"]
        return response

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def status(self):
        return self.client.get("/api/v1/cases/status", headers=self.auth())

    def withdraw(self):
        return self.client.post("/api/v1/cases/withdraw", headers=self.auth())

    def arm_timer(self, body: dict, key: str):
        """Arm a check-in timer as the PWA does: {"deadline", "pin", "duress_pin", ...}."""
        return self.client.post(
            "/api/v1/timers",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )


DETAINEE_BODY = {
    "kind": "detention",
    "person": {
        "full_name": "Мария Иванова",
        "date_of_birth": "1995-04-12",
        "phone": "+7 916 555-01-02",
        "note": "астма, ингалятор в рюкзаке",
    },
    "location": {"lat": 55.7649, "lon": 37.6116, "accuracy_m": 25},
}


@pytest.fixture
def phone(db) -> Phone:
    return Phone()


@pytest.fixture
def detainee(db) -> Phone:
    """A protester who has just sent an SOS with details and location near Tverskaya."""
    p = Phone()
    assert p.sos(DETAINEE_BODY).status_code == 201
    return p


@pytest.fixture
def stations(db):
    """The 2013 OVD-Info sample of Moscow and other stations."""
    import_stations(DEMO_FILE, "ovdinfo-2013")


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every due background task once, through django-tasks-db's real worker loop.

    The worker closes idle connections between tasks; inside a test's transaction that would
    close the test's own connection, so only that is switched off.
    """
    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


def test_database_url() -> str:
    """The URL of the test database this process created, for a worker in another process."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def worker_process():
    """Start `db_worker` processes against the test database; all are killed at the end.

    Needs a test with transaction=True, so the worker sees committed rows.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    started: list[subprocess.Popen] = []

    def start(**env) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=Path(__file__).resolve().parent,
            env={**os.environ, "DATABASE_URL": test_database_url(), "HABEAS_DEBUG": "1", **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit windows live in the cache; each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    """Each test's evidence files in a folder of its own, never the machine's var/evidence."""
    folder = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder
