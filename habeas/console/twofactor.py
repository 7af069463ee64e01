"""The second factor: set up an authenticator app, enter its code, get recovery codes.

These pages need a password login but not yet a second factor; every other console page
needs both (access.staff_required). Codes are checked by habeas.accounts.twofactor.
"""

import io
from base64 import b64encode
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from habeas.accounts import audit, invitations, twofactor

from .access import is_staff_member, is_verified, safe_next, staff_required

# The invitation a browser came in with (console/welcome.py puts it in the session).
INVITATION_SESSION_KEY = "habeas_invitation"
INVITATION_NEEDED = {
    "heading": gettext_lazy("An invitation is needed"),
    "explanation": gettext_lazy(
        "An authenticator app is set up only through an administrator's invitation link, never "
        "with a password alone: whoever learned your password could otherwise bind their own "
        "phone to your account. Ask an administrator for an invitation link, and open it on "
        "this device."
    ),
}


def password_checked(view: Callable) -> Callable:
    """Let in staff who gave their password, verified or not; send others to log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def qr_data_uri(text: str) -> str:
    """Draw `text` as a QR code on the server: an SVG data: URI, so no script and no request."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=5, border=2, dark="#000", light="#fff", xmldecl=False
    )
    return "data:image/svg+xml;base64," + b64encode(out.getvalue()).decode()


def _verified(request: HttpRequest, device, how: str) -> None:
    otp_login(request, device)
    # A new session id once the account is fully signed in: a planted one is useless.
    request.session.cycle_key()
    audit.record(request.user, "login", what=how)


def _codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    context = {"codes": codes, "next": next_url, "heading": _("Recovery codes"), "two_factor": True}
    return render(request, "console/recovery_codes.html", context)


@never_cache
@password_checked
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR code, URI, text); the first right code confirms it.

    Only for a browser that came in through an administrator's invitation link.
    """
    user = request.user
    next_url = safe_next(request)
    if is_verified(user):
        return redirect(next_url)
    if twofactor.has_device(user):
        # Replacing an existing authenticator needs that authenticator: never with a password.
        return redirect(_with_next("console:verify", next_url))
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if not invitations.is_open(invitation_id, user):
        # Never trust on first use: whoever had the password would bind their own phone.
        return render(request, "console/invitation.html", INVITATION_NEEDED, status=403)
    device = twofactor.pending_device(user)
    error = ""
    if request.method == "POST":
        codes = twofactor.confirm(device, request.POST.get("code", ""))
        if codes is not None and invitations.redeem(invitation_id, user):
            request.session.pop(INVITATION_SESSION_KEY, None)
            device.refresh_from_db()
            _verified(request, device, "two-factor set up")
            return _codes_page(request, codes, next_url)
        audit.record(user, "login_failed", what="two-factor setup code")
        error = _("That code did not match. Check the time on your phone and try the next code.")
    context = {
        "secret": twofactor.secret_base32(device),
        "uri": device.config_url,
        "qr": qr_data_uri(device.config_url),
        "error": error,
        "next": next_url,
        "heading": _("Set up two-factor login"),
        "two_factor": True,
    }
    return render(request, "console/setup_2fa.html", context, status=400 if error else 200)


@never_cache
@password_checked
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app, or a recovery code."""
    user = request.user
    next_url = safe_next(request)
    if is_verified(user):
        return redirect(next_url)
    if not twofactor.has_device(user):
        return redirect(_with_next("console:setup", next_url))
    error = ""
    if request.method == "POST":
        check = twofactor.verify(user, request.POST.get("code", ""))
        if check.device is not None:
            how = "recovery code" if check.by_recovery_code else "two-factor"
            _verified(request, check.device, how)
            if check.by_recovery_code:
                _warn_recovery_used(request, twofactor.recovery_codes_left(user))
            return redirect(next_url)
        audit.record(user, "login_failed", what="two-factor code")
        if check.throttled:
            error = _("Too many wrong codes. Wait a minute, then try again.")
        else:
            error = _("That code is not right, or it was already used.")
    context = {
        "error": error,
        "next": next_url,
        "heading": _("Two-factor login"),
        "two_factor": True,
    }
    return render(request, "console/verify_2fa.html", context, status=400 if error else 200)


def _warn_recovery_used(request: HttpRequest, left: int) -> None:
    messages.warning(
        request,
        ngettext(
            "You used a recovery code; %(n)d is left. Make new ones in your profile.",
            "You used a recovery code; %(n)d are left. Make new ones in your profile.",
            left,
        )
        % {"n": left},
    )


@never_cache
@staff_required
@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working) and show the new ones once."""
    codes = twofactor.new_recovery_codes(request.user)
    return _codes_page(request, codes, reverse("console:profile"))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"
