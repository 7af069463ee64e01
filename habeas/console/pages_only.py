"""The middleware only pages use, skipped for the JSON API.

An SOS, a status check or a gateway's delivery report carries no session, logs nobody in and
is answered with JSON, not a page: authentication and its second factor, flash messages, the
console's idle clock and APPEND_SLASH belong to the console and the PWA. On every API request
they cost more than the view (docs/benchmarks.md, 11). The API keeps the rest: security
headers, the Content-Security-Policy and frame options (its docs page is HTML), the language
its messages are written in, and three that Django's and django-axes' checks look for by
name: sessions and CSRF (`check --deploy` checks the cookies' settings only when it finds
them), and the lockouts. The session is read only when something asks for it, which on an
API request is now nothing; CSRF passes by django-ninja's views, which are exempt.

Each class here is Django's or the library's own, with every hook passing API requests
straight through, so the settings list stays one list and Django's own checks (the admin's
need for sessions, authentication and messages) still find them.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.middleware.common import CommonMiddleware as _Common
from django_otp.middleware import OTPMiddleware as _OTP

from .idle import IdleTimeoutMiddleware as _Idle

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def pages_only(middleware: type) -> type:
    """`middleware`, run on every request but the API's."""

    def __call__(self, request):
        if is_api(request):
            return self.get_response(request)
        return middleware.__call__(self, request)

    hooks = {"__call__": __call__, "__doc__": f"{middleware.__name__}, not for the API."}
    if hasattr(middleware, "process_view"):

        def process_view(self, request, *args):
            return None if is_api(request) else middleware.process_view(self, request, *args)

        hooks["process_view"] = process_view
    if hasattr(middleware, "process_exception"):

        def process_exception(self, request, exception):
            if is_api(request):
                return None
            return middleware.process_exception(self, request, exception)

        hooks["process_exception"] = process_exception
    # No hook of these returns a template response: none to wrap.
    assert not hasattr(middleware, "process_template_response"), middleware
    return type(middleware.__name__, (middleware,), {**hooks, "__module__": __name__})


CommonMiddleware = pages_only(_Common)
AuthenticationMiddleware = pages_only(_Authentication)
OTPMiddleware = pages_only(_OTP)
MessageMiddleware = pages_only(_Messages)
IdleTimeoutMiddleware = pages_only(_Idle)
