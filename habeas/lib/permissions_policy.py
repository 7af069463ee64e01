"""Permissions-Policy: every powerful feature off, except where a page needs it.

The SOS pages may ask for the location; no page may use the camera, microphone, payment or
USB. A view opts in with @allow("geolocation").
"""

from collections.abc import Callable
from functools import wraps

FEATURES = ("geolocation", "camera", "microphone", "payment", "usb", "interest-cohort")


def header(allowed: frozenset[str] = frozenset()) -> str:
    return ", ".join(f"{f}=(self)" if f in allowed else f"{f}=()" for f in FEATURES)


def allow(*features: str) -> Callable:
    """Let this view's page use the named features, on our own origin only."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            response = view(*args, **kwargs)
            response["Permissions-Policy"] = header(frozenset(features))
            return response

        return wrapped

    return decorate


class PermissionsPolicyMiddleware:
    """Deny every listed feature unless the view said otherwise."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", header())
        return response
