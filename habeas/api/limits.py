"""Rate limits for the public API: fixed one-minute windows in Django's cache.

A limited SOS answers 429 with Retry-After and the app keeps it queued and retries, so a real
SOS is delayed, never dropped. Client networks (/24 for IPv4, /48 for IPv6: carrier NAT puts
many phones behind one address) are keyed by a keyed hash, never stored or logged.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse

from habeas.lib.keyed import keyed_hash

WINDOW_SECONDS = 60


def client_network(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if settings.HABEAS_BEHIND_PROXY:
        forwarded = request.headers.get("X-Forwarded-For", "")
        address = forwarded.split(",")[-1].strip() or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return keyed_hash("client-network", str(network))[:32]


def hit(scope: str, key: str, limit: int) -> int | None:
    """Count one request; return seconds to wait if over the limit, else None."""
    if limit <= 0:
        return None
    window = int(time.time() // WINDOW_SECONDS)
    cache_key = f"rl:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    return None


def too_many(detail: str, wait: int) -> JsonResponse:
    """429 in the API's error shape, with the seconds to wait before retrying."""
    response = JsonResponse({"detail": detail, "errors": []}, status=429)
    response["Retry-After"] = str(wait)
    return response
