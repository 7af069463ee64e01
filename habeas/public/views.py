"""The protester's PWA: the SOS page, its web app manifest and its service worker."""

import hashlib
import json
import re
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# Holding the button this long sends; short enough for seconds-before-arrest, long enough
# that a phone in a pocket does not call a lawyer.
HOLD_MS = 1500
THEME_COLOUR = "#b71c1c"
CSS = "public/css/sos.css"
JS = "public/js/sos.js"
ICONS = [
    ("public/icons/icon-192.png", "192x192", "any"),
    ("public/icons/icon-512.png", "512x512", "any"),
    ("public/icons/maskable-512.png", "512x512", "maskable"),
]
SHELL_STATIC = [CSS, JS, *(path for path, _size, _purpose in ICONS)]
SHELL_TEMPLATES = ["public/home.html", "public/sw.js"]


def tel_href(phone: str) -> str:
    """Turn a display number like "+7 800 000-00-00" into a dialable "tel:+78000000000"."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as f:
            return f.read()
    with staticfiles_storage.open(path) as f:
        return f.read()


def _read_template(name: str) -> bytes:
    origin = get_template(name).origin
    with open(origin.name, "rb") as f:
        return f.read()


@lru_cache(maxsize=1)
def _shell_version() -> str:
    digest = hashlib.sha256()
    for path in SHELL_STATIC:
        digest.update(_read_static(path))
    for name in SHELL_TEMPLATES:
        digest.update(_read_template(name))
    return digest.hexdigest()[:12]


def shell_version() -> str:
    """Hash the shell's files, so a deploy that changes any of them replaces the offline cache.

    Computed once per process in production; in debug on every call, so edits show up.
    """
    if settings.DEBUG:
        return _shell_version.__wrapped__()
    return _shell_version()


def shell_urls() -> list[str]:
    """List what the service worker precaches: the page, its manifest and its static files."""
    return [
        reverse("public:home"),
        reverse("public:manifest"),
        *(static(path) for path in SHELL_STATIC),
    ]


def _strings() -> dict:
    # The page's JavaScript shows these; translating them here keeps one catalogue.
    return {
        "sending": _("Sending SOS…"),
        "locating": _("Sending SOS… (finding your location, at most 3 seconds)"),
        "notYet": _("Not sent yet — will keep trying every few seconds."),
        "resuming": _("An SOS from earlier was not sent yet. Trying again…"),
        "stopped": _("Stopped. The SOS was not sent."),
        "tooShort": _("Keep holding the button for 1.5 seconds to send."),
        "rejected": _("The hotline could not accept these details:"),
        "rejectedOther": _(
            "The hotline could not accept the SOS. Send it without details, or call."
        ),
        "saved": _("Saved on this phone only."),
        "cleared": _("Your details were removed from this phone."),
        "received": _("Your SOS was received."),
        "offline": _("No connection. Showing the last known status; retrying."),
        "gone": _("This case is no longer available. Call the hotline if you need help."),
        "withdrawFailed": _("Could not withdraw: no connection. Try again or call the hotline."),
        "station": _("Police station:"),
        "fields": {
            "full_name": _("Full name"),
            "date_of_birth": _("Date of birth"),
            "phone": _("Phone"),
            "note": _("Note"),
        },
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Render the SOS page; the details and the case's token live only in the phone's storage."""
    phone = settings.HABEAS_HOTLINE_PHONE
    config = {
        "holdMs": HOLD_MS,
        "pollMs": settings.HABEAS_POLL_MS,
        "lang": get_language(),
        "sw": reverse("public:sw"),
        "api": {
            "cases": reverse("api:send_sos"),
            "status": reverse("api:case_status"),
            "withdraw": reverse("api:withdraw"),
        },
    }
    context = {
        "config": config,
        "strings": _strings(),
        "hold_ms": HOLD_MS,
        "hotline_phone": phone,
        "hotline_tel": tel_href(phone),
        "org_name": settings.HABEAS_ORG_NAME,
        "theme_colour": THEME_COLOUR,
    }
    response = render(request, "public/home.html", context)
    # Under the site-wide "no-referrer" Chromium sends "Origin: null" with the language form,
    # and Django's CSRF check refuses it. "same-origin" still tells no other site anything:
    # this page makes no cross-origin requests at all (see the CSP).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """Describe the installable app: name, start page, colours and icons."""
    data = {
        "id": reverse("public:home"),
        "name": _("%(org)s — SOS to a lawyer") % {"org": settings.HABEAS_ORG_NAME},
        "short_name": _("SOS"),
        "description": _("Hold one button to get a lawyer when you are detained."),
        "lang": get_language(),
        "start_url": reverse("public:home"),
        "scope": reverse("public:home"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(path), "sizes": size, "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the service worker from the root path, so that it controls the whole site."""
    body = render_to_string(
        "public/sw.js",
        {
            "version": shell_version(),
            "shell_json": json.dumps(shell_urls()),
            "home": json.dumps(reverse("public:home")),
            "api_prefix": json.dumps(reverse("api:api-root")),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers must always ask for a new worker: this is how a deploy reaches offline phones.
    response["Cache-Control"] = "no-cache"
    return response
