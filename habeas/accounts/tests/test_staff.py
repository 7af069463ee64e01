"""Staff come in by invitation and leave at once: an administrator's two tools."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from conftest import PASSWORD, staff_client
from habeas.accounts import invitations, staff
from habeas.accounts.models import AuditEntry, Role, SealedTOTPDevice, User
from habeas.notifications.models import PushSubscription


def test_an_invitation_makes_an_account_that_cannot_log_in_until_it_is_used(admin):
    user, token = staff.invite(" Vera@Lawyers.test ", Role.LAWYER, by=admin, name="Vera  Petrova")
    assert (user.email, user.role, user.first_name, user.last_name) == (
        "vera@lawyers.test",
        Role.LAWYER,
        "Vera",
        "Petrova",
    )
    assert not user.has_usable_password()
    assert invitations.find(token).user == user
    assert AuditEntry.objects.filter(actor=admin, what=f"invited staff {user.pk}").exists()


def test_an_administrator_invited_can_use_the_django_admin_and_a_lawyer_cannot(admin):
    boss, _ = staff.invite("boss@hotline.test", Role.ADMIN, by=admin)
    vera, _ = staff.invite("vera@lawyers.test", Role.LAWYER, by=admin)
    assert boss.is_staff and boss.is_superuser
    assert not vera.is_staff and not vera.is_superuser


@pytest.mark.parametrize(
    ("email", "role", "name", "code"),
    [
        ("not an email", Role.LAWYER, "", "bad_email"),
        ("", Role.LAWYER, "", "bad_email"),
        ("vera@lawyers.test", "judge", "", "bad_role"),
        ("vera@lawyers.test", Role.LAWYER, "x" * 151, "name_too_long"),
        ("anna@lawyers.test", Role.LAWYER, "", "already_staff"),
    ],
)
def test_bad_invitations_are_refused_with_a_code_and_make_nothing(
    admin, lawyer_a, email, role, name, code
):
    before = User.objects.count()
    with pytest.raises(staff.StaffRefused) as refused:
        staff.invite(email, role, by=admin, name=name)
    assert refused.value.code == code
    assert User.objects.count() == before


def test_deactivating_ends_every_session_of_that_person_only(admin, lawyer_a, lawyer_b):
    phone, laptop = staff_client(lawyer_a), staff_client(lawyer_a)
    colleague = staff_client(lawyer_b)
    assert phone.get("/console/").status_code == 200
    PushSubscription.objects.create(
        user=lawyer_a, endpoint="https://push.test/1", p256dh="k", auth="a"
    )

    assert staff.deactivate(lawyer_a, by=admin) == 2

    for browser in (phone, laptop):
        assert browser.get("/console/").status_code == 302  # back to the login page
    assert colleague.get("/console/").status_code == 200
    assert Session.objects.count() == 1
    lawyer_a.refresh_from_db()
    assert not lawyer_a.is_active and not lawyer_a.has_usable_password()
    assert not SealedTOTPDevice.objects.filter(user=lawyer_a).exists()
    assert not PushSubscription.objects.filter(user=lawyer_a).exists()
    assert AuditEntry.objects.filter(actor=admin, what=f"deactivated staff {lawyer_a.pk}").exists()


def test_a_deactivated_person_cannot_log_in_with_their_old_password(admin, lawyer_a):
    staff.deactivate(lawyer_a, by=admin)
    browser = Client()
    browser.post("/console/login/", {"username": lawyer_a.email, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session


def test_a_deactivated_person_comes_back_only_through_a_new_invitation(admin, lawyer_a):
    staff.deactivate(lawyer_a, by=admin)
    with pytest.raises(staff.StaffRefused) as refused:
        staff.new_link(lawyer_a, by=admin)
    assert refused.value.code == "deactivated"
    back, token = staff.invite(lawyer_a.email, Role.DISPATCHER, by=admin)
    assert back.pk == lawyer_a.pk and back.is_active and back.role == Role.DISPATCHER
    assert invitations.find(token).user == back


def test_a_lost_link_is_replaced_and_the_old_one_stops_working(admin):
    vera, first = staff.invite("vera@lawyers.test", Role.LAWYER, by=admin)
    # Not yet set up: inviting again is the same as a new link.
    _, second = staff.invite("vera@lawyers.test", Role.LAWYER, by=admin)
    third = staff.new_link(vera, by=admin)
    assert invitations.find(first) is None and invitations.find(second) is None
    assert invitations.find(third).user == vera
