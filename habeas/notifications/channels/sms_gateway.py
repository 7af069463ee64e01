"""SMS through SMS Gateway for Android (https://sms-gate.app): a phone with a local SIM that
the organisation runs itself, reached through its local, private or cloud API.

Chosen with HABEAS_SMS_PROVIDER=android. The message's outbox key is the gateway message id,
so a retry after a lost answer is recognised by the gateway as the same SMS.
"""

import httpx
from android_sms_gateway import client as gateway
from android_sms_gateway import domain
from android_sms_gateway.errors import APIError
from android_sms_gateway.http import HttpxHttpClient
from django.conf import settings

from . import PermanentFailure, TemporaryFailure, http_client


def configured() -> bool:
    return bool(settings.HABEAS_SMS_GATEWAY_URL and settings.HABEAS_SMS_GATEWAY_PASSWORD)


def send(address: str, subject: str, body: str, key: str) -> None:
    text = f"{subject}\n{body}" if subject else body
    message = domain.Message(
        phone_numbers=[address],
        text_message=domain.TextMessage(text=text),
        id=key.replace("-", "")[:36],
        # An SOS reply that arrives hours late misleads more than it helps.
        ttl=6 * 3600,
        with_delivery_report=False,
    )
    # The process's one client (channels.http_client): no TLS handshake per SMS, no proxy.
    http = http_client()
    api = gateway.APIClient(
        settings.HABEAS_SMS_GATEWAY_LOGIN or None,
        settings.HABEAS_SMS_GATEWAY_PASSWORD,
        base_url=settings.HABEAS_SMS_GATEWAY_URL,
        http=HttpxHttpClient(http),
    )
    try:
        api.send(message)
    except APIError as exc:
        status = exc.status_code or 0
        if status >= 500 or status in (408, 429) or status == 0:
            raise TemporaryFailure(f"HTTP {status}") from exc
        raise PermanentFailure(f"HTTP {status}") from exc
    except httpx.HTTPError as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
    except (KeyError, ValueError) as exc:
        # 2xx with a body that is not a message state: the gateway took it, or not; a
        # second try is recognised by the message id, so trying again is safe.
        raise TemporaryFailure("unexpected answer") from exc
