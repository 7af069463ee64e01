"""The "Safe photo" page: faces are found and covered on the phone; the photo is never sent.

The page loads the face detector (face-api with TensorFlow.js, ~1.5 MB) and only this page
does, so the SOS page stays small; its script adds it once the page is painted and usable.
Its own service worker, scoped to the page's path, caches the page and the model on first
visit so that it works offline afterwards (files listed in `bundle`).
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import bundle, catalogues

# Detections are grown by this share of their size on every side, as `manage.py scrub` does:
# a detector's box stops at the brows and chin, and hair and ears identify people too.
MARGIN = 0.25


@require_safe
def safe_photo(request: HttpRequest) -> HttpResponse:
    """Render the Safe photo page. Nothing about the photo ever reaches this server."""
    config = {
        "margin": MARGIN,
        "sw": reverse("public:safe_photo_sw"),
        "scope": reverse("public:safe_photo"),
        # Added by the page's script once the page is painted, not by a tag in its head.
        "detector": static(bundle.PHOTO_DETECTOR),
        "model": {
            "manifest": static(bundle.PHOTO_MODEL_MANIFEST),
            "weights": static(bundle.PHOTO_MODEL_WEIGHTS),
        },
    }
    context = {
        "config": config,
        "strings": catalogues.safe_photo(),
        "org_name": settings.HABEAS_ORG_NAME,
        "home": reverse("public:home"),
    }
    return render(request, "public/safe_photo.html", context)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the page's own service worker; its scope is the page's path only."""
    body = render_to_string(
        "public/safe_photo_sw.js",
        {
            "version": bundle.photo_version(),
            "page": json.dumps(reverse("public:safe_photo")),
            "files": json.dumps(bundle.photo_urls()),
        },
    )
    return bundle.worker_response(body)
