"""Audit every password login and every failed one: who (by account), never from where."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit
from .models import User


@receiver(user_logged_in, dispatch_uid="habeas-audit-login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit.record(user, "login", what="password")


@receiver(user_login_failed, dispatch_uid="habeas-audit-login-failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The actor is the account the attempt named, if there is one; the typed name is not kept.
    name = str((credentials or {}).get("username") or "").strip().lower()
    actor = User.objects.filter(email=name).first() if name else None
    locked = getattr(request, "axes_locked_out", False)
    audit.record(actor, "login_failed", what="locked out" if locked else "password")
