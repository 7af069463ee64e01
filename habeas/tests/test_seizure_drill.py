"""A seizure drill: plant canary personal data through every way in, then search what a state
that seized the server would get (database files or a dump, logs, the outbox) for it."""

import logging
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from conftest import Phone
from habeas.cases import services
from habeas.cases.models import Case

CANARY_NAME = "Канарейкина Зоя Щегловна"
CANARY_PHONE = "+79990001122"
CANARY_NOTE = "canary-note-7f3a"
CANARY_CONTACT = "canary-contact@example.org"
# A relative who reports the canary: their own name and contacts are personal data too.
CANARY_REPORTER = "Снегирёва Ольга"
CANARY_REPORTER_PHONE = "+79990003344"
CANARY_REPORTER_EMAIL = "canary-sister@example.org"
CANARY_RELATION = "canary-relation-sister"
CANARIES = [
    CANARY_REPORTER,
    "Снегирёва",
    CANARY_REPORTER_PHONE,
    "9990003344",
    CANARY_REPORTER_EMAIL,
    CANARY_RELATION,
    CANARY_NAME,
    "Канарейкина",
    CANARY_PHONE,
    "9990001122",
    CANARY_NOTE,
    CANARY_CONTACT,
    "55.7712345",
    "37.6012345",
]


def plant(phone, dispatcher) -> None:
    body = {
        "person": {
            "full_name": CANARY_NAME,
            "date_of_birth": "1990-01-01",
            "phone": CANARY_PHONE,
            "note": CANARY_NOTE,
        },
        "location": {"lat": 55.7712345, "lon": 37.6012345, "accuracy_m": 5},
        "contacts": [{"email": CANARY_CONTACT}, {"phone": CANARY_PHONE}],
    }
    assert phone.sos(body).status_code == 201
    case = Case.objects.get(public_id=phone.case_id)
    # Her sister reports her too (it joins her case), and a witness without a date of birth.
    sister = {
        "person": {"full_name": CANARY_NAME, "date_of_birth": "1990-01-01"},
        "reporter_role": "relative",
        "reporter": {
            "name": CANARY_REPORTER,
            "phone": CANARY_REPORTER_PHONE,
            "email": CANARY_REPORTER_EMAIL,
            "relation": CANARY_RELATION,
        },
    }
    assert Phone().sos(sister).json()["merged"]
    witness = {"person": {"full_name": CANARY_NAME}, "reporter_role": "witness", "reporter": {}}
    assert Phone().sos(witness).status_code == 201
    services.transition(
        case.pk, "note", actor=dispatcher, note=f"{CANARY_NAME} {CANARY_PHONE} {CANARY_NOTE}"
    )
    timer = {
        **body,
        "deadline": (timezone.now() + timedelta(hours=1)).isoformat(),
        "pin": "2468",
        "duress_pin": "1357",
    }
    response = phone.arm_timer(timer, "seizure-timer-01")
    assert response.status_code == 201


def database_bytes(tmp_path: Path) -> bytes:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return b"".join(p.read_bytes() for p in name.parent.glob(name.name + "*"))
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed for the drill on PostgreSQL")
    db = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            "-d",
            db["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return dump.stdout


@pytest.mark.django_db(transaction=True)
def test_no_canary_survives_in_the_database_the_logs_or_the_outbox(
    phone, dispatcher, caplog, capfd, tmp_path, settings
):
    settings.DEBUG = True  # the demo channel: outbox rows exist for the contacts
    caplog.set_level(logging.DEBUG)
    plant(phone, dispatcher)
    connection.close()  # flush to disk what a seizure would find

    raw = database_bytes(tmp_path)
    assert phone.case_id.encode() in raw, "the drill must be reading the right database"
    from habeas.notifications.models import Message

    assert Message.objects.exists(), "the drill must cover outbox rows"
    outbox = b"".join(bytes(m.sealed) for m in Message.objects.all() if m.sealed)
    logs = caplog.text + capfd.readouterr().err
    for canary in CANARIES:
        for encoding in ("utf-8", "utf-16-le"):
            assert canary.encode(encoding) not in raw, f"{canary} in the database ({encoding})"
        assert canary.encode() not in outbox
        assert canary not in logs, f"{canary} in the logs"
    assert "127.0.0.1" not in logs, "no client addresses in logs"


@pytest.mark.django_db(transaction=True)
def test_no_key_that_opens_something_is_in_the_database_in_clear(phone, dispatcher, tmp_path):
    """What a copy would replay: a staff session, an SOS's idempotency key or status token
    (the key derives the token, which withdraws the case and deletes the details), a timer's key.
    """
    from conftest import staff_client

    assert phone.sos({}, key="seizure-sos-key-01").status_code == 201
    response = phone.arm_timer(
        {
            "deadline": (timezone.now() + timedelta(hours=1)).isoformat(),
            "pin": "2468",
            "duress_pin": "1357",
        },
        "seizure-timer-key-1",
    )
    assert response.status_code == 201
    timer_token = response.json()["timer_token"]
    session = staff_client(dispatcher).cookies["sessionid"].value
    connection.close()

    raw = database_bytes(tmp_path)
    assert phone.case_id.encode() in raw, "the drill must be reading the right database"
    for secret in ("seizure-sos-key-01", phone.token, "seizure-timer-key-1", timer_token, session):
        assert secret.encode() not in raw, f"{secret[:6]}… is in the database in clear"


@pytest.mark.django_db(transaction=True)
def test_no_second_factor_secret_is_in_the_database_in_clear(dispatcher, tmp_path):
    """Found in security round 2: TOTP secrets and recovery codes were stored in clear, so a
    copy of the database and a guessed password passed the second factor."""
    from base64 import b32encode

    from habeas.accounts import twofactor
    from habeas.accounts.models import SealedTOTPDevice

    codes = twofactor.new_recovery_codes(dispatcher)
    secret = SealedTOTPDevice.objects.get(user=dispatcher, confirmed=True).bin_key
    connection.close()

    raw = database_bytes(tmp_path)
    assert dispatcher.email.encode() in raw, "the drill must be reading the right database"
    for value in (secret.hex(), b32encode(secret).decode().rstrip("="), *codes):
        assert value.encode() not in raw, f"{value[:4]}… is in the database in clear"
    assert twofactor.verify(dispatcher, codes[0]).device is not None, "the codes still work"


@pytest.mark.django_db(transaction=True)
def test_no_canary_survives_in_the_bots_conversation_state_or_its_followers(
    client, tmp_path, settings, caplog
):
    """A conversation in the Telegram bot holds a name and a number between messages, and a
    chat follows a case: all of it must be sealed or hashed (issue 11's drill)."""
    from habeas.bot.tests.conftest import SECRET
    from habeas.bot.tests.helpers import label, post, update

    settings.HABEAS_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    chat = 77001122  # the chat id is a Telegram account: it must not be stored in clear
    # One chat reports someone and asks to be called back; another stops half-way, so its
    # state still holds the name it typed.
    steps = (label("someone"), CANARY_NAME, "01.01.1990", CANARY_NOTE, "Москва", label("unknown"))
    for text in steps:
        assert post(client, update("text_start", text=text, chat=chat)).status_code == 200
    assert post(client, update("text_start", text=CANARY_PHONE, chat=chat)).status_code == 200
    for text in (label("callback"), CANARY_PHONE):
        assert post(client, update("text_start", text=text, chat=chat)).status_code == 200
    for text in (label("someone"), "Щеглова Канарейка"):
        assert post(client, update("text_start", text=text, chat=chat + 1)).status_code == 200
    connection.close()

    raw = database_bytes(tmp_path)
    from habeas.callbacks.models import CallBack

    assert Case.objects.exists() and CallBack.objects.exists(), "the drill must cover them"
    for canary in (*CANARIES, "Щеглова", str(chat), str(chat + 1)):
        for encoding in ("utf-8", "utf-16-le"):
            assert canary.encode(encoding) not in raw, f"{canary} in the database ({encoding})"
        assert canary not in caplog.text, f"{canary} in the logs"
