"""The surge panel: how many cases in each state, how long the oldest has waited, who is free.

Polled with the queue every couple of seconds by every dispatcher, so it is three aggregate
queries and nothing more: no rows are loaded, only counts, and closed cases (most of the table
after a busy day) are left out by the status index.
"""

import hashlib
from dataclasses import astuple, dataclass
from datetime import datetime

from django.db.models import Count, F, Min, Q
from django.http import HttpRequest

from habeas.cases.models import Case, Status
from habeas.dispatch.load import load_annotations
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer


@dataclass(frozen=True)
class Surge:
    waiting: int  # open, nobody has it
    assigned: int
    on_site: int
    escalated: int  # waiting, and no lawyer accepted in time
    oldest_waiting: datetime | None
    on_duty: int
    free: int  # on duty and under capacity
    pending_offers: int

    def digest(self) -> str:
        """A short fingerprint for the queue's ETag: changes whenever any number does."""
        return hashlib.blake2s(repr(astuple(self)).encode(), digest_size=6).hexdigest()


def surge() -> Surge:
    cases = Case.objects.open().aggregate(
        waiting=Count("pk", filter=Q(status=Status.OPEN)),
        assigned=Count("pk", filter=Q(status=Status.ASSIGNED)),
        on_site=Count("pk", filter=Q(status=Status.LAWYER_ON_SITE)),
        escalated=Count("pk", filter=Q(status=Status.OPEN, escalated_at__isnull=False)),
        oldest_waiting=Min("created_at", filter=Q(status=Status.OPEN)),
    )
    lawyers = (
        Lawyer.objects.on_duty()
        .annotate(**load_annotations("user_id"))
        .aggregate(
            on_duty=Count("pk"),
            free=Count("pk", filter=Q(capacity__gt=F("active") + F("offered"))),
        )
    )
    return Surge(**cases, **lawyers, pending_offers=Offer.objects.pending().count())


def for_request(request: HttpRequest) -> Surge:
    """Count once per request: the ETag and the page that follows it need the same numbers."""
    if not hasattr(request, "_habeas_surge"):
        request._habeas_surge = surge()
    return request._habeas_surge
