"""The two ceilings the SOS is measured against."""

import secrets

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Row


@csrf_exempt  # a JSON API like the SOS, which has no CSRF either
@require_POST
def noop(request: HttpRequest) -> JsonResponse:
    """The framework's ceiling: middleware and routing, no database."""
    return JsonResponse({"ok": True}, status=201)


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> JsonResponse:
    """One durable write per request: one row, one transaction, one commit."""
    key = request.headers.get("Idempotency-Key") or secrets.token_hex(16)
    with transaction.atomic():
        row = Row.objects.create(key=key)
    return JsonResponse({"id": row.pk}, status=201)
