"""The API's answer while its database is unreachable (a restart, a failover): 503 in the
API's one error shape, with Retry-After, never Django's 500 page.

Nothing was saved: an SOS answered so is not received, and its body says so. The PWA keeps
the SOS and sends it again under the same key after any 5xx (public/static/public/js/net.js,
every few seconds, whatever Retry-After says), so the retry makes one case, not two.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# The errors of a database the server cannot reach, or that is going away under it.
DATABASE_AWAY = (OperationalError, InterfaceError)
# A PostgreSQL restart took 3-4 s in the stack test (docs/deploy.md, section 13).
RETRY_AFTER_SECONDS = 5


def response() -> JsonResponse:
    """503 with the API's error body in the reader's language, and Retry-After."""
    detail = _(
        "Not received: the hotline's server cannot reach its database for a moment, so "
        "nothing was saved. Send it again in a few seconds (the app does so by itself)."
    )
    answer = JsonResponse({"detail": detail, "errors": []}, status=503)
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    answer["Cache-Control"] = "no-store"
    return answer


def on_database_away(request: HttpRequest, exc: Exception) -> JsonResponse:
    """The API's handler for DATABASE_AWAY raised in a view."""
    # Only the class: the error's text names the database's host and port.
    log.warning("database unreachable (%s): answered 503", type(exc).__name__)
    return response()
