import base64
import json
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from habeas.notifications.models import Message


def subscription(endpoint: str) -> str:
    """A browser's push subscription as the PWA would send it (real P-256 keys)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    return json.dumps(
        {"endpoint": endpoint, "keys": {"p256dh": b64(raw), "auth": b64(os.urandom(16))}}
    )


def states() -> list[str]:
    return list(Message.objects.order_by("pk").values_list("state", flat=True))


def make_due() -> None:
    """Bring every scheduled retry forward to now, as if its backoff had passed."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
