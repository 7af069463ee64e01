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
