"""Five wrong passwords lock an account for fifteen minutes; nothing about the client is kept."""

import ipaddress
import logging
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.forms.models import model_to_dict
from django.test import Client

from conftest import PASSWORD
from habeas.accounts.models import AuditEntry

EN = {"Accept-Language": "en", "User-Agent": "Mozilla/5.0 (TestPhone)"}
LOCKED = "Too many wrong passwords for this account. It is locked for 15 minutes"


def log_in(client, email: str, password: str):
    return client.post("/console/login/", {"username": email, "password": password}, headers=EN)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(stranger, lawyer_a):
    for _ in range(4):
        assert log_in(stranger, lawyer_a.email, "wrong").status_code == 200
    fifth = log_in(stranger, lawyer_a.email, "wrong")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()

    right = log_in(stranger, lawyer_a.email, PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert 'role="alert"' in right.content.decode()
    assert stranger.get("/console/").status_code == 302


def test_the_lock_counts_the_account_however_its_email_is_typed(stranger, lawyer_a):
    typed = ["Anna@Lawyers.test", "ANNA@LAWYERS.TEST", " anna@lawyers.test ", "anna@Lawyers.test"]
    for email in [*typed, lawyer_a.email]:
        log_in(stranger, email, "wrong")
    assert log_in(stranger, lawyer_a.email, PASSWORD).status_code == 429


def test_other_accounts_are_not_locked(stranger, lawyer_a, lawyer_b):
    for _ in range(5):
        log_in(stranger, lawyer_a.email, "wrong")
    assert log_in(stranger, lawyer_b.email, PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(stranger, lawyer_a):
    for _ in range(5):
        log_in(stranger, lawyer_a.email, "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = log_in(stranger, lawyer_a.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/console/"


def test_axes_keeps_no_address_and_no_user_agent(stranger, lawyer_a, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(6):
        log_in(stranger, lawyer_a.email, "wrong")
    AccessAttempt.objects.all().delete()  # unlock, to log in once as well
    log_in(stranger, lawyer_a.email, PASSWORD)
    log_in(Client(), lawyer_a.email, "wrong")  # another browser: this one is logged in now

    rows = [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all(), *AccessLog.objects.all()]
    assert rows, "the failed attempt is counted"
    stored = " ".join(str(model_to_dict(row)) for row in rows)
    assert "127.0.0.1" not in stored
    assert "TestPhone" not in stored
    assert not AccessLog.objects.exists()
    # Not the client's address: a keyed hash of its network, written in fd00::/8 because the
    # column is an address type on PostgreSQL.
    assert all(
        ipaddress.ip_address(row.ip_address) in ipaddress.ip_network("fd00::/8") for row in rows
    )
    assert "127.0.0.1" not in caplog.text
    assert lawyer_a.email not in caplog.text


def test_failed_logins_are_audited_and_name_no_one_who_does_not_exist(stranger, lawyer_a):
    log_in(stranger, lawyer_a.email, "wrong")
    log_in(stranger, "nobody@nowhere.test", "wrong")
    failed = AuditEntry.objects.filter(action="login_failed").order_by("id")
    assert [(e.actor_id, e.what) for e in failed] == [
        (lawyer_a.pk, "password"),
        (None, "password"),
    ]
    for _ in range(5):
        log_in(stranger, lawyer_a.email, "wrong")
    assert AuditEntry.objects.filter(action="login_failed", what="locked out").exists()
