"""Bringing staff in and letting them go: accounts, invitations, the end of their sessions.

An administrator invites a dispatcher, operator or lawyer by email; the invitation link
(habeas.accounts.invitations) sets their password and authenticator. A member of staff who
leaves, or whose phone was taken, is deactivated at once: the account can no longer log in,
every session it holds ends, its authenticator, recovery codes and push subscriptions go,
and only a new invitation brings it back. Accounts are never deleted: the audit log names
them.

What happens to their cases and offers is dispatch's business (dispatch.services.staff_left,
which calls deactivate here).
"""

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from habeas.lib.refusals import Refusal

from . import audit, invitations
from .models import Role, SealedTOTPDevice, User
from .sessions import SessionStore


class StaffRefused(Refusal):
    """bad_email, bad_role, name_too_long (params limit), already_staff, deactivated,
    not_yourself, last_admin."""

    CODES = frozenset(
        {
            "bad_email",
            "bad_role",
            "name_too_long",
            "already_staff",
            "deactivated",
            "not_yourself",
            "last_admin",
        }
    )


NAME_MAX = 150  # Django's first_name / last_name


def _checked_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise StaffRefused("bad_email") from exc
    return email


def invite(email: str, role: str, *, by: User, name: str = "") -> tuple[User, str]:
    """Create a staff account (or reopen a deactivated one) and issue its invitation.

    Returns the account and the invitation's token, which is shown once and never stored.
    An active account that already exists gets a new link instead (a lost link, a new
    phone): its earlier unused links stop working.
    """
    email = _checked_email(email)
    if role not in Role.values:
        raise StaffRefused("bad_role")
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise StaffRefused("name_too_long", limit=NAME_MAX)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email).first()
        if user is not None and user.is_active and user.has_usable_password():
            raise StaffRefused("already_staff")
        if user is None:
            user = User.objects.create_user(email=email, password=None, role=role)
        user.role = role
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        if name:
            user.first_name, _, user.last_name = name.partition(" ")
        user.save()
        token = invitations.issue(user, by=by)
    return user, token


def new_link(user: User, *, by: User) -> str:
    """A fresh invitation for an active account (its earlier unused links stop working)."""
    if not user.is_active:
        raise StaffRefused("deactivated")
    return invitations.issue(user, by=by)


def end_sessions(user: User) -> int:
    """Delete every session this account holds, on every device; return how many.

    The store keeps only a hash of each session's key, so sessions are found by what they
    hold. Staff are few and sessions short, so reading each live one is cheap.
    """
    store = SessionStore()
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store.decode(session.session_data)
        if str(data.get("_auth_user_id", "")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def deactivate(user: User, *, by: User) -> int:
    """Lock a member of staff out now; return how many sessions ended. Call it inside the
    caller's transaction (dispatch.services.staff_left), which also hands on their work."""
    if user.pk == by.pk:
        raise StaffRefused("not_yourself")
    if user.role == Role.ADMIN:
        others = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            raise StaffRefused("last_admin")
    user.is_active = False
    # A new invitation is the only way back: it sets a new password and authenticator.
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    SealedTOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.invitations.filter(used_at__isnull=True).delete()
    user.push_subscriptions.all().delete()
    ended = end_sessions(user)
    audit.record(by, "change", what=f"deactivated staff {user.pk}")
    return ended
