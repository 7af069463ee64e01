"""A lawyer's load, defined once: open cases assigned to them plus offers waiting for their
answer. Dispatch, the roster and the "assign" list all count it this way, so a lawyer shown
with room is a lawyer dispatch would offer a case to."""

from collections import Counter
from typing import NamedTuple

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from habeas.cases.models import Case, CaseEvent, EventKind

from .models import Offer


class Work(NamedTuple):
    """What dispatch needs to know of lawyers' open work."""

    loads: Counter  # open cases plus pending offers: counted against capacity
    where: dict[int, set[int]]  # stations of the work still tying them to a place
    active: Counter  # work still tying them to a place: not released yet


def open_work(user_ids) -> Work:
    """Each lawyer's load, and the stations of the work that keeps them at a place.

    Counting through a join of the user multiplied every case a lawyer ever had by every
    offer they ever got: seconds per dispatch once a year of closed cases piles up
    (docs/benchmarks.md). Open cases come from the queue index, not each lawyer's history.

    A case whose person was released still counts against capacity (protocol, court date
    and appeal follow), but no longer holds the lawyer at its station: "one place at a time"
    kept blocking lawyers who had left (2 lawyers shown free, rank() empty).
    """
    released = CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.RELEASED)
    held = (
        Case.objects.open()
        .filter(assigned_lawyer_id__in=user_ids)
        .annotate(released=Exists(released))
    )
    rows = list(
        held.values_list("assigned_lawyer_id", "police_station_id", "near_station_id", "released")
    )
    offered = Offer.objects.pending().filter(lawyer_id__in=user_ids)
    rows += [
        (*row, False)
        for row in offered.values_list(
            "lawyer_id", "case__police_station_id", "case__near_station_id"
        )
    ]
    work = Work(Counter(), {}, Counter())
    for user_id, held_at, near, was_released in rows:
        work.loads[user_id] += 1
        if was_released:
            continue
        work.active[user_id] += 1
        if station := held_at or near:
            work.where.setdefault(user_id, set()).add(station)
    return work


def load_of(user_id: int) -> int:
    """One lawyer's load now."""
    return open_work([user_id]).loads[user_id]


def count_per_user(rows, column: str, user_ref: str):
    """Count rows whose `column` is the user at `user_ref`, as a subquery (0 when none)."""
    counted = (
        rows.filter(**{column: OuterRef(user_ref)})
        .order_by()
        .values(column)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def load_annotations(user_ref: str) -> dict:
    """Annotations `active` and `offered` for a queryset whose user id is at `user_ref`:
    one subquery each, so a list of every lawyer stays one query."""
    return {
        "active": count_per_user(Case.objects.open(), "assigned_lawyer", user_ref),
        "offered": count_per_user(Offer.objects.pending(), "lawyer", user_ref),
    }
