"""Web Push to a staff browser (pywebpush, VAPID keys from settings)."""

import json

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from . import PermanentFailure, TemporaryFailure


def configured() -> bool:
    return bool(settings.HABEAS_VAPID_PRIVATE_KEY)


def send(address: str, subject: str, body: str, key: str) -> None:
    """Address is the subscription as JSON: {"endpoint": ..., "keys": {...}}."""
    try:
        webpush(
            subscription_info=json.loads(address),
            data=json.dumps({"title": subject, "body": body}),
            vapid_private_key=settings.HABEAS_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.HABEAS_VAPID_SUBJECT},
            timeout=settings.HABEAS_DELIVERY_TIMEOUT,
            ttl=3600,
            # A retried message replaces an undelivered earlier copy instead of stacking.
            headers={"Topic": key.replace("-", "")[:32]},
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410) or (status is not None and 400 <= status < 500 and status != 429):
            raise PermanentFailure(f"HTTP {status}") from exc
        raise TemporaryFailure(f"HTTP {status}" if status else "push failed") from exc
    except requests.RequestException as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
