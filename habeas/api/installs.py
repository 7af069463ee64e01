"""The anonymous install count: the service worker's one report of its first install.

The report carries nothing and nothing of it is kept but +1 on the day's number
(habeas.stats.services.count_install): not the address (the rate limit keys a keyed hash of
the network, in the cache, for two minutes), not the user agent, not a cookie (the worker
sends none), not the time. A body or a query string is refused, so no client can slip an
identifier in and believe it was kept.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from habeas.stats import services as stats

from . import limits
from .schemas import ErrorOut

router = Router(tags=["installs"])


def _refused(field: str, message: str) -> JsonResponse:
    # The API's error shape, as limits.too_many writes it.
    item = {"field": field, "message": message, "code": "must_be_empty"}
    body = {"detail": _("An install report carries nothing."), "errors": [item]}
    return JsonResponse(body, status=400)


@router.post(
    "/installs",
    response={204: None, 400: ErrorOut, 429: ErrorOut},
    summary="Count one first install of the app (anonymous)",
)
def count_install(request: HttpRequest):
    """Add one to today's count of first installs. No body, no query; nothing else is kept."""
    if request.GET:
        return _refused("query", _("Send no query string."))
    if request.body:
        return _refused("body", _("Send no body."))
    wait = limits.hit(
        "installs", limits.client_network(request), settings.HABEAS_RATE_INSTALLS_PER_NETWORK
    )
    if wait is not None:
        return limits.too_many("Too many requests.", wait)
    stats.count_install()
    return HttpResponse(status=204)
