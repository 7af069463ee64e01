"""The "Safe photo" page: faces are found and covered on the phone; the photo is never sent.

The page loads the face detector (face-api with TensorFlow.js, ~1.5 MB) and only this page
does, so the SOS page stays small. Its own service worker, scoped to the page's path, caches
the page and the model on first visit so that it works offline afterwards.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

VENDOR = "public/vendor/face-api/"
MODEL_MANIFEST = VENDOR + "tiny_face_detector_model-weights_manifest.json"
MODEL_WEIGHTS = VENDOR + "tiny_face_detector_model.bin"
STATIC = [
    "public/css/safe-photo.css",
    "public/js/safe-photo.js",
    VENDOR + "face-api.js",
    MODEL_MANIFEST,
    MODEL_WEIGHTS,
]
TEMPLATES = ["public/safe_photo.html", "public/safe_photo_sw.js"]
# Detections are grown by this share of their size on every side, as `manage.py scrub` does:
# a detector's box stops at the brows and chin, and hair and ears identify people too.
MARGIN = 0.25


def _read(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as f:
            return f.read()
    with staticfiles_storage.open(path) as f:
        return f.read()


@lru_cache(maxsize=1)
def _version() -> str:
    digest = hashlib.sha256()
    for path in STATIC:
        digest.update(_read(path))
    for name in TEMPLATES:
        with open(get_template(name).origin.name, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]


def version() -> str:
    """Hash the page's files: a deploy that changes any of them replaces the offline copy."""
    return _version.__wrapped__() if settings.DEBUG else _version()


def _strings() -> dict:
    # The page's JavaScript shows these; translating them here keeps one catalogue.
    return {
        "loading": _("Loading the face finder…"),
        "ready": _("Ready. Pick or take a photo."),
        "failed": _("The face finder could not start. You can still cover faces by hand."),
        "reading": _("Opening the photo…"),
        "unreadable": _("This file could not be opened as a photo."),
        "finding": _("Looking for faces…"),
        "found": _("Faces covered: %(n)s."),
        "none": _("No faces were found."),
        "check": _("Check the photo: some faces may be missed."),
        "saved": _("Saved. The saved photo has no location, date or camera details."),
        "shareFailed": _("Could not share. Save the photo instead."),
        "fileName": _("safe-photo"),
    }


@require_safe
def safe_photo(request: HttpRequest) -> HttpResponse:
    """Render the Safe photo page. Nothing about the photo ever reaches this server."""
    config = {
        "margin": MARGIN,
        "sw": reverse("public:safe_photo_sw"),
        "scope": reverse("public:safe_photo"),
        "model": {"manifest": static(MODEL_MANIFEST), "weights": static(MODEL_WEIGHTS)},
    }
    context = {
        "config": config,
        "strings": _strings(),
        "org_name": settings.HABEAS_ORG_NAME,
        "home": reverse("public:home"),
    }
    return render(request, "public/safe_photo.html", context)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the page's own service worker; its scope is the page's path only."""
    page = reverse("public:safe_photo")
    body = render_to_string(
        "public/safe_photo_sw.js",
        {
            "version": version(),
            "page": json.dumps(page),
            "files": json.dumps([page, *(static(path) for path in STATIC)]),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # a deploy must reach phones that were offline
    return response
