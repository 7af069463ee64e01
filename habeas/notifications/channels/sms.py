"""SMS through a generic HTTP gateway: URL, auth header and JSON body template from settings."""

import json
import string

import httpx
from django.conf import settings

from . import PermanentFailure, TemporaryFailure, http_client


def configured() -> bool:
    return bool(settings.HABEAS_SMS_URL)


def render_body(address: str, body: str, key: str) -> dict:
    """Fill the template's $to, $text and $key; values are JSON-escaped, never spliced raw."""
    template = string.Template(settings.HABEAS_SMS_BODY)
    filled = template.substitute(to=json.dumps(address)[1:-1], text=json.dumps(body)[1:-1], key=key)
    return json.loads(filled)


def send(address: str, subject: str, body: str, key: str) -> None:
    headers = {"Idempotency-Key": key}
    if settings.HABEAS_SMS_AUTH:
        headers["Authorization"] = settings.HABEAS_SMS_AUTH
    try:
        response = http_client().post(
            settings.HABEAS_SMS_URL, json=render_body(address, body, key), headers=headers
        )
    except httpx.HTTPError as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise TemporaryFailure(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise PermanentFailure(f"HTTP {response.status_code}")
