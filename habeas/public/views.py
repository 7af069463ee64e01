"""The protester's PWA: the SOS, summons, timer and wipe pages, the manifest and the worker."""

import hashlib
import json
import re
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from habeas.guides import CONTENT_DIR
from habeas.lib.permissions_policy import allow

# Holding the button this long sends; short enough for seconds-before-arrest, long enough
# that a phone in a pocket does not call a lawyer.
HOLD_MS = 1500
THEME_COLOUR = "#b71c1c"
CSS = "public/css/sos.css"
JS = "public/js/sos.js"
# Shared by the pages, loaded in this order before each page's own script.
STORE_JS = "public/js/store.js"  # the phone's storage: details, PIN, wipe
SMS_JS = "public/js/sms-payload.js"  # the compact SOS for an SMS
STATUS_JS = "public/js/status.js"  # the live case status screen
DETAILS_JS = "public/js/details.js"  # "My details", contacts and the PIN
ICONS = [
    ("public/icons/icon-192.png", "192x192", "any"),
    ("public/icons/icon-512.png", "512x512", "any"),
    ("public/icons/maskable-512.png", "512x512", "maskable"),
]
SHELL_STATIC = [
    CSS,
    STORE_JS,
    SMS_JS,
    STATUS_JS,
    DETAILS_JS,
    JS,
    *(path for path, _size, _purpose in ICONS),
]
# Pages that open offline after one visit; their files are cached beside the shell.
PAGE_STATIC = [
    "public/css/guides.css",
    "public/js/summons.js",
    "public/js/timer.js",
    "public/js/wipe.js",
]
SHELL_TEMPLATES = [
    "public/home.html",
    "public/sw.js",
    "public/summons.html",
    "public/timer.html",
    "public/wipe.html",
    "public/_status.html",
    "public/_unlock.html",
    "public/guides/_head.html",
    "public/guides/_top.html",
    "public/guides/list.html",
    "public/guides/detail.html",
]
# Bounds the API checks too (habeas.api.schemas): the timer's PINs, a summons's date.
PIN_MIN, PIN_MAX = 4, 8
SUMMONS_DAYS_BACK, SUMMONS_DAYS_AHEAD = 30, 366
SUMMONS_PLACE_MAX = 200


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
    for path in SHELL_STATIC + PAGE_STATIC:
        digest.update(_read_static(path))
    for name in SHELL_TEMPLATES:
        digest.update(_read_template(name))
    # The worker keeps the guides offline: new guide text must replace the cached pages.
    for path in sorted(CONTENT_DIR.rglob("*.md")):
        digest.update(str(path.relative_to(CONTENT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def shell_version() -> str:
    """Hash the shell's files, so a deploy that changes any of them replaces the offline cache.

    Computed once per process in production; in debug on every call, so edits show up.
    """
    if settings.DEBUG:
        return _shell_version.__wrapped__()
    return _shell_version()


def shell_urls() -> list[str]:
    """List what the service worker must cache: the SOS page, its manifest and static files."""
    return [
        reverse("public:home"),
        reverse("public:manifest"),
        *(static(path) for path in SHELL_STATIC),
    ]


def page_urls() -> list[str]:
    """List the other pages that open offline: summons, timer, wipe and every guide.

    Pages are rendered in the reader's language (a cookie), so this is what the current
    language renders; the worker is per language too (see `service_worker`).
    """
    # Imported here: guide_views imports tel_href from this module.
    from .guide_views import guides_for

    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [
        reverse("public:summons"),
        reverse("public:timer"),
        reverse("public:wipe"),
        reverse("public:guides"),
        *(reverse("public:guide", args=[g.slug]) for g in guides_for(lang)),
        *(static(path) for path in PAGE_STATIC),
    ]


def sms_number() -> str:
    """Return the hotline's SMS number as an sms: link wants it, or "" when there is none."""
    return re.sub(r"[^0-9+]", "", getattr(settings, "HABEAS_SMS_NUMBER", "") or "")


def _details_strings() -> dict:
    # "My details", the PIN and the status screen: shared by every page that sends a case.
    return {
        "saved": _("Saved on this phone only."),
        "savedSealed": _("Saved on this phone only, encrypted with your PIN."),
        "cleared": _("Your details were removed from this phone."),
        "received": _("Your SOS was received."),
        "offline": _("No connection. Showing the last known status; retrying."),
        "gone": _("This case is no longer available. Call the hotline if you need help."),
        "withdrawFailed": _("Could not withdraw: no connection. Try again or call the hotline."),
        "forgotten": _("Your details were deleted from the server."),
        "forgetFailed": _("Could not delete: no connection. Nothing was deleted; try again."),
        "station": _("Police station:"),
        "pinSet": _("PIN set. Your details are now stored encrypted."),
        "pinMismatch": _("The two PINs differ."),
        "pinWrong": _("Wrong PIN. Tries left before Habeas data on this phone is wiped: %(n)s"),
        "pinRemoved": _("PIN removed. Your details are stored without encryption."),
        "pinLocked": _("Locked."),
        "unlocked": _("Unlocked."),
        "noCrypto": _("This browser cannot encrypt here, so a PIN is not available."),
        "summaryNone": _(
            "No saved details on this phone: the hotline will not know who you are or how "
            "to reach you."
        ),
        "summaryLocked": _(
            "Your saved details are locked with a PIN: unlock them to send them, or they "
            "will not be sent."
        ),
        "summary": _("Your saved details will be sent too:"),
        "summaryContacts": _("trusted contacts: %(n)s"),
        "contact": _("Trusted contact %(n)s"),
        "fields": {
            "full_name": _("Full name"),
            "date_of_birth": _("Date of birth"),
            "phone": _("Phone"),
            "note": _("Note"),
        },
    }


def _strings() -> dict:
    # The page's JavaScript shows these; translating them here keeps one catalogue.
    return {
        **_details_strings(),
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
    }


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
        },
        **extra,
    }


def _page_context(**extra) -> dict:
    phone = settings.HABEAS_HOTLINE_PHONE
    return {
        "hotline_phone": phone,
        "hotline_tel": tel_href(phone),
        "org_name": settings.HABEAS_ORG_NAME,
        "theme_colour": THEME_COLOUR,
        "contact_slots": [1, 2, 3],
        **extra,
    }


def _same_origin_referrer(response: HttpResponse) -> HttpResponse:
    # Under the site-wide "no-referrer" Chromium sends "Origin: null" with the language form,
    # and Django's CSRF check refuses it. "same-origin" still tells no other site anything:
    # these pages make no cross-origin requests at all (see the CSP).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_safe
@allow("geolocation")  # the SOS carries the location; every other page is denied it
def home(request: HttpRequest) -> HttpResponse:
    """Render the SOS page; the details and the case's token live only in the phone's storage."""
    config = _config(request, holdMs=HOLD_MS, smsNumber=sms_number())
    context = _page_context(config=config, strings=_strings(), hold_ms=HOLD_MS)
    return _same_origin_referrer(render(request, "public/home.html", context))


@require_safe
def summons(request: HttpRequest) -> HttpResponse:
    """Render the "I have been summoned" form; it sends a summons case with the saved details."""
    strings = {
        **_details_strings(),
        "sending": _("Sending…"),
        "notYet": _(
            "Not sent yet: no connection. It will be sent when the phone is back online "
            "(keep this page open), or press Send again."
        ),
        "resuming": _("A request from earlier was not sent yet. Trying again…"),
        "rejected": _("The hotline could not accept this request:"),
        "received": _("Your request was received."),
        "fixOnHome": _("Fix your saved details on the start page."),
        "summonsFields": {
            "date": _("Date"),
            "time": _("Time"),
            "place": _("Place"),
            "text": _("What the paper says"),
            "reason": _("Reason"),
        },
    }
    reasons = [
        ("witness", _("Questioning as a witness")),
        ("conversation", _("A police “conversation”")),
        ("metro", _("After a stop in the metro")),
        ("other", _("Other")),
    ]
    today = timezone.localdate()
    context = _page_context(
        config=_config(request),
        strings=strings,
        reasons=reasons,
        place_max=SUMMONS_PLACE_MAX,
        # The API's bounds: a summons from the last month or for the coming year.
        date_min=today - timedelta(days=SUMMONS_DAYS_BACK),
        date_max=today + timedelta(days=SUMMONS_DAYS_AHEAD),
    )
    return _same_origin_referrer(render(request, "public/summons.html", context))


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
    strings = {
        **_details_strings(),
        "arming": _("Setting the timer…"),
        "armFailed": _("Could not set the timer: no connection. Nothing was stored; try again."),
        "rejected": _("The hotline could not accept this timer:"),
        "pinsSame": _("The duress PIN must differ from the PIN."),
        "pinShape": _("A PIN is %(min)s to %(max)s digits."),
        "past": _("That time has already passed today. Choose tomorrow or a later time."),
        "armed": _("Armed. Your SOS goes to the hotline at %(time)s unless you check in."),
        "left": _("Time left: %(time)s"),
        "checkingIn": _("Checking in…"),
        "checkedIn": _("Checked in. The timer is off."),
        "wrongPin": _("Wrong PIN. Tries left: %(n)s"),
        "fired": _("The time passed without a check-in: your SOS was sent to the hotline."),
        "deleted": _("Your details were deleted from the server. The timer is off."),
        "gone": _("The server no longer knows this timer."),
        "deleteFailed": _("Could not reach the server. Nothing was deleted; try again."),
        "checkinFailed": _("Could not reach the server. You are not checked in yet; try again."),
    }
    context = _page_context(
        config=config,
        strings=strings,
        pin_min=PIN_MIN,
        pin_max=PIN_MAX,
        pin_pattern=f"[0-9]{{{PIN_MIN},{PIN_MAX}}}",
    )
    return _same_origin_referrer(render(request, "public/timer.html", context))


@require_safe
@never_cache
def wipe(request: HttpRequest) -> HttpResponse:
    """Render the panic wipe: its script clears every trace Habeas left in this browser."""
    response = render(request, "public/wipe.html", {"home": reverse("public:home")})
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
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
    # The body names the language, so switching it makes the browser install a new worker,
    # which caches the pages in the new language.
    body = render_to_string(
        "public/sw.js",
        {
            "version": shell_version(),
            "lang": json.dumps((get_language() or settings.LANGUAGE_CODE).split("-")[0]),
            "shell_json": json.dumps(shell_urls()),
            "pages_json": json.dumps(page_urls(), ensure_ascii=False),
            "home": json.dumps(reverse("public:home")),
            "wipe": json.dumps(reverse("public:wipe")),
            "api_prefix": json.dumps(reverse("api:api-root")),
            "cases": json.dumps(reverse("api:send_sos")),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers must always ask for a new worker: this is how a deploy reaches offline phones.
    response["Cache-Control"] = "no-cache"
    return response
