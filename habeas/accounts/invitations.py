"""Invitations: the only way a member of staff gets an authenticator.

Two-factor enrolment used to be trust-on-first-use: whoever first logged in with the password
bound their own authenticator to the account. Now an administrator issues a single-use link
that expires; the person opens it, sets a password if they have none, and sets up the
authenticator. Logging in with a password alone enrols nothing.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from habeas.lib.keyed import token_digest

from . import audit
from .models import Invitation, User


def issue(user: User, by: User | None = None) -> str:
    """Issue a new invitation for `user` (earlier unused ones stop working); return its token."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True).delete()
        Invitation.objects.create(
            user=user,
            token_hash=token_digest(token),
            created_by=by,
            expires_at=timezone.now() + timedelta(hours=settings.HABEAS_INVITATION_HOURS),
        )
        audit.record(by, "change", what=f"invited staff {user.pk}")
    return token


def find(token: str) -> Invitation | None:
    """The open invitation behind a token: not used, not expired, for an active account."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("user")
        .filter(
            token_hash=token_digest(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def redeem(invitation_id: int, user: User) -> bool:
    """Use up an invitation once the authenticator it allowed is confirmed."""
    return bool(
        Invitation.objects.filter(
            pk=invitation_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now())
    )


def is_open(invitation_id: int | None, user: User) -> bool:
    """Whether this user holds an open invitation (the one their session came in with)."""
    if not invitation_id:
        return False
    return Invitation.objects.filter(
        pk=invitation_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def set_password(invitation: Invitation, password: str) -> User:
    """Set the invited person's first password (already checked by the password validators)."""
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(user, "change", what="password set by invitation")
    return user
