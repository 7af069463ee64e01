"""The protester's PWA: the SOS, summons, timer and wipe pages, the manifest and the worker.

The pages' script strings live in `catalogues`, what the worker keeps offline in `bundle`.
"""

import json
import re
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from habeas.lib.permissions_policy import allow
from habeas.lib.places import known_cities
from habeas.stations.models import PoliceStation
from habeas.timers.services import PIN_MAX, PIN_MIN

from . import bundle, catalogues
from .pages import hotline, scripts, tel_href, with_language_form

__all__ = ["tel_href"]  # lives in .pages; re-exported for callers that knew it here

# Holding the button this long sends; short enough for seconds-before-arrest, long enough
# that a phone in a pocket does not call a lawyer.
HOLD_MS = 1500
THEME_COLOUR = "#b71c1c"
DISCREET_COLOUR = "#5a5a5a"  # the discreet install's: not the SOS red
# Bounds the API checks too (habeas.api.schemas): a summons's date and place. The timer's
# PIN bounds are the domain's (habeas.timers.services).
SUMMONS_DAYS_BACK, SUMMONS_DAYS_AHEAD = 30, 366
SUMMONS_PLACE_MAX = 200


def sms_number() -> str:
    """Return the hotline's SMS number as an sms: link wants it, or "" when there is none."""
    return re.sub(r"[^0-9+]", "", getattr(settings, "HABEAS_SMS_NUMBER", "") or "")


def _config(request: HttpRequest, **extra) -> dict:
    return {
        "pollMs": settings.HABEAS_POLL_MS,
        "lang": get_language(),
        "sw": reverse("public:sw"),
        "home": reverse("public:home"),
        "wipe": reverse("public:wipe"),
        "api": {
            "cases": reverse("api:send_sos"),
            "status": reverse("api:case_status"),
            "withdraw": reverse("api:withdraw"),
            "forget": reverse("api:forget"),
            "callback": reverse("api:ask_callback"),
            "evidence": reverse("api:evidence"),
        },
        **extra,
    }


# Each sending page's scripts, in load order: storage, then network, then the page's own.
# The vendored SHA-256 goes with "evidence": the status screen's uploads hash on the phone.
SCRIPTS = {
    "home": ["store", "net", "sms-payload", "status", "details", "sha256", "evidence", "sos"],
    "request": ["store", "net", "status", "details", "sha256", "evidence", "request"],
    "relative": ["store", "net", "status", "sha256", "evidence", "relative"],
    "timer": ["store", "net", "details", "timer"],
}


def _page_context(**extra) -> dict:
    return {
        **hotline(),
        "theme_colour": THEME_COLOUR,
        "discreet_colour": DISCREET_COLOUR,
        "contact_slots": [1, 2, 3],
        "evidence_max_mb": settings.HABEAS_EVIDENCE_MAX_MB,
        **extra,
    }


@require_safe
@allow("geolocation")  # the SOS carries the location; every other page is denied it
def home(request: HttpRequest) -> HttpResponse:
    """Render the SOS page; the details and the case's token live only in the phone's storage."""
    config = _config(request, holdMs=HOLD_MS, smsNumber=sms_number())
    context = _page_context(
        config=config,
        strings=catalogues.sos(),
        hold_ms=HOLD_MS,
        scripts=scripts(*SCRIPTS["home"]),
        cities=known_cities(get_language()),
    )
    return with_language_form(render(request, "public/home.html", context))


def _request_context(request: HttpRequest, field: str, **extra) -> dict:
    today = timezone.localdate()
    return _page_context(
        scripts=scripts(*SCRIPTS["request"]),
        config=_config(request),
        strings=catalogues.request(field),
        place_max=SUMMONS_PLACE_MAX,
        # The API's bounds: a day in the last month or in the coming year.
        date_min=today - timedelta(days=SUMMONS_DAYS_BACK),
        date_max=today + timedelta(days=SUMMONS_DAYS_AHEAD),
        **extra,
    )


@require_safe
def summons(request: HttpRequest) -> HttpResponse:
    """Render the "I have been summoned" form; it sends a summons case with the saved details."""
    reasons = [
        ("witness", _("Questioning as a witness")),
        ("conversation", _("A police “conversation”")),
        ("metro", _("After a stop in the metro")),
        ("other", _("Other")),
    ]
    context = _request_context(request, "summons", reasons=reasons)
    return with_language_form(render(request, "public/summons.html", context))


@require_safe
def aid_request(request: HttpRequest) -> HttpResponse:
    """Render "Ask for legal help": a consultation, court representation or an appeal, sent
    with the saved details as a request (hours, not minutes), never as an SOS."""
    kinds = [
        (
            "consultation",
            _("A consultation"),
            _("Advice on your situation: what to expect, what to do."),
        ),
        ("court", _("A lawyer in court"), _("You have a hearing: give its date, time and court.")),
        (
            "appeal",
            _("Help with an appeal"),
            _("You were fined or arrested: an appeal has 10 days from the copy of the decision."),
        ),
    ]
    context = _request_context(request, "request", kinds=kinds)
    return with_language_form(render(request, "public/request.html", context))


@require_safe
def relative(request: HttpRequest) -> HttpResponse:
    """Render "Someone I know was detained": a relative or witness reports another person.

    No hold is needed: this is not the reporter's own emergency, but it is dispatched like
    one. A station chosen from the list routes the case by that station's position.
    """
    stations = [
        {"name": name, "lat": lat, "lon": lon}
        for name, lat, lon in PoliceStation.objects.order_by("name").values_list(
            "name", "lat", "lon"
        )
    ]
    context = _page_context(
        scripts=scripts(*SCRIPTS["relative"]),
        config=_config(request),
        strings=catalogues.relative(),
        stations=stations,
        cities=known_cities(get_language()),
    )
    return with_language_form(render(request, "public/relative.html", context))


@require_safe
@allow("geolocation")  # "send where I am now, too"
def timer(request: HttpRequest) -> HttpResponse:
    """Render the check-in timer: arm it, check in with a PIN, or delete it from the server."""
    config = _config(
        request,
        pinMin=PIN_MIN,
        pinMax=PIN_MAX,
        timers={
            "arm": reverse("api:arm_timer"),
            "checkin": reverse("api:timer_checkin"),
            "status": reverse("api:timer_status"),
            "delete": reverse("api:timer_delete"),
        },
    )
    context = _page_context(
        scripts=scripts(*SCRIPTS["timer"]),
        config=config,
        strings=catalogues.timer(),
        pin_min=PIN_MIN,
        pin_max=PIN_MAX,
        pin_pattern=f"[0-9]{{{PIN_MIN},{PIN_MAX}}}",
    )
    return with_language_form(render(request, "public/timer.html", context))


@require_safe
@never_cache
def wipe(request: HttpRequest) -> HttpResponse:
    """Render the panic wipe: its script clears every trace Habeas left in this browser."""
    response = render(request, "public/wipe.html", {"home": reverse("public:home")})
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _manifest(data: dict, icons: list) -> JsonResponse:
    home = reverse("public:home")
    data = {
        "lang": get_language(),
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        **data,
        "icons": [
            {"src": static(path), "sizes": size, "type": "image/png", "purpose": purpose}
            for path, size, purpose in icons
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """Describe the installable app: name, start page, colours and icons."""
    return _manifest(
        {
            "id": reverse("public:home"),
            "name": _("%(org)s — SOS to a lawyer") % {"org": settings.HABEAS_ORG_NAME},
            "short_name": _("SOS"),
            "description": _("Hold one button to get a lawyer when you are detained."),
            "theme_color": THEME_COLOUR,
        },
        bundle.ICONS,
    )


@require_safe
def discreet_manifest(request: HttpRequest) -> JsonResponse:
    """Describe the same app under a neutral name and icon, for a home screen police may see.

    Nothing here names SOS, lawyers or the organisation. Its own id makes it a separate
    install, so choosing it does not rename an app already installed under the real name.
    """
    return _manifest(
        {
            "id": reverse("public:home") + "?notes",
            "name": _("Notes"),
            "short_name": _("Notes"),
            "theme_color": DISCREET_COLOUR,
        },
        bundle.DISCREET_ICONS,
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the service worker from the root path, so that it controls the whole site."""
    # The body names the language, so switching it makes the browser install a new worker,
    # which caches the pages in the new language.
    body = render_to_string(
        "public/sw.js",
        {
            "version": bundle.shell_version(),
            "lang": json.dumps((get_language() or settings.LANGUAGE_CODE).split("-")[0]),
            "shell_json": json.dumps(bundle.shell_urls()),
            "pages_json": json.dumps(bundle.page_urls(), ensure_ascii=False),
            "home": json.dumps(reverse("public:home")),
            "wipe": json.dumps(reverse("public:wipe")),
            "api_prefix": json.dumps(reverse("api:api-root")),
            "cases": json.dumps(reverse("api:send_sos")),
            "installs": json.dumps(reverse("api:count_install")),
        },
    )
    return bundle.worker_response(body)
