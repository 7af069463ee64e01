"""Delivery channels. Each has one function: send(address, subject, body, key).

A channel raises TemporaryFailure when trying again later may work (timeouts, 5xx, refused
connections) and PermanentFailure when it never will (unknown chat, bad address, 4xx).
"""

from django.conf import settings


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def get(name: str):
    """The channel module for a name, or None when it is not configured here."""
    from . import email, sms, telegram, webpush

    module = {"email": email, "telegram": telegram, "webpush": webpush, "sms": sms}.get(name)
    if module is None:
        return None
    if module.configured():
        return module
    if settings.DEBUG:
        # In development a message that has nowhere to go is printed, so the flow is visible.
        from . import demo

        return demo
    return None
