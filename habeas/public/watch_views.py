"""The read-only status page a trusted contact opens from their SMS or email."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from habeas.cases.services import case_for_watch_token
from habeas.cases.status import public_status
from habeas.court import public as court

from .pages import hotline


@require_safe
@never_cache
def watch(request: HttpRequest, token: str) -> HttpResponse:
    """Show the case's stage and station: nothing the detainee did not choose to share."""
    case = case_for_watch_token(token)
    if case is None:
        raise Http404
    # A contact reads of the person ("They were released"), never "you".
    view = public_status(case, own=False)
    response = render(
        request,
        "public/watch.html",
        {
            "status": view,
            "court": court.for_the_person(case),
            "updated": view.events[-1].at if view.events else None,
            # Follow in Telegram: the bot's deep link subscribes the chat that opens it.
            "telegram_link": (
                f"https://t.me/{settings.HABEAS_TELEGRAM_BOT_NAME}?start={token}"
                if settings.HABEAS_TELEGRAM_BOT_NAME
                else ""
            ),
            **hotline(),
        },
    )
    # The token is in the path; never hand it to another site in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
