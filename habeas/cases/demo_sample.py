"""An anonymous sample day for the demo (debug only), so that /stats/ has something to show.

The cases look like the archive after the purge: the clear envelope and the timeline's
facts, no report, nothing sealed, no coordinate. They are closed, so no queue, offer or
lawyer ever sees them, and marked `close_reason="demo"` so a second run adds nothing.
Written directly, not through the services: no verb happens here, and nobody is told.
"""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from habeas.stations.models import PoliceStation

from .models import Case, CaseEvent, CaseOutcome, EventKind, Kind, RefusalReason, Status

DEMO_REASON = "demo"
# 31 January 2021: 5,754 detained in one day (OVD-Info), the day the design is sized for.
DAY = datetime(2021, 1, 31, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
CASES = 400
OUTCOMES = [
    (CaseOutcome.RELEASED, 30),
    (CaseOutcome.PROTOCOL, 25),
    (CaseOutcome.FINE, 20),
    (CaseOutcome.ARREST, 10),
    (CaseOutcome.COMPULSORY_WORK, 3),
    (CaseOutcome.DISMISSED, 4),
    (CaseOutcome.CRIMINAL, 2),
    ("", 6),
]
REASONS = [
    (RefusalReason.FORTRESS, 50),
    (RefusalReason.NOT_HERE, 25),
    (RefusalReason.NO_REASON, 20),
    (RefusalReason.OTHER, 5),
]


def _pick(rng: random.Random, weighted: list) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _at(obj, when: datetime) -> None:
    # created_at is filled on insert (auto_now_add): set the sample's own time afterwards.
    type(obj).objects.filter(pk=obj.pk).update(created_at=when)


def add_sample_day(seed: int = 2021) -> int:
    """Add the sample day's cases once; return how many were added (0 if already there)."""
    if Case.objects.filter(close_reason=DEMO_REASON).exists():
        return 0
    stations = list(PoliceStation.objects.exclude(city="").order_by("-weight", "pk")[:40])
    if not stations:
        return 0
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    weights = [max(s.weight, 1) for s in stations]
    with transaction.atomic():
        for _ in range(CASES):
            station = rng.choices(stations, weights)[0]
            opened = DAY + timedelta(minutes=rng.randint(0, 9 * 60))
            outcome = _pick(rng, OUTCOMES)
            kind = Kind.SEARCH if rng.random() < 0.05 else Kind.DETENTION
            case = Case.objects.create(
                kind=kind,
                status=Status.CLOSED,
                police_station=station,
                city=station.city,
                outcome=outcome,
                close_reason=DEMO_REASON,
                closed_at=opened + timedelta(hours=rng.randint(3, 30)),
            )
            _at(case, opened)
            steps = [(EventKind.REPORTED, 0, {})]
            if rng.random() < 0.85:  # the rest were released before a lawyer came
                on_way = rng.randint(4, 60)
                arrived = on_way + rng.randint(15, 70)
                steps += [
                    (EventKind.ACCEPTED, on_way - 2, {}),
                    (EventKind.LAWYER_EN_ROUTE, on_way, {}),
                    (EventKind.LAWYER_ARRIVED, arrived, {}),
                ]
                if rng.random() < 0.3:
                    reason = _pick(rng, REASONS)
                    steps.append((EventKind.REFUSED_ENTRY, arrived + 2, {"reason": reason}))
                steps.append((EventKind.ADMITTED, arrived + rng.randint(5, 240), {}))
            for kind_, minutes, data in steps:
                event = CaseEvent.objects.create(case=case, kind=kind_, station=station, data=data)
                _at(event, opened + timedelta(minutes=minutes))
    return CASES
