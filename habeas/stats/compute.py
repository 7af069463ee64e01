"""The raw counts behind the public statistics, read from the anonymous envelope only.

Only clear columns are read: a case's kind, day, city key, police station and outcome, and
its events' kinds, times, stations and refusal reasons. Nothing sealed, no case id, and no
exact time or coordinate leaves this module: times become a day or a number of minutes.
Every count here is raw; habeas.stats.publish suppresses them before anyone sees them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Min, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate

from habeas.cases.models import Case, CaseEvent, CaseOutcome, EventKind, RefusalReason
from habeas.stations.models import PoliceStation

# A case merged into another is the same person counted twice; a false alarm was no one.
NOT_COUNTED_REASONS = ("merged", "false_alarm")
# "none": closed without an outcome, or still open.
OUTCOMES = [o for o in CaseOutcome.values if o != CaseOutcome.FALSE_ALARM] + ["none"]
REASONS = list(RefusalReason.values)
DOOR = (EventKind.LAWYER_ARRIVED, EventKind.REFUSED_ENTRY, EventKind.ADMITTED)


@dataclass
class Raw:
    """Counts before suppression. Stations are keyed by id as text; "" is "not known"."""

    days: Counter = field(default_factory=Counter)
    cities: Counter = field(default_factory=Counter)
    stations: Counter = field(default_factory=Counter)
    # city x station: never published, but a city is the sum of its cells, and so is a
    # station, so suppression must see them (a city with one station gives it away).
    city_station: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    # (station, reason) -> cases whose lawyer was refused there for that reason.
    refusals: Counter = field(default_factory=Counter)
    # station -> minutes from the demand to enter until let in, per visit with a refusal.
    waits: dict = field(default_factory=lambda: defaultdict(list))
    # Minutes from the SOS to the first "lawyer on the way", one per case.
    to_lawyer: list = field(default_factory=list)
    station_names: dict = field(default_factory=dict)


def counted_cases():
    """The cases the statistics count: public kinds, not merged away, not false alarms."""
    return (
        Case.objects.filter(kind__in=settings.HABEAS_STATS_KINDS)
        .exclude(close_reason__in=NOT_COUNTED_REASONS)
        .exclude(outcome=CaseOutcome.FALSE_ALARM)
    )


def _city():
    # The city the person gave, else the city of the station holding them or nearest.
    blank = Value("")
    return Coalesce(
        NullIf(F("city"), blank),
        NullIf(F("police_station__city"), blank),
        NullIf(F("near_station__city"), blank),
        blank,
    )


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def _envelope(raw: Raw) -> None:
    day = TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    rows = (
        counted_cases()
        .order_by()
        .annotate(day=day, city_key=_city())
        .values("day", "city_key", "police_station_id", "kind", "outcome")
        .annotate(n=Count("id"))
        .values_list("day", "city_key", "police_station_id", "kind", "outcome", "n")
    )
    for day_, city, station_id, kind, outcome, n in rows:
        station = str(station_id) if station_id else ""
        raw.days[day_.isoformat() if isinstance(day_, date) else str(day_)] += n
        raw.cities[city] += n
        raw.stations[station] += n
        raw.city_station[(city, station)] += n
        raw.kinds[kind] += n
        raw.outcomes[outcome if outcome in OUTCOMES else "none"] += n


def _to_lawyer(raw: Raw) -> None:
    firsts = (
        CaseEvent.objects.filter(kind=EventKind.LAWYER_EN_ROUTE, case__in=counted_cases())
        .order_by()
        .values("case_id")
        .annotate(first=Min("created_at"), opened=Min("case__created_at"))
        .values_list("opened", "first")
    )
    raw.to_lawyer = [_minutes(opened, first) for opened, first in firsts]


def obstruction(raw: Raw, cases=None) -> None:
    """Refusals and waits at the door, over `cases` (by default the published ones)."""
    cases = counted_cases() if cases is None else cases
    refused = CaseEvent.objects.filter(kind=EventKind.REFUSED_ENTRY, case__in=cases)
    events = (
        CaseEvent.objects.filter(kind__in=DOOR, case__in=refused.values("case_id"))
        .order_by("case_id", "created_at", "id")
        .values_list(
            "case_id",
            "kind",
            "created_at",
            "station_id",
            "case__police_station_id",
            "case__near_station_id",
            "data",
        )
    )
    seen = set()  # (case, station, reason): a lawyer refused twice for one reason counts once
    visit = None  # [case, station, arrived, refused?]
    for case_id, kind, at, station_id, held_id, near_id, data in events:
        station = str(station_id or held_id or near_id or "")
        if kind == EventKind.LAWYER_ARRIVED or visit is None or visit[0] != case_id:
            arrived = at if kind == EventKind.LAWYER_ARRIVED else None
            visit = [case_id, station, arrived, False]
        if kind == EventKind.REFUSED_ENTRY:
            reason = data.get("reason", "") if isinstance(data, dict) else ""
            reason = reason if reason in REASONS else RefusalReason.OTHER
            if (case_id, visit[1], reason) not in seen:
                seen.add((case_id, visit[1], reason))
                raw.refusals[(visit[1], reason)] += 1
            visit[3] = True
        elif kind == EventKind.ADMITTED and visit[3] and visit[2] is not None:
            raw.waits[visit[1]].append(_minutes(visit[2], at))
            visit[2] = None  # one wait per visit


def compute() -> Raw:
    """Read the raw counts (a handful of grouped queries, whatever the number of cases)."""
    raw = Raw()
    _envelope(raw)
    _to_lawyer(raw)
    obstruction(raw)
    ids = {int(s) for s in [*raw.stations, *(s for s, _r in raw.refusals)] if s}
    raw.station_names = {
        str(pk): (name, city)
        for pk, name, city in PoliceStation.objects.filter(pk__in=ids).values_list(
            "pk", "name", "city"
        )
    }
    return raw


def middle(values: list[float]) -> int | None:
    """The median in whole minutes, or None for no values."""
    return round(median(values)) if values else None
