"""GET /healthz: is this installation able to take an SOS and get it to a lawyer?

Answered for the proxy and for monitoring, without login, so the body holds counts only:
no case, no person, no address, nothing an outsider could learn more from than "it is down".
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.notifications.models import Message, State

from . import beats


def outbox_backlog() -> int:
    """Messages written but not yet delivered (waiting, or being sent now)."""
    return Message.objects.filter(state__in=[State.PENDING, State.SENDING]).count()


def report() -> tuple[bool, dict]:
    """Check the database, the workers and the outbox; return (healthy, the counts)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        workers = beats.alive()
        backlog = outbox_backlog()
    except DatabaseError:
        # The error's text names the database host: it stays out of a public answer.
        return False, {"status": "unhealthy", "database": False}
    limit = settings.HABEAS_HEALTH_OUTBOX_LIMIT
    healthy = workers > 0 and backlog <= limit
    return healthy, {
        "status": "ok" if healthy else "unhealthy",
        "database": True,
        "workers": workers,
        "outbox_backlog": backlog,
        "outbox_limit": limit,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, body = report()
    return JsonResponse(body, status=200 if healthy else 503)
