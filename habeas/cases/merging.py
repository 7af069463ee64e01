"""One person, one case: the claim on a person's blind index, possible matches, merge, split.

Everything here works on keyed indexes and the clear envelope only, never on sealed data, so
it keeps working once reports are sealed on the phone (docs/architecture.md). The writers are
lower-level: dispatch.services.merge and split are their one entrance.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from habeas.lib import geo
from habeas.lib.refusals import Refusal

from .models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    EventKind,
    PersonClaim,
    Report,
    ReporterRole,
    Status,
)

# A closed case takes others' news of the person for a day: friends report after the release.
JOIN_CLOSED_HOURS = 24
# "Possible matches": the same name, reported within a day, about the same city.
MATCH_HOURS = 24
MATCH_RADIUS_M = 30_000
MATCHES_SHOWN = 10


class MergeError(Refusal):
    """A merge or split cannot be done: dispatchers_only, same_case, case_closed,
    last_report (a case's only report cannot be split off), no_such_report."""

    CODES = frozenset(
        {"dispatchers_only", "same_case", "case_closed", "last_report", "no_such_report"}
    )


def claim(blind_index: str) -> PersonClaim:
    """Take the person's claim row, locked until the caller's transaction ends.

    Inserted if new; a concurrent report of the same person blocks on the unique index (or,
    on SQLite, on the database's write lock) until the first commits, then finds its row.
    """
    # Only the claim is locked (the case may be closing; joinable reads it as it is).
    claims = PersonClaim.objects.select_for_update(of=("self",)).select_related("case")
    # Twice at most: a claim deleted between the two statements (its case forgotten) is
    # inserted again on the second pass.
    for _ in range(2):
        try:
            with transaction.atomic():
                return PersonClaim.objects.create(blind_index=blind_index)
        except IntegrityError:
            found = claims.filter(blind_index=blind_index).first()
            if found is not None:
                return found
    raise IntegrityError("the person's claim could not be taken")


def joinable(case: Case | None, kind: str, reporter_role: str) -> bool:
    """Whether a new report of this person joins `case` rather than opening its own."""
    if case is None or case.kind != kind:
        return False
    if not case.is_closed:
        return True
    # Never the person's own new SOS, nor a case withdrawn (the police may hold the phone and
    # withdraw it), nor one merged away: each of those is a new emergency, dispatched anew.
    since = timezone.now() - timedelta(hours=JOIN_CLOSED_HOURS)
    return (
        reporter_role != ReporterRole.SELF
        and case.close_reason == "closed"
        and case.closed_at is not None
        and case.closed_at >= since
    )


def _point(case: Case) -> tuple[float, float] | None:
    if case.lat_coarse is not None and case.lon_coarse is not None:
        return case.lat_coarse, case.lon_coarse
    place = case.place
    return (place.lat, place.lon) if place is not None and place.lat is not None else None


def same_area(a: Case, b: Case) -> bool:
    """Same station, or within MATCH_RADIUS_M; a case with no place at all may be anywhere."""
    if a.place is not None and b.place is not None and a.place.pk == b.place.pk:
        return True
    pa, pb = _point(a), _point(b)
    if pa is None or pb is None:
        return True
    return geo.distance_m(*pa, *pb) <= MATCH_RADIUS_M


def possible_matches(case: Case) -> list[Case]:
    """Open cases that may be this person too, for a dispatcher to merge by hand, newest first.

    A report of the same normalised name (its name index) in the last day, about the same
    area. Two reports that both carry a date of birth are left out: with the same date they
    were merged already (or split apart on purpose); with another date they are someone else.
    """
    mine = list(case.reports.exclude(name_index="").values_list("name_index", "blind_index"))
    if not mine:
        return []
    undated = {name for name, blind in mine if not blind}
    since = timezone.now() - timedelta(hours=MATCH_HOURS)
    theirs = (
        Report.objects.filter(
            name_index__in={name for name, _ in mine},
            created_at__gte=since,
            case__status__in=sorted(OPEN_STATUSES),
        )
        .exclude(case=case)
        .select_related("case__police_station", "case__near_station")
        .order_by("-created_at")
    )
    found: dict[int, Case] = {}
    for report in theirs:
        if report.blind_index and report.name_index not in undated:
            continue
        if report.case_id not in found and same_area(case, report.case):
            found[report.case_id] = report.case
    return list(found.values())[:MATCHES_SHOWN]


def _touch(*cases: Case) -> None:
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(updated_at=timezone.now())


def _lock(*case_ids: int) -> dict[int, Case]:
    # Claims first, then cases, both in id order: the order open_case takes them in, so a
    # report arriving during a merge waits instead of deadlocking.
    list(PersonClaim.objects.select_for_update().filter(case_id__in=case_ids).order_by("pk"))
    locked = Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk")
    return {c.pk: c for c in locked}


def merge_cases(into_id: int, from_id: int, *, actor) -> tuple[Case, Case]:
    """Move every report of case `from_id` into `into_id` and close the emptied case as
    merged; the person's claims follow. Returns (into, closed). Raises MergeError."""
    from .tasks import purge_case

    if into_id == from_id:
        raise MergeError("same_case")
    with transaction.atomic():
        locked = _lock(into_id, from_id)
        into, other = locked[into_id], locked[from_id]
        if into.is_closed or other.is_closed:
            raise MergeError("case_closed")
        moved = Report.objects.filter(case=other).update(case=into)
        PersonClaim.objects.filter(case=other).update(case=into)
        now = timezone.now()
        other.status = Status.CLOSED
        other.closed_at = now
        other.close_reason = "merged"
        other.purge_after = now + timedelta(days=settings.HABEAS_RETENTION_DAYS)
        other.save(update_fields=["status", "closed_at", "close_reason", "purge_after"])
        # The emptied case keeps its timeline (staff notes among it): the retention clock runs.
        purge_case.using(run_after=other.purge_after).enqueue(other.pk)
        CaseEvent.objects.create(
            case=into,
            kind=EventKind.MERGED,
            author=actor,
            data={"from": other.public_id, "reports": moved},
        )
        CaseEvent.objects.create(
            case=other, kind=EventKind.MERGED_INTO, author=actor, data={"into": into.public_id}
        )
        _touch(into, other)
    return into, other


def split_report(case_id: int, report_id: int, *, actor) -> tuple[Case, Case]:
    """Move one report out of its case into a new case of its own. Returns (source, new).

    The new case copies the source's routing envelope (kind, priority, coarse place): routing
    reads the envelope, never the sealed report, and a dispatcher corrects the station.
    """
    with transaction.atomic():
        source = _lock(case_id)[case_id]
        report = Report.objects.filter(pk=report_id, case_id=case_id).first()
        if report is None:
            raise MergeError("no_such_report")
        if source.is_closed:
            raise MergeError("case_closed")
        if Report.objects.filter(case=source).count() < 2:
            raise MergeError("last_report")
        new = Case.objects.create(
            kind=source.kind,
            is_minor=source.is_minor,
            priority=source.priority,
            lat_coarse=source.lat_coarse,
            lon_coarse=source.lon_coarse,
            location_captured_at=source.location_captured_at,
            near_station=source.near_station,
            due_at=source.due_at,
        )
        Report.objects.filter(pk=report.pk).update(case=new)
        blind = report.blind_index
        if blind and not Report.objects.filter(case=source, blind_index=blind).exists():
            PersonClaim.objects.filter(blind_index=blind).update(case=new)
        CaseEvent.objects.create(case=new, kind=EventKind.REPORTED)
        CaseEvent.objects.create(
            case=new, kind=EventKind.SPLIT, author=actor, data={"from": source.public_id}
        )
        CaseEvent.objects.create(
            case=source, kind=EventKind.SPLIT, author=actor, data={"to": new.public_id}
        )
        _touch(source)
    return source, new
