"""Delivery channels. Each has one function: send(address, subject, body, key).

A channel raises TemporaryFailure when trying again later may work (timeouts, 5xx, refused
connections) and PermanentFailure when it never will (unknown chat, bad address, 4xx).
"""

import os
import threading

import httpx
from django.conf import settings


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


_clients: dict[tuple[int, float], httpx.Client] = {}
_clients_lock = threading.Lock()


def http_client() -> httpx.Client:
    """One HTTP client per worker process, reused by every delivery over HTTP.

    A new client per SMS built a TLS context and a connection each time (20-200 ms per
    message, docs/benchmarks.md); a kept one reuses both. Keyed by process id, so a forked
    worker never shares a parent's sockets. trust_env is off: an HTTPS_PROXY in the worker's
    environment must not see every phone number.
    """
    key = (os.getpid(), float(settings.HABEAS_DELIVERY_TIMEOUT))
    client = _clients.get(key)
    if client is None:
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = httpx.Client(
                    timeout=httpx.Timeout(settings.HABEAS_DELIVERY_TIMEOUT), trust_env=False
                )
                _clients[key] = client
    return client


def get(name: str):
    """The channel module for a name, or None when it is not configured here."""
    from . import email, sms, sms_gateway, telegram, webpush

    # Two SMS providers: a generic HTTP gateway, or SMS Gateway for Android.
    sms_module = sms_gateway if settings.HABEAS_SMS_PROVIDER == "android" else sms
    module = {"email": email, "telegram": telegram, "webpush": webpush, "sms": sms_module}.get(name)
    if module is None:
        return None
    if module.configured():
        return module
    if settings.DEBUG:
        # In development a message that has nowhere to go is printed, so the flow is visible.
        from . import demo

        return demo
    return None
