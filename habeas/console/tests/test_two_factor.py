"""Every staff account logs in with a password and then a second factor (TOTP or a recovery
code); until then no console or admin page opens."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp

from conftest import PASSWORD, staff_client, totp_code
from habeas.accounts import invitations, twofactor
from habeas.accounts.models import AuditEntry, Role, User

EN = {"Accept-Language": "en"}


@pytest.fixture
def newcomer(db) -> User:
    """A dispatcher who has never set up an authenticator app."""
    return User.objects.create_user(
        email="new@hotline.test", password=PASSWORD, role=Role.DISPATCHER
    )


@pytest.fixture(autouse=True)
def no_throttle_delay(settings):
    # django-otp waits 1 s, 2 s, 4 s... after each wrong code; tests try the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for_secret(html: str) -> str:
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    return f"{totp(b32decode(secret)):06d}"


def test_a_password_alone_opens_no_console_page(lawyer_a):
    client = staff_client(lawyer_a, verified=False)
    for url in ["/console/", "/console/queue/list/", "/console/profile/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/console/two-factor/?next=")


def test_staff_without_an_authenticator_are_sent_to_set_one_up(newcomer):
    response = staff_client(newcomer, verified=False).get("/console/")
    assert response["Location"] == "/console/two-factor/setup/?next=%2Fconsole%2F"


def invited(user) -> Client:
    """A browser that opened the administrator's invitation link and logged in."""
    client = Client()
    token = invitations.issue(user)
    assert client.get(f"/console/welcome/{token}/").status_code == 302
    client.force_login(user)  # after login the session keeps the invitation
    session = client.session
    assert session.get("habeas_invitation")
    return client


def test_the_setup_page_shows_the_secret_the_uri_and_a_qr_code_drawn_on_the_server(newcomer):
    html = invited(newcomer).get("/console/two-factor/setup/").content
    html = html.decode()
    assert re.search(r'id="totp-secret">[A-Z2-7]{4}( [A-Z2-7]{1,4})+<', html)
    assert 'href="otpauth://totp/Habeas%3Anew%40hotline.test?secret=' in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "<script>" not in html and " style=" not in html


def test_confirming_with_the_apps_code_shows_ten_recovery_codes_once_and_opens_the_console(
    newcomer,
):
    client = invited(newcomer)
    html = client.get("/console/two-factor/setup/").content.decode()
    wrong = client.post("/console/two-factor/setup/", {"code": "000000"}, headers=EN)
    assert wrong.status_code == 400 and "did not match" in wrong.content.decode()
    assert not twofactor.has_device(newcomer)

    page = client.post(
        "/console/two-factor/setup/", {"code": code_for_secret(html), "next": "/console/"}
    )
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(codes) == 10 == twofactor.recovery_codes_left(newcomer)
    assert twofactor.has_device(newcomer)
    assert client.get("/console/").status_code == 200
    # Shown once: the setup page now sends on, and never shows a secret again.
    again = client.get("/console/two-factor/setup/")
    assert again.status_code == 302


def test_a_password_cannot_replace_an_existing_authenticator(lawyer_a):
    response = staff_client(lawyer_a, verified=False).get("/console/two-factor/setup/")
    assert response["Location"].startswith("/console/two-factor/?next=")


def test_a_wrong_code_is_refused_and_the_right_one_lets_in(lawyer_a):
    client = staff_client(lawyer_a, verified=False)
    wrong = client.post("/console/two-factor/", {"code": "123456"}, headers=EN)
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/console/").status_code == 302

    right = client.post("/console/two-factor/", {"code": totp_code(lawyer_a), "next": "/console/"})
    assert right["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_each_recovery_code_works_once(lawyer_a):
    codes = twofactor.new_recovery_codes(lawyer_a)
    first = staff_client(lawyer_a, verified=False)
    used = first.post("/console/two-factor/", {"code": codes[0].upper(), "next": "/console/"})
    assert used["Location"] == "/console/"
    assert first.get("/console/").status_code == 200
    assert twofactor.recovery_codes_left(lawyer_a) == 9

    second = staff_client(lawyer_a, verified=False)
    assert second.post("/console/two-factor/", {"code": codes[0]}).status_code == 400
    assert second.get("/console/").status_code == 302


def test_the_verify_page_refuses_a_next_on_another_site(lawyer_a):
    client = staff_client(lawyer_a, verified=False)
    response = client.post(
        "/console/two-factor/", {"code": totp_code(lawyer_a), "next": "https://evil.test/"}
    )
    assert response["Location"] == "/console/"


def test_too_many_wrong_codes_make_the_person_wait(lawyer_a, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client = staff_client(lawyer_a, verified=False)
    client.post("/console/two-factor/", {"code": "123456"})
    response = client.post("/console/two-factor/", {"code": totp_code(lawyer_a)}, headers=EN)
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/console/").status_code == 302


def test_logins_and_wrong_codes_are_audited_without_addresses(lawyer_a, stranger):
    stranger.post("/console/login/", {"username": lawyer_a.email, "password": PASSWORD})
    stranger.post("/console/two-factor/", {"code": "123456"})
    stranger.post("/console/two-factor/", {"code": totp_code(lawyer_a)})
    entries = list(AuditEntry.objects.filter(actor=lawyer_a).order_by("id"))
    assert [(e.action, e.what) for e in entries] == [
        ("login", "password"),
        ("login_failed", "two-factor code"),
        ("login", "two-factor"),
    ]
    for entry in entries:
        assert "127.0.0.1" not in f"{entry.case_ref} {entry.what}"


def test_new_recovery_codes_replace_the_old_ones(lawyer_a):
    old = twofactor.new_recovery_codes(lawyer_a)
    client = staff_client(lawyer_a)
    assert re.search(r'id="recovery-left">10\b', client.get("/console/profile/").content.decode())
    page = client.post("/console/two-factor/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.verify(lawyer_a, old[0]).device is None
    assert twofactor.verify(lawyer_a, new[0]).device is not None


def test_the_django_admin_needs_the_second_factor_too(admin):
    unverified = staff_client(admin, verified=False).get("/admin/accounts/auditentry/")
    assert unverified.status_code == 302
    follow = staff_client(admin, verified=False).get(unverified["Location"])
    assert follow["Location"].startswith("/console/two-factor/?next=%2Fadmin%2F")
    assert staff_client(admin).get("/admin/accounts/auditentry/").status_code == 200


def test_the_admin_sends_strangers_to_the_console_login(stranger):
    response = stranger.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/console/login/?next=/admin/"


def test_a_verified_dispatcher_who_is_not_an_admin_is_refused_the_admin(dispatcher):
    client = staff_client(dispatcher)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
