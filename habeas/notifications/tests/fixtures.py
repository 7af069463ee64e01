import socket

import pytest
from aiosmtpd.controller import Controller

from .fakes import FakeProvider, FakePush, FakeSmsGateway, FakeTelegram


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.HABEAS_SMTP_URL = f"smtp://127.0.0.1:{controller.port}"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield inbox
    controller.stop()


@pytest.fixture
def telegram(settings):
    fake = FakeTelegram().start()
    settings.HABEAS_TELEGRAM_TOKEN = "123:TEST"
    settings.HABEAS_TELEGRAM_API_URL = f"{fake.url}/bot"
    yield fake
    fake.stop()


@pytest.fixture
def sms_gateway(settings):
    fake = FakeProvider().start()
    settings.HABEAS_SMS_URL = f"{fake.url}/send"
    settings.HABEAS_SMS_AUTH = "Bearer gateway-secret"
    yield fake
    fake.stop()


@pytest.fixture
def android_gateway(settings):
    """SMS Gateway for Android's API, chosen as the SMS channel."""
    fake = FakeSmsGateway(login="sms", password="gateway-pass").start()
    settings.HABEAS_SMS_PROVIDER = "android"
    settings.HABEAS_SMS_GATEWAY_URL = fake.url
    settings.HABEAS_SMS_GATEWAY_LOGIN = "sms"
    settings.HABEAS_SMS_GATEWAY_PASSWORD = "gateway-pass"
    yield fake
    fake.stop()


@pytest.fixture
def push_service(settings):
    from py_vapid import Vapid
    from py_vapid.utils import b64urlencode

    vapid = Vapid()
    vapid.generate_keys()
    raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    settings.HABEAS_VAPID_PRIVATE_KEY = b64urlencode(raw)
    settings.HABEAS_VAPID_SUBJECT = "mailto:ops@habeas.test"
    fake = FakePush().start()
    yield fake
    fake.stop()


@pytest.fixture
def fast_retries(settings):
    """Short timeouts; retries wait a minute, so a test moves the clock with `make_due`."""
    settings.HABEAS_DELIVERY_BACKOFF_SECONDS = 60
    settings.HABEAS_DELIVERY_TIMEOUT = 1
    settings.HABEAS_DELIVERY_MAX_ATTEMPTS = 3
