"""Who may use the console: active staff who have passed the second factor; some pages only
dispatchers."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from habeas.accounts import twofactor
from habeas.accounts.models import Role
from habeas.cases.models import Case
from habeas.dispatch import services as dispatch

from .replies import problem


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in Role.values


def is_verified(user) -> bool:
    """Whether this session passed the second factor (OTPMiddleware sets is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def is_safe_next(request: HttpRequest, target: str) -> bool:
    """Whether `next` is a path on this site: "/…", never "//host", a scheme or a bare word.

    A bare word ("abc") passed Django's host check and then went to redirect(), which read it
    as a URL pattern name and answered 500 (issue 14, finding 9).
    """
    return (
        bool(target)
        and len(target) <= 2000
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def safe_next(request: HttpRequest, default: str = "console:queue") -> str:
    """The ?next= (or posted next) path if it stays on this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_safe_next(request, target) else resolve_url(default)


def second_factor_step(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    """Send a logged-in, unverified user to enter a code, or to set up their app first;
    afterwards to `next_url` (by default, back to this request's page)."""
    step = "console:verify" if twofactor.has_device(request.user) else "console:setup"
    target = next_url or request.get_full_path()
    return redirect(f"{resolve_url(step)}?{urlencode({'next': target})}")


def staff_required(view: Callable) -> Callable:
    """Send visitors to log in, then to the second factor; refuse accounts that are not staff."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise PermissionDenied
        if not is_verified(user):
            return second_factor_step(request)
        return view(request, *args, **kwargs)

    return wrapped


def dispatcher_required(view: Callable) -> Callable:
    """Like staff_required, and answer a lawyer with a readable 403 page: dispatchers only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_dispatcher:
            return problem(request, _("Only dispatchers and administrators can see this."), 403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


def hotline_required(view: Callable) -> Callable:
    """Like staff_required, for the hotline's own pages: operators and dispatchers only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.takes_calls:
            return problem(
                request, _("Only the hotline's operators and dispatchers can see this."), 403
            )
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


def details_required(view: Callable) -> Callable:
    """Like staff_required, for a case's pages that show its personal data: the lawyer on the
    case and dispatchers only. The view is called with the case instead of its public id."""

    @wraps(view)
    def wrapped(request, public_id: str, *args, **kwargs):
        related = Case.objects.select_related("police_station", "near_station")
        case = get_object_or_404(related, public_id=public_id)
        if not dispatch.may_see_details(request.user, case):
            message = _("Only the lawyer on this case or a dispatcher can see this.")
            return problem(request, message, 403)
        return view(request, case, *args, **kwargs)

    return staff_required(wrapped)


def admin_required(view: Callable) -> Callable:
    """Like staff_required, for administrators only: who may bring staff in or let them go."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.ADMIN:
            return problem(request, _("Only administrators can see this."), 403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)
