"""Encrypted backups: a copy of the database sealed to an age public key whose secret half is
kept off the server, and its restore into a fresh database.

A seized server holds only the public key, so its backups open for nobody there; a backup
holds the database as it was, so one older than the retention period would bring back
personal data the purge destroyed, and is refused on restore unless asked for by name.

File: age(one JSON line {"format", "created", "engine"} + the dump). The creation time is
inside the encryption, so renaming or touching the file cannot make an old backup look new.
The dump itself never touches the disk in clear: pg_dump streams into the encryption, and
SQLite is serialised in memory.
"""

import errno
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "habeas-backup/1"


class BackupError(Exception):
    """A refusal with a message meant for the operator at the terminal."""


def recipient(text: str) -> pyrage.x25519.Recipient:
    """Parse an age public key, refusing a secret key or anything else with a clear reason."""
    text = (text or "").strip()
    if not text:
        raise BackupError(
            "No backup key: set HABEAS_BACKUP_RECIPIENT (or pass --recipient) to the age "
            "public key (age1…) whose secret key is kept off this server."
        )
    if text.upper().startswith("AGE-SECRET-KEY-"):
        raise BackupError(
            "That is an age SECRET key. Only the public key (age1…) belongs on the server; "
            "keep the secret key offline and generate a new pair, as this one is exposed."
        )
    try:
        return pyrage.x25519.Recipient.from_str(text)
    except pyrage.RecipientError as exc:
        raise BackupError(f"The backup key is not an age public key (age1…): {exc}") from exc


def identity(path: Path) -> list:
    """Read the age secret key(s) from a key file (`age-keygen` output; comments allowed)."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise BackupError(f"Cannot read the key file {path}: {exc.strerror}") from exc
    keys = [line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise BackupError(f"{path} holds no age secret key (a line AGE-SECRET-KEY-1…).")
    try:
        return [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError as exc:
        raise BackupError(f"{path}: not a valid age secret key: {exc}") from exc


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def program(name: str) -> str:
    """The full path of a PostgreSQL client program, or a refusal saying what to install."""
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: apt-get install postgresql-client")
    return found


def _pg_env() -> tuple[list[str], dict]:
    """pg_dump/pg_restore connection arguments; the password goes through the environment."""
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    if db["USER"]:
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


class _Stream(io.RawIOBase):
    """The header line, then the dump: one readable stream for the encryption."""

    def __init__(self, header: bytes, body) -> None:
        self.parts = [io.BytesIO(header), body]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self.parts:
            n = self.parts[0].readinto(buffer)
            if n:
                return n
            self.parts.pop(0)
        return 0


def write(directory: Path, key: str, now: datetime | None = None) -> Path:
    """Write an encrypted backup of the default database into `directory`; return its path.

    Side effects: runs pg_dump (PostgreSQL); writes one file, never a partial one.
    """
    to = recipient(key)
    now = now or timezone.now()
    kind = engine()
    directory.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"format": FORMAT, "created": now.isoformat(), "engine": kind})
    header_bytes = header.encode() + b"\n"
    final = directory / f"habeas-{now:%Y%m%dT%H%M%SZ}.{kind}.age"
    fd, partial = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".age")
    process = None
    try:
        with os.fdopen(fd, "wb") as out:
            if kind == "sqlite":
                connection.ensure_connection()
                image = bytearray(connection.connection.serialize())
                # Bytes 18-19 of the header say "WAL"; an image in memory cannot have a
                # write-ahead log, and SQLite refuses to copy one out of memory. 1 = rollback
                # journal; Django's init_command turns WAL back on at the next connection.
                image[18] = image[19] = 1
                body = io.BytesIO(bytes(image))
            else:
                args, env = _pg_env()
                process = subprocess.Popen(  # noqa: S603 - fixed program, our own arguments
                    [
                        program("pg_dump"),
                        "--format=custom",
                        "--no-owner",
                        *args,
                        connection.settings_dict["NAME"],
                    ],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=env,
                )
                body = process.stdout
            pyrage.encrypt_io(io.BufferedReader(_Stream(header_bytes, body)), out, [to])
            out.flush()
            os.fsync(out.fileno())
        if process is not None:
            error = process.stderr.read().decode(errors="replace").strip()
            if process.wait() != 0:
                raise BackupError(f"pg_dump failed: {error or 'no message'}")
        os.replace(partial, final)
        os.chmod(final, 0o600)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise BackupError(
                f"The disk holding {directory} is full: no backup was written. Free space "
                "or choose another --output."
            ) from exc
        raise BackupError(f"Cannot write the backup in {directory}: {exc.strerror}") from exc
    finally:
        if process is not None and process.poll() is None:
            process.kill()
        if os.path.exists(partial):
            os.unlink(partial)
    return final


@dataclass
class Opened:
    created: datetime
    engine: str
    dump: Path  # a temporary file: the caller deletes it


def open_backup(path: Path, keys: list) -> Opened:
    """Decrypt a backup into a private temporary file and read its header."""
    try:
        sealed = path.open("rb")
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}") from exc
    fd, clear = tempfile.mkstemp(prefix="habeas-restore-")
    os.chmod(clear, 0o600)
    try:
        with sealed, os.fdopen(fd, "wb") as out:
            pyrage.decrypt_io(sealed, out, keys)
    except pyrage.DecryptError as exc:
        os.unlink(clear)
        raise BackupError(
            f"{path} does not open with that key ({exc}): it was encrypted to another key, "
            "or it is not a Habeas backup."
        ) from exc
    with open(clear, "rb") as data:
        line = data.readline()
        try:
            header = json.loads(line)
            assert header["format"] == FORMAT
            created = datetime.fromisoformat(header["created"])
        except (ValueError, KeyError, AssertionError, TypeError) as exc:
            os.unlink(clear)
            raise BackupError(f"{path} is not a Habeas backup (no header).") from exc
        # Strip the header line so the rest is the bare dump.
        fd2, dump = tempfile.mkstemp(prefix="habeas-restore-")
        with os.fdopen(fd2, "wb") as out:
            shutil.copyfileobj(data, out)
    os.unlink(clear)
    return Opened(created=created, engine=header["engine"], dump=Path(dump))


def too_old(created: datetime, now: datetime | None = None) -> bool:
    """Whether a backup predates the retention period, so it may hold purged personal data."""
    now = now or timezone.now()
    return now - created > timedelta(days=settings.HABEAS_RETENTION_DAYS)


def restore(opened: Opened) -> None:
    """Load a decrypted dump into the configured database, which must be empty.

    Side effects: writes the SQLite file, or runs pg_restore.
    """
    if opened.engine != engine():
        raise BackupError(
            f"This is a {opened.engine} backup and the configured database is {engine()}."
        )
    if connection.introspection.table_names():
        raise BackupError(
            "The configured database is not empty: restore into a fresh database "
            "(a new DATABASE_URL), never over a live one."
        )
    if opened.engine == "sqlite":
        connection.close()
        memory = sqlite3.connect(":memory:")
        disk = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            memory.deserialize(opened.dump.read_bytes())
            memory.backup(disk)  # page by page into the (empty) database file
        finally:
            memory.close()
            disk.close()
        return
    args, env = _pg_env()
    result = subprocess.run(  # noqa: S603 - fixed program, our own arguments
        [
            program("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            *args,
            "--dbname",
            connection.settings_dict["NAME"],
            str(opened.dump),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
