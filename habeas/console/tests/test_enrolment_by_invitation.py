"""An authenticator is set up only through an administrator's invitation, never on first login.

Found in security round 2: two-factor enrolment was trust-on-first-use, so whoever first
logged in with a stolen password bound their own authenticator to the account.
"""

import io
import re
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, staff_client
from habeas.accounts import invitations, twofactor
from habeas.accounts.models import Invitation, Role, User

from .test_two_factor import EN, code_for_secret, newcomer  # noqa: F401 - fixture

STRONG = "long enough to be a real passphrase 7"


def test_a_password_alone_cannot_set_up_an_authenticator(newcomer):  # noqa: F811
    client = staff_client(newcomer, verified=False)
    response = client.get("/console/two-factor/setup/", headers=EN)
    assert response.status_code == 403
    assert "invitation" in response.content.decode()
    assert client.post("/console/two-factor/setup/", {"code": "123456"}).status_code == 403
    assert not twofactor.has_device(newcomer)
    assert client.get("/console/").status_code == 302


def test_an_invitation_sets_the_password_then_the_authenticator_once(db):
    person = User.objects.create_user(email="nina@lawyers.test", role=Role.LAWYER)
    assert not person.has_usable_password()
    token = invitations.issue(person)
    client = Client()
    page = client.get(f"/console/welcome/{token}/", headers=EN)
    assert page.status_code == 200 and "nina@lawyers.test" in page.content.decode()

    weak = client.post(
        f"/console/welcome/{token}/", {"new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 400
    person.refresh_from_db()
    assert not person.has_usable_password()

    done = client.post(
        f"/console/welcome/{token}/", {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert done["Location"] == "/console/two-factor/setup/"
    html = client.get("/console/two-factor/setup/").content.decode()
    codes = client.post("/console/two-factor/setup/", {"code": code_for_secret(html)})
    assert len(re.findall(r"<li><code>", codes.content.decode())) == 10
    assert twofactor.has_device(person)
    assert client.get("/console/").status_code == 200
    assert Invitation.objects.get(user=person).used_at is not None
    person.refresh_from_db()
    assert person.check_password(STRONG)

    # Used up: the same link opens nothing for anyone.
    assert Client().get(f"/console/welcome/{token}/").status_code == 410


def test_an_expired_or_replaced_invitation_opens_nothing(newcomer):  # noqa: F811
    old = invitations.issue(newcomer)
    new = invitations.issue(newcomer)
    assert Client().get(f"/console/welcome/{old}/").status_code == 410
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(f"/console/welcome/{new}/").status_code == 410


def test_an_invitation_for_someone_with_a_password_asks_them_to_log_in(newcomer):  # noqa: F811
    client = Client()
    response = client.get(f"/console/welcome/{invitations.issue(newcomer)}/")
    assert response["Location"] == "/console/login/?next=%2Fconsole%2Ftwo-factor%2Fsetup%2F"
    login = client.post(
        "/console/login/?next=/console/two-factor/setup/",
        {"username": newcomer.email, "password": PASSWORD, "next": "/console/two-factor/setup/"},
    )
    assert login.status_code == 302
    assert client.get("/console/two-factor/setup/").status_code == 200


def test_only_a_hash_of_the_invitation_is_kept(newcomer):  # noqa: F811
    token = invitations.issue(newcomer)
    row = Invitation.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_the_first_administrator_is_made_with_the_invite_command(db):
    out = io.StringIO()
    call_command("invite", "Root@Org.test", "--create", "--role", "admin", stdout=out)
    admin = User.objects.get(email="root@org.test")
    assert admin.is_superuser and admin.role == Role.ADMIN
    link = re.search(r"(/console/welcome/[^/\s]+/)", out.getvalue()).group(1)
    assert Client().get(link).status_code == 200
