"""Rate limits for the public API: fixed one-minute windows in Django's cache.

A limited SOS answers 429 with Retry-After and the app keeps it queued and retries, so a real
SOS is delayed, never dropped. Client networks (/24 for IPv4, /48 for IPv6: carrier NAT puts
many phones behind one address) are keyed by a keyed hash, never stored or logged; which
address is the client's is decided in habeas.accounts.network (X-Forwarded-For only from
HABEAS_TRUSTED_PROXIES).

The counters live in the cache named by HABEAS_CACHE_URL, shared by every process (with a
per-process cache, N workers allowed N times the limit). A cache that cannot be reached fails
open: the SOS is accepted and a warning is logged. Refusing SOS because Redis is down would
turn a broken counter into dropped cries for help.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse

from habeas.accounts.network import network_hash
from habeas.lib.keyed import keyed_hash

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# How long an idempotency key that was counted against its network stays "known": its retries
# in that time cost the network nothing (the phone retries for a long while on a bad link).
KNOWN_KEY_SECONDS = 3600


def client_network(request: HttpRequest) -> str:
    """A keyed hash of the client's /24 or /48, or "unknown"."""
    return (network_hash(request, "client-network") or "unknown")[:32]


def _wait() -> int:
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS


def _count(cache_key: str) -> int:
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def hit(scope: str, key: str, limit: int) -> int | None:
    """Count one request; return seconds to wait if over the limit, else None.

    If the cache cannot be reached the request is let through (see the module's docstring).
    """
    if limit <= 0:
        return None
    window = int(time.time() // WINDOW_SECONDS)
    try:
        count = _count(f"rl:{scope}:{key}:{window}")
    except Exception as exc:  # any cache backend's connection error: fail open
        log.warning("rate limit %s not counted, the cache is unreachable: %s", scope, _kind(exc))
        return None
    return _wait() if count > limit else None


def _kind(exc: Exception) -> str:
    # The class only: a Redis error's text can carry the server's address.
    return type(exc).__name__


def _known(marker: str) -> bool:
    try:
        return bool(cache.get(marker))
    except Exception as exc:  # fail open, as in hit()
        log.warning("rate limit sos-known not read, the cache is unreachable: %s", _kind(exc))
        return False


def _remember(marker: str) -> None:
    try:
        cache.set(marker, 1, timeout=KNOWN_KEY_SECONDS)
    except Exception as exc:
        log.warning("rate limit sos-known not kept, the cache is unreachable: %s", _kind(exc))


def sos_wait(request: HttpRequest, idempotency_key: str) -> int | None:
    """Count one SOS; return seconds to wait if its key or its network sent too much.

    The per-key budget counts every request. The network's budget counts each key once: a key
    already counted (a retry of the same SOS) costs the network nothing. Otherwise 121 retries a
    minute of one key kept everyone behind the same carrier /24 at 429 while opening one case.
    A key is marked known only after it passed the network's budget, so minting new keys
    still spends it.
    """
    key_hash = keyed_hash("rate-idempotency-key", idempotency_key)[:32]
    if (wait := hit("sos-key", key_hash, settings.HABEAS_RATE_SOS_PER_KEY)) is not None:
        return wait
    marker = f"rl:sos-known:{key_hash}"
    if _known(marker):
        return None
    network = client_network(request)
    if (wait := hit("sos-net", network, settings.HABEAS_RATE_SOS_PER_NETWORK)) is not None:
        return wait
    _remember(marker)
    return None


def too_many(detail: str, wait: int) -> JsonResponse:
    """429 in the API's error shape, with the seconds to wait before retrying."""
    response = JsonResponse({"detail": detail, "errors": []}, status=429)
    response["Retry-After"] = str(wait)
    return response
