"""Web Push for staff browsers: the console's service worker and the subscription it sends.

The worker is served from /console/sw.js, not from /static/, so that its scope is the console
and a notification click can open any console page.
"""

import base64
import binascii
import json
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from habeas.notifications import services as notifications
from habeas.notifications.channels import webpush
from habeas.notifications.models import PushSubscription

from .access import staff_required

WORKER = Path(__file__).parent / "static" / "console" / "js" / "sw.js"
ENDPOINT_MAX = PushSubscription._meta.get_field("endpoint").max_length
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
# RFC 8291: the browser's key is an uncompressed P-256 point, its auth secret 16 bytes.
P256DH_BYTES = 65
AUTH_BYTES = 16


def _decoded(value) -> bytes | None:
    if not isinstance(value, str) or len(value) > 200 or not BASE64URL.match(value):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def _p256_point(raw: bytes | None) -> bool:
    """Whether these bytes are a point on P-256: any other key makes every push fail."""
    if raw is None or len(raw) != P256DH_BYTES:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def _endpoint_problem(value) -> str | None:
    """Why this endpoint is refused (a message for the form), or None when it is fine."""
    if not isinstance(value, str) or len(value) > ENDPOINT_MAX:
        return _("The endpoint must be the push service's web address.")
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        return _("The endpoint must be the push service's web address.")
    # Only the push services' hosts, https (plain http only for debug's local fake): any other
    # address would let a staff account make the server call internal hosts (finding 7).
    if webpush.endpoint_problem(value) is not None:
        return _("The endpoint is not on a known push service.")
    return None


def read_subscription(body: bytes) -> tuple[dict, dict]:
    """Check a PushSubscription's JSON; return its fields, and a message per bad field."""
    try:
        posted = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        posted = None
    if not isinstance(posted, dict):
        return {}, {"subscription": _("Send the browser's push subscription as JSON.")}
    keys = posted.get("keys") if isinstance(posted.get("keys"), dict) else {}
    fields = {"endpoint": posted.get("endpoint"), **{k: keys.get(k) for k in ("p256dh", "auth")}}
    errors = {}
    if (problem := _endpoint_problem(fields["endpoint"])) is not None:
        errors["endpoint"] = problem
    if not _p256_point(_decoded(fields["p256dh"])):
        errors["p256dh"] = _("The p256dh key must be the browser's P-256 key in base64url.")
    auth = _decoded(fields["auth"])
    if auth is None or len(auth) != AUTH_BYTES:
        errors["auth"] = _("The auth secret must be 16 bytes in base64url.")
    return fields, errors


@staff_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Store this browser's subscription for the logged-in member of staff (JSON in, JSON out)."""
    fields, errors = read_subscription(request.body)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    _subscription, created = notifications.subscribe_push(request.user, **fields)
    message = _("Notifications are on in this browser.")
    return JsonResponse({"message": message}, status=201 if created else 200)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the console's service worker script.

    It holds nothing private, so no login is asked: a browser re-checks it in the background
    and must not be sent to the login page.
    """
    response = HttpResponse(WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    # A changed worker must reach browsers at their next check, not after a cache expires.
    response["Cache-Control"] = "no-cache"
    return response
