"""GET /metrics: Prometheus metrics, for localhost or a verified dispatcher.

Every figure is counted from the database at scrape time, not kept in process memory: with
several web processes and workers, counters in memory would each tell a part and restart at
zero; the rows are shared and survive restarts. Labels are fixed words only (a channel, a
state), never a case id, a person, an address or free text.
"""

import ipaddress
from collections.abc import Iterator

from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from habeas.cases.models import Case, CaseEvent, EventKind
from habeas.notifications.models import ChannelName, Message, State

from . import beats
from .health import outbox_backlog

# Seconds from an SOS to its first offer: the design asks for seconds, not minutes.
OFFER_BUCKETS = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


def offer_delays() -> Iterator[float]:
    """Seconds from each case's report to its first offer, for cases offered at least once."""
    rows = (
        Case.objects.annotate(
            reported=Min("events__created_at", filter=Q(events__kind=EventKind.REPORTED)),
            offered=Min("events__created_at", filter=Q(events__kind=EventKind.OFFERED)),
        )
        .filter(reported__isnull=False, offered__isnull=False)
        .values_list("reported", "offered")
    )
    for reported, offered in rows.iterator(chunk_size=2000):
        yield max(0.0, (offered - reported).total_seconds())


def histogram(values: Iterator[float], bounds: tuple) -> tuple[list, float]:
    """Prometheus' cumulative buckets (with +Inf) and the sum of the values."""
    counts = [0] * (len(bounds) + 1)
    total = 0.0
    for value in values:
        total += value
        for n, bound in enumerate(bounds):
            if value <= bound:
                counts[n] += 1
        counts[-1] += 1
    labels = [str(b) for b in bounds] + ["+Inf"]
    return list(zip(labels, counts, strict=True)), total


class HabeasCollector:
    """Reads the figures from the database each time Prometheus scrapes."""

    def collect(self):
        accepted = CounterMetricFamily(
            "habeas_sos_accepted", "Cases opened by an SOS or a report (merged reports excluded)."
        )
        accepted.add_metric([], CaseEvent.objects.filter(kind=EventKind.REPORTED).count())
        yield accepted

        buckets, total = histogram(offer_delays(), OFFER_BUCKETS)
        delay = HistogramMetricFamily(
            "habeas_sos_to_first_offer_seconds", "Seconds from an SOS to its first offer."
        )
        delay.add_metric([], buckets, total)
        yield delay

        failed = GaugeMetricFamily(
            "habeas_deliveries_failed",
            "Messages whose delivery failed: retrying (waiting for the next try) or dead.",
            labels=["channel", "state"],
        )
        rows = (
            Message.objects.filter(Q(state=State.DEAD) | Q(state=State.PENDING, attempts__gt=0))
            .values("channel", "state")
            .annotate(n=Count("id"))
        )
        found = {(r["channel"], r["state"]): r["n"] for r in rows}
        for channel in ChannelName.values:
            for state, word in ((State.PENDING, "retrying"), (State.DEAD, "dead")):
                failed.add_metric([channel, word], found.get((channel, state), 0))
        yield failed

        backlog = GaugeMetricFamily("habeas_task_backlog", "Tasks due to run and not yet taken.")
        backlog.add_metric([], DBTaskResult.objects.ready().count())
        yield backlog

        outbox = GaugeMetricFamily("habeas_outbox_backlog", "Messages not yet delivered.")
        outbox.add_metric([], outbox_backlog())
        yield outbox

        workers = GaugeMetricFamily(
            "habeas_workers_alive", f"Task workers that beat in the last {beats.ALIVE_SECONDS} s."
        )
        workers.add_metric([], beats.alive())
        yield workers


def exposition() -> bytes:
    """The metrics in Prometheus' text format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HabeasCollector())
    return generate_latest(registry)


def may_read(request: HttpRequest) -> bool:
    """A local scraper, or a logged-in dispatcher who passed the second factor.

    "Local" is a loopback peer that no proxy forwarded: behind Caddy on the same machine every
    request comes from 127.0.0.1, but carries X-Forwarded-For, so the public is not local.
    """
    forwarded = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META
    try:
        local = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        local = False
    if local and not forwarded:
        return True
    user = request.user
    verified = getattr(user, "is_verified", None)
    return bool(
        user.is_authenticated
        and user.is_active
        and getattr(user, "is_dispatcher", False)
        and verified
        and verified()
    )


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_read(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
