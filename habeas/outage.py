"""handler500: a request that failed because the database is unreachable answers 503.

Django turns an exception raised anywhere in a request (a view, or a middleware loading the
session) into this view's answer, with the exception still being handled, so it can tell a
database restart or failover from a bug: the API gets its own JSON 503 (api/unavailable.py),
every other page a plain localised one, both with Retry-After; a bug still gets Django's 500.
The page is rendered without the request, so that no context processor touches the database
it could not reach.
"""

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from habeas.api import unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    if not isinstance(sys.exc_info()[1], unavailable.DATABASE_AWAY):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        return unavailable.response()
    page = render_to_string("ops/unavailable.html", {"hotline": settings.HABEAS_HOTLINE_PHONE})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(unavailable.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
