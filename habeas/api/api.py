"""The JSON API for the PWA and other clients (OpenAPI at /api/v1/openapi.json).

One module per resource (cases, status, timers, inbound, callbacks, ...), mounted here with
the API's one error shape for whatever ninja or Django refuses before a view runs.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from . import (
    callbacks,
    cases,
    evidence,
    inbound,
    installs,
    sms_gateway,
    status,
    telegram,
    timers,
    unavailable,
)
from .errors import INVALID, invalid

api = NinjaAPI(
    title="Habeas API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI's validator badge is an image from validator.swagger.io: a request to a third
    # party (CSP blocks it too; this stops the page from asking).
    docs=Swagger(settings={"validatorUrl": None}),
)
for resource in (
    cases,
    status,
    timers,
    inbound,
    callbacks,
    evidence,
    telegram,
    sms_gateway,
    installs,
):
    api.add_router("", resource.router)
# A database restart or failover: 503 with Retry-After in the API's shape, not a 500 page.
for away in unavailable.DATABASE_AWAY:
    api.add_exception_handler(away, unavailable.on_database_away)


def error(status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    return api.create_response(
        None,
        {"detail": detail, "errors": errors or []},
        status=status,  # type: ignore[arg-type]
    )


def _field_name(loc) -> str:
    # ninja prefixes locations with ("body", "<param name>"); clients know only their fields.
    parts = [str(p) for p in loc if p not in ("body", "payload")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = []
    for e in exc.errors:
        code, text = invalid(e)
        items.append({"field": _field_name(e.get("loc", ())), "message": text, "code": code})
    return error(422, str(_("The request has invalid fields.")), items)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error(413, str(INVALID["too_big"]) % {"bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError(400) for a body that is not JSON at all.
    not_json = {"field": "body", "message": str(INVALID["not_json"]), "code": "not_json"}
    field = [not_json] if exc.status_code == 400 else []
    return error(exc.status_code, str(exc), field)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(401, str(INVALID["token_required"]))
