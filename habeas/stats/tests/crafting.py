"""Crafted cases for the statistics tests: exact counts by day, city, station and outcome.

Rows are written directly (these tests check what is counted, not how cases change), and
their times are set after the insert, as created_at is filled by the database.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from habeas.cases.models import Case, CaseEvent, EventKind
from habeas.stations.models import PoliceStation

MOSCOW = ZoneInfo("Europe/Moscow")
DAY = datetime(2021, 1, 31, 14, 0, tzinfo=MOSCOW)


def station(name: str, city: str = "москва") -> PoliceStation:
    return PoliceStation.objects.create(name=name, lat=55.75, lon=37.61, city=city)


def cases(n: int, *, at: datetime = DAY, held=None, city: str = "", **fields) -> list[Case]:
    """n cases opened at `at` (a minute apart), held at `held`, in `city`."""
    made = []
    for i in range(n):
        case = Case.objects.create(police_station=held, city=city, **fields)
        Case.objects.filter(pk=case.pk).update(created_at=at + timedelta(minutes=i))
        case.refresh_from_db()
        made.append(case)
    return made


def event(case: Case, kind: EventKind, after_minutes: float, **fields) -> CaseEvent:
    """An event `after_minutes` after the case opened."""
    made = CaseEvent.objects.create(case=case, kind=kind, **fields)
    at = case.created_at + timedelta(minutes=after_minutes)
    CaseEvent.objects.filter(pk=made.pk).update(created_at=at)
    return made


def refused(case: Case, where: PoliceStation, reason: str, wait_minutes: float | None) -> None:
    """The lawyer arrives at `where`, is refused for `reason`, and is let in after the wait."""
    event(case, EventKind.LAWYER_ARRIVED, 30, station=where)
    event(case, EventKind.REFUSED_ENTRY, 31, data={"reason": reason})
    if wait_minutes is not None:
        event(case, EventKind.ADMITTED, 30 + wait_minutes)
