"""What every PWA page shares: the hotline's number, the organisation's name, the language form."""

import re

from django.conf import settings
from django.http import HttpResponse


def tel_href(phone: str) -> str:
    """Turn a display number like "+7 800 000-00-00" into a dialable "tel:+78000000000"."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def hotline() -> dict:
    """Return the context every page's header and hotline button need."""
    phone = settings.HABEAS_HOTLINE_PHONE
    return {
        "hotline_phone": phone,
        "hotline_tel": tel_href(phone),
        "org_name": settings.HABEAS_ORG_NAME,
    }


# Scripts copied from npm by scripts/vendor-*.sh, by the name a page lists them under; every
# other name is one of ours in public/js/.
VENDORED_SCRIPTS = {"sha256": "public/vendor/js-sha256/sha256.min.js"}


def scripts(*names: str) -> list[str]:
    """The static paths of a page's scripts, in load order (base.html draws one tag each)."""
    return [VENDORED_SCRIPTS.get(name, f"public/js/{name}.js") for name in names]


def with_language_form(response: HttpResponse) -> HttpResponse:
    """Let the page's language form pass the CSRF check; return the same response."""
    # Under the site-wide "no-referrer" Chromium posts the form with "Origin: null", and
    # Django's CSRF check refuses it. "same-origin" still tells no other site anything: these
    # pages make no cross-origin requests at all (see the CSP).
    response["Referrer-Policy"] = "same-origin"
    return response
