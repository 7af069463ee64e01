"""Restore drill: a backup is sealed to an age key kept off the server, restores into a fresh
database, and the personal data in it opens only with the data keys; an old backup (beyond the
retention period), a wrong key and a full disk are each refused with a clear message."""

import errno
import io
import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pyrage
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import DETAINEE_BODY, test_database_url
from habeas.ops import backup

ROOT = Path(__file__).resolve().parents[3]
NAME = DETAINEE_BODY["person"]["full_name"]
OPEN_REPORT = (
    "from habeas.cases.models import Report\n"
    "from habeas.cases.services import open_details\n"
    "print(open_details(Report.objects.get())['person']['full_name'])\n"
)


@pytest.fixture
def age_key(tmp_path):
    """The organisation's backup key pair: the public half on the server, the secret offline."""
    secret = pyrage.x25519.Identity.generate()
    keyfile = tmp_path / "offline" / "backup-key.txt"
    keyfile.parent.mkdir()
    keyfile.write_text(f"# created: the key holder's laptop\n{secret}\n")
    return str(secret.to_public()), keyfile


@pytest.fixture
def sos(transactional_db):
    response = Client().post(
        "/api/v1/cases",
        json.dumps(DETAINEE_BODY),
        content_type="application/json",
        headers={"Idempotency-Key": f"drill-{uuid.uuid4()}"},
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def fresh(tmp_path):
    """Environment of a new machine: an empty database, the same secrets from its own store."""
    var = tmp_path / "fresh"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HABEAS_", "DATABASE_URL"))}
    env.update(
        HABEAS_DEBUG="1",
        HABEAS_VAR_DIR=str(var),
        SECRET_KEY=settings.SECRET_KEY,
        HABEAS_DATA_KEYS=settings.HABEAS_DATA_KEYS,
        HABEAS_INDEX_KEY=settings.HABEAS_INDEX_KEY,
    )
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{var / 'restored.sqlite3'}"
        yield env
        return
    import psycopg

    # CREATE DATABASE cannot run inside the test's transaction: a connection of its own.
    name = f"restore_drill_{os.getpid()}"
    server = test_database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{server}/{name}"
    yield env
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_backup_restores_into_a_fresh_database_and_opens_only_with_the_data_keys(
    sos, age_key, fresh, tmp_path
):
    public, keyfile = age_key
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", recipient=public, stdout=out)
    (path,) = (tmp_path / "backups").iterdir()
    assert out.getvalue().strip() == str(path)
    assert NAME.split()[1].encode() not in path.read_bytes()  # sealed to the age key
    assert oct(path.stat().st_mode)[-3:] == "600"

    restored = manage(fresh, "restore", str(path), "--identity", str(keyfile))
    assert restored.returncode == 0, restored.stderr
    opened = manage(fresh, "shell", "--no-imports", "-c", OPEN_REPORT)
    assert opened.stdout.strip() == NAME, opened.stderr

    # The same restored database, without the data keys (another key set): nothing opens.
    other = {**fresh, "HABEAS_DATA_KEYS": "k9:" + "B" * 43}
    refused = manage(other, "shell", "--no-imports", "-c", OPEN_REPORT)
    assert refused.returncode != 0
    assert NAME not in refused.stdout + refused.stderr


def test_a_backup_older_than_the_retention_period_is_refused_unless_accepted_by_name(
    sos, age_key, fresh, tmp_path
):
    public, keyfile = age_key
    old = timezone.now() - timedelta(days=settings.HABEAS_RETENTION_DAYS + 1)
    path = backup.write(tmp_path / "backups", public, now=old)
    refused = manage(fresh, "restore", str(path), "--identity", str(keyfile))
    assert refused.returncode != 0
    assert "more than HABEAS_RETENTION_DAYS" in refused.stderr
    assert "Nothing was restored" in refused.stderr
    assert "Traceback" not in refused.stderr
    accepted = manage(fresh, "restore", str(path), "--identity", str(keyfile), "--accept-expired")
    assert accepted.returncode == 0, accepted.stderr
    assert "purge_expired" in accepted.stderr


def test_restoring_over_a_database_that_is_not_empty_is_refused(sos, age_key, fresh, tmp_path):
    public, keyfile = age_key
    path = backup.write(tmp_path / "backups", public)
    assert manage(fresh, "restore", str(path), "--identity", str(keyfile)).returncode == 0
    again = manage(fresh, "restore", str(path), "--identity", str(keyfile))
    assert again.returncode != 0
    assert "not empty" in again.stderr


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "No backup key"),
        ("age1notakey", "not an age public key"),
        (str(pyrage.x25519.Identity.generate()), "SECRET key"),
    ],
)
def test_a_wrong_backup_key_is_refused_and_nothing_is_written(db, tmp_path, key, says):
    with pytest.raises(CommandError, match=says):
        call_command("backup", output=tmp_path / "backups", recipient=key)
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_a_backup_restored_with_another_key_says_so(db, age_key, fresh, tmp_path):
    public, _keyfile = age_key
    path = backup.write(tmp_path / "backups", public)
    stranger_key = tmp_path / "other-key.txt"
    stranger_key.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    refused = manage(fresh, "restore", str(path), "--identity", str(stranger_key))
    assert refused.returncode != 0
    assert "does not open with that key" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_full_disk_is_reported_and_leaves_no_partial_file(db, age_key, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("habeas.ops.backup.pyrage.encrypt_io", full)
    with pytest.raises(CommandError, match="is full: no backup was written"):
        call_command("backup", output=tmp_path / "backups", recipient=age_key[0])
    assert list((tmp_path / "backups").iterdir()) == []
