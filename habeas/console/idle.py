"""End staff sessions left idle: a laptop left open in a seized office should not stay in.

Only requests a person makes count as activity. The live polls (queue list, case refresh)
and the service worker's update checks run by themselves while a page is open, so they are
served but never move the clock; otherwise an open tab would keep a session alive forever.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Requests the browser makes by itself.
PASSIVE_VIEWS = frozenset({"console:queue_fragment", "console:case_live", "console:service_worker"})
# Only staff pages count as a person at work. The PWA and the public API are on the same
# origin, so the session cookie rides along on their requests too: a phone on the office
# network, or a tab of the PWA left open, once kept an idle console session alive forever.
ACTIVE_NAMESPACES = frozenset({"console", "admin"})
SESSION_KEY = "habeas_active_at"


def is_staff_page(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and bool(set(match.namespaces) & ACTIVE_NAMESPACES)


def is_passive(request: HttpRequest) -> bool:
    """Whether this staff-page request is one the browser makes by itself."""
    match = request.resolver_match
    return match is not None and match.view_name in PASSIVE_VIEWS


class IdleTimeoutMiddleware:
    """Log out a session whose last human request is older than HABEAS_IDLE_MINUTES."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = time.time()
        staff_page = is_staff_page(request)
        passive = is_passive(request)
        last = request.session.get(SESSION_KEY)
        if last is not None and now - last > settings.HABEAS_IDLE_MINUTES * 60:
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)d minutes without activity.")
                % {"minutes": settings.HABEAS_IDLE_MINUTES},
            )
            if not staff_page:
                # The PWA and the API need no staff session: serve them (an SOS above all).
                return None
            if passive:
                # A poll: no page to go to. The page's script reloads on 401 and lands on
                # the login page, where the message waits.
                return HttpResponse(status=401)
            return redirect_to_login(request.get_full_path())
        if staff_page and (last is None or not passive):
            request.session[SESSION_KEY] = now
        return None
