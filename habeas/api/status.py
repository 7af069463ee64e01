"""The status resource: what the detainee's and the family's screens poll."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from ninja import Router

from . import limits
from .cases import StatusToken, status_body
from .schemas import ErrorOut, StatusOut

router = Router(tags=["status"])


def _etag(case) -> str:
    # The language is part of it because the message is translated for the reader.
    return f'W/"{case.updated_at.timestamp():.6f}-{get_language()}"'


@router.get(
    "/cases/status",
    response={200: StatusOut, 304: None, 401: ErrorOut, 429: ErrorOut},
    auth=StatusToken(),
    summary="The case's status and public timeline",
)
def case_status(request: HttpRequest):
    """Answer the detainee's or family's status screen; no staff notes, no personal data.

    Polled every couple of seconds, so an unchanged case answers 304 from one indexed lookup.
    """
    case = request.auth.case
    wait = limits.hit(
        "status", limits.client_network(request), settings.HABEAS_RATE_STATUS_PER_NETWORK
    )
    if wait is not None:
        return limits.too_many("Too many requests.", wait)
    etag = _etag(case)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(status_body(case, request.auth))
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache, private"
    response["Vary"] = "Authorization, Accept-Language, Cookie"
    return response
