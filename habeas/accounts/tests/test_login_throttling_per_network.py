"""Login throttling that a stranger cannot turn into a lock-out of all staff (issue 14, 7 and 9).

Wrong passwords lock an account per source network (/24 or /48); a ceiling per account across
all networks stops a distributed guesser and tells the administrators; axes stores neither the
typed login name nor an address.
"""

import io
import ipaddress
import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from conftest import PASSWORD
from habeas.notifications.models import Message

EN = {"Accept-Language": "en"}
STRANGER_NET = "198.51.100.23"
LAWYER_NET = "203.0.113.40"


def from_network(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client: Client, email: str, password: str):
    return client.post("/console/login/", {"username": email, "password": password}, headers=EN)


@pytest.fixture
def email_on(settings):
    """An SMTP server is configured, so alerts are written to the outbox."""
    settings.HABEAS_SMTP_URL = "smtp://127.0.0.1:25"


def test_a_strangers_wrong_passwords_do_not_lock_the_lawyer_out_from_her_network(lawyer_a):
    """Guards against: five wrong passwords for a known email locked that lawyer out everywhere
    for 15 minutes, so anyone could keep every lawyer out of the console."""
    stranger = from_network(STRANGER_NET)
    for _ in range(5):
        log_in(stranger, lawyer_a.email, "wrong")
    assert log_in(stranger, lawyer_a.email, PASSWORD).status_code == 429

    response = log_in(from_network(LAWYER_NET), lawyer_a.email, PASSWORD)
    assert response.status_code == 302


def test_the_lock_covers_the_whole_slash_24_not_one_address(lawyer_a):
    """Guards against: stepping to the next address of the same carrier network to keep going."""
    for last in range(5):
        log_in(from_network(f"198.51.100.{10 + last}"), lawyer_a.email, "wrong")
    assert log_in(from_network("198.51.100.200"), lawyer_a.email, PASSWORD).status_code == 429
    assert log_in(from_network("198.51.101.1"), lawyer_a.email, PASSWORD).status_code == 302


def test_an_ipv6_source_is_locked_by_its_slash_48(lawyer_a):
    for host in range(5):
        log_in(from_network(f"2001:db8:7::{host + 1}"), lawyer_a.email, "wrong")
    assert log_in(from_network("2001:db8:7:ffff::9"), lawyer_a.email, PASSWORD).status_code == 429
    assert log_in(from_network("2001:db8:8::1"), lawyer_a.email, PASSWORD).status_code == 302


def test_guessing_from_many_networks_hits_the_per_account_ceiling_and_alerts_admins(
    lawyer_a, lawyer_b, admin, settings, email_on, caplog
):
    """Guards against: a guesser spread over many networks getting unlimited tries once the
    lock is per network; and mass failures going unnoticed."""
    settings.HABEAS_LOGIN_ACCOUNT_CEILING = 12
    caplog.set_level(logging.WARNING)
    for n in range(12):
        log_in(from_network(f"192.0.2.{n}" if n < 4 else f"10.{n}.0.1"), lawyer_a.email, "x")

    locked = log_in(from_network(LAWYER_NET), lawyer_a.email, PASSWORD)
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    assert log_in(from_network(LAWYER_NET), lawyer_b.email, PASSWORD).status_code == 302

    [alert] = Message.objects.filter(dedupe_key__startswith="login-alert:account:")
    assert alert.recipient == admin
    assert "locked everywhere" in caplog.text
    assert lawyer_a.email not in caplog.text
    assert "192.0.2." not in caplog.text and "10.11.0.1" not in caplog.text


def test_many_wrong_passwords_across_all_accounts_alert_the_admins_once(
    lawyer_a, lawyer_b, dispatcher, admin, settings, email_on
):
    settings.HABEAS_LOGIN_ALERT_FAILURES = 3
    for n, email in enumerate([lawyer_a.email, lawyer_b.email, dispatcher.email, "x@y.test"]):
        log_in(from_network(f"192.0.2.{n}"), email, "wrong")
    assert Message.objects.filter(dedupe_key__startswith="login-alert:all:").count() == 1


def test_axes_stores_neither_the_typed_name_nor_the_address(lawyer_a, caplog):
    """Guards against: axes kept the typed login name in clear (a list of who works here, and
    of mistyped passwords typed into the name field), and any address of the client."""
    caplog.set_level(logging.DEBUG)
    typed = "Anna@Lawyers.Test"
    for _ in range(3):
        log_in(from_network(STRANGER_NET), typed, "wrong")
    log_in(from_network(STRANGER_NET), "my-password-in-the-wrong-field", "wrong")

    rows = list(AccessAttempt.objects.all())
    assert len(rows) == 2
    stored = " ".join(str(model_to_dict(row)) for row in rows).lower()
    for secret in ("anna", "lawyers.test", "my-password", "198.51.100"):
        assert secret not in stored
        assert secret not in caplog.text.lower()
    for row in rows:
        # A pseudonym in the unique-local range, never the client's address or network.
        assert ipaddress.ip_address(row.ip_address) in ipaddress.ip_network("fd00::/8")
        assert len(row.username) == 64


def test_the_lock_page_counts_the_ceiling_to_the_end_of_the_hour(lawyer_a, settings):
    settings.HABEAS_LOGIN_ACCOUNT_CEILING = 2
    log_in(from_network("192.0.2.1"), lawyer_a.email, "wrong")
    log_in(from_network("192.0.2.200"), lawyer_a.email, "wrong")  # same /24: the ceiling counts
    page = log_in(from_network(LAWYER_NET), lawyer_a.email, PASSWORD)
    assert page.status_code == 429
    assert 1 <= page.context["locked_minutes"] <= 60


def test_an_admin_unlocks_an_account_by_email_on_every_network(lawyer_a, settings):
    settings.HABEAS_LOGIN_ACCOUNT_CEILING = 6
    for n in range(6):
        log_in(from_network(f"192.0.{n}.1"), lawyer_a.email, "wrong")
    assert log_in(from_network(LAWYER_NET), lawyer_a.email, PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("unlock_login", "Anna@Lawyers.test", stdout=out)
    assert "Unlocked" in out.getvalue()
    assert not AccessAttempt.objects.exists()
    assert log_in(from_network(LAWYER_NET), lawyer_a.email, PASSWORD).status_code == 302
