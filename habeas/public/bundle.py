"""What the service workers keep offline, and the one hash that tells a deploy changed it.

Two workers keep files offline: the site's (`/sw.js`: the SOS page, the other pages and the
guides) and the Safe photo page's (`/photo/sw.js`: the page and its face model). Each names
its files here; `version()` hashes them, and the hash names the worker's cache, so a deploy
that changes any file replaces the offline copy.
"""

import hashlib
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language

from habeas.guides import CONTENT_DIR

from .guide_views import guides_for
from .pages import VENDORED_SCRIPTS

CSS = "public/css/sos.css"
JS = "public/js/sos.js"
ICONS = [
    ("public/icons/icon-192.png", "192x192", "any"),
    ("public/icons/icon-512.png", "512x512", "any"),
    ("public/icons/maskable-512.png", "512x512", "maskable"),
]
# The discreet install's: ruled lines on a page, nothing of SOS (scripts/make_icons.py).
DISCREET_ICONS = [
    ("public/icons/notes-192.png", "192x192", "any"),
    ("public/icons/notes-512.png", "512x512", "any"),
    ("public/icons/notes-maskable-512.png", "512x512", "maskable"),
]
# The SOS page's files; the shared scripts load in this order before the page's own.
SHELL_STATIC = [
    CSS,
    "public/js/store.js",  # the phone's storage: details, PIN, wipe
    "public/js/net.js",  # sending to the hotline: keys, bounded requests, retries
    "public/js/sms-payload.js",  # the compact SOS for an SMS
    "public/js/status.js",  # the live case status screen
    "public/js/details.js",  # "My details", contacts and the PIN
    VENDORED_SCRIPTS["sha256"],  # hashing a file for an upload, piece by piece
    "public/js/evidence.js",  # photos and documents sent from the status screen
    JS,
    *(path for path, _size, _purpose in ICONS + DISCREET_ICONS),
]
# Pages that open offline after one visit; their files are cached beside the shell.
PAGE_STATIC = [
    "public/css/guides.css",
    "public/js/request.js",
    "public/js/timer.js",
    "public/js/wipe.js",
]
# The code both service workers share; each includes it in its own template.
WORKER_CORE = "public/worker/core.js"
SHELL_TEMPLATES = [
    "public/base.html",
    "public/_lang.html",
    "public/_top.html",
    "public/home.html",
    "public/sw.js",
    WORKER_CORE,
    "public/worker/site.js",
    "public/summons.html",
    "public/request.html",
    "public/timer.html",
    "public/wipe.html",
    "public/_status.html",
    "public/_attach_field.html",
    "public/_unlock.html",
    "public/guides/list.html",
    "public/guides/detail.html",
]

PHOTO_VENDOR = "public/vendor/face-api/"
PHOTO_DETECTOR = PHOTO_VENDOR + "face-api.js"
PHOTO_MODEL_MANIFEST = PHOTO_VENDOR + "tiny_face_detector_model-weights_manifest.json"
PHOTO_MODEL_WEIGHTS = PHOTO_VENDOR + "tiny_face_detector_model.bin"
PHOTO_STATIC = [
    "public/css/safe-photo.css",
    "public/js/safe-photo.js",
    PHOTO_DETECTOR,
    PHOTO_MODEL_MANIFEST,
    PHOTO_MODEL_WEIGHTS,
]
PHOTO_TEMPLATES = ["public/safe_photo.html", "public/safe_photo_sw.js", WORKER_CORE]


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as f:
            return f.read()
    with staticfiles_storage.open(path) as f:
        return f.read()


def _read_template(name: str) -> bytes:
    with open(get_template(name).origin.name, "rb") as f:
        return f.read()


def _hash(static_paths: tuple[str, ...], templates: tuple[str, ...], guides: bool) -> str:
    digest = hashlib.sha256()
    for path in static_paths:
        digest.update(_read_static(path))
    for name in templates:
        digest.update(_read_template(name))
    if guides:
        # The site's worker keeps the guides offline: new guide text must replace the cache.
        for path in sorted(CONTENT_DIR.rglob("*.md")):
            digest.update(str(path.relative_to(CONTENT_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_hash_once = lru_cache(maxsize=4)(_hash)


def version(static_paths: list[str], templates: list[str], *, guides: bool = False) -> str:
    """Hash the files a worker keeps offline (and the guides' texts, if it keeps them).

    Computed once per process in production; in debug on every call, so edits show up.
    """
    key = (tuple(static_paths), tuple(templates), guides)
    return _hash(*key) if settings.DEBUG else _hash_once(*key)


def shell_version() -> str:
    """Hash the site worker's files, so a deploy that changes any of them replaces the cache."""
    return version(SHELL_STATIC + PAGE_STATIC, SHELL_TEMPLATES, guides=True)


def photo_version() -> str:
    """Hash the Safe photo worker's files: the page, its script and the face model."""
    return version(PHOTO_STATIC, PHOTO_TEMPLATES)


def shell_urls() -> list[str]:
    """List what the service worker must cache: the SOS page, its manifest and static files."""
    return [
        reverse("public:home"),
        reverse("public:manifest"),
        reverse("public:discreet_manifest"),
        *(static(path) for path in SHELL_STATIC),
    ]


def page_urls() -> list[str]:
    """List the other pages that open offline: the requests, timer, wipe and every guide.

    Pages are rendered in the reader's language (a cookie), so this is what the current
    language renders; the worker is per language too (see `views.service_worker`).
    """
    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [
        reverse("public:summons"),
        reverse("public:request"),
        reverse("public:timer"),
        reverse("public:wipe"),
        reverse("public:guides"),
        *(reverse("public:guide", args=[g.slug]) for g in guides_for(lang)),
        *(static(path) for path in PAGE_STATIC),
    ]


def photo_urls() -> list[str]:
    """List what the Safe photo worker caches: the page and every file it loads."""
    return [reverse("public:safe_photo"), *(static(path) for path in PHOTO_STATIC)]


def worker_response(body: str) -> HttpResponse:
    """Wrap a rendered service worker in the response every worker needs."""
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers must always ask for a new worker: this is how a deploy reaches offline phones.
    response["Cache-Control"] = "no-cache"
    return response
