"""handler500: a request that failed because the database is unreachable answers 503.

Django turns an exception raised anywhere in a request (a view, or a middleware loading the
session) into this view's answer, with the exception still being handled, so it can tell a
database restart or failover from a bug: the API gets its own JSON 503 (api/unavailable.py),
every other page a plain localised one, both with Retry-After; a bug still gets a 500.
The page is rendered without the request, so that no context processor touches the database
it could not reach.

The 404 and 500 pages (templates 404.html, 500.html) are rendered the same way, in the
language LocaleMiddleware chose, with the hotline and a way home: a relative whose status link
no longer works (a mistyped link, a case no longer kept) must still find a number to call.
"""

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.urls import reverse

from habeas.api import unavailable
from habeas.public.pages import tel_href


def _context(path: str) -> dict:
    console = path.startswith(reverse("console:queue"))
    return {
        "hotline": settings.HABEAS_HOTLINE_PHONE,
        "hotline_tel": tel_href(settings.HABEAS_HOTLINE_PHONE),
        "org_name": settings.HABEAS_ORG_NAME,
        # Staff who mistype a console address go back to the queue, everyone else home.
        "console": console,
        "home": reverse("console:queue") if console else reverse("public:home"),
        "status_link": path.startswith("/s/"),
    }


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the page says what a dead status link means, in the reader's language."""
    response = HttpResponse(render_to_string("404.html", _context(request.path)), status=404)
    # A status link's token is in the path; a dead one is handed to no other site either.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if not isinstance(sys.exc_info()[1], unavailable.DATABASE_AWAY):
        try:
            page = render_to_string("500.html", _context(request.path))
        except Exception:  # the error page must answer, whatever else is broken
            return HttpResponseServerError("500", content_type="text/plain")
        return HttpResponseServerError(page)
    if request.path.startswith("/api/"):
        return unavailable.response()
    page = render_to_string("ops/unavailable.html", {"hotline": settings.HABEAS_HOTLINE_PHONE})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(unavailable.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
