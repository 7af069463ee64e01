"""The station board: every police station with open cases, the worst first.

For dispatchers and lawyers on the day: how many people are held at each station, how many
still wait for a lawyer and for how long, which lawyers are there or on the way, and how
often lawyers were refused entry there. A lawyer at a station takes its waiting cases in
one action; a dispatcher gives them to one lawyer (both in console/batch.py).

Reads only, and a fixed handful of queries however many cases are open (grouped counts, not
rows per case): the board is polled like the queue, by every dispatcher, all day. It comes in
pages of fifty stations, as the queue in pages of fifty cases: a protest day over a city's
thousand stations drew a board of 1,066 rows, a megabyte at every refresh and a third of a
second to draw (bench/scale.py).
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from habeas.accounts.models import User
from habeas.cases.models import Case, CaseEvent, EventKind, Status
from habeas.dispatch.load import load_of
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

from . import board_rows
from .access import staff_required
from .acting import parse_id
from .casepage import lawyer_choices
from .widgets import LongSelect

# Refusals of entry are counted over a day: one refused lawyer at 10:00 tells the next one
# what to expect at 16:00, after that person is long released.
REFUSALS_WINDOW = timedelta(hours=24)

# A case's place, as Case.place says it: where the person is held, else the station nearest
# to where the SOS came from.
PLACE = Coalesce("police_station_id", "near_station_id")


@dataclass
class LawyerThere:
    user: User
    arrived: bool  # at the station (on site); otherwise on the way


class Place(NamedTuple):
    """What the board, its picker and the map show of a station: a thousand of them are read
    for every refresh, as plain rows rather than model objects (fewer objects, fewer pauses
    of the garbage collector in the slowest requests; docs/benchmarks.md, 5e)."""

    pk: int
    name: str
    address: str
    lat: float
    lon: float


@dataclass
class StationRow:
    station: Place
    held: int = 0  # open cases whose place is this station
    known: int = 0  # of them, known to be held here (the others only reported nearest)
    waiting: int = 0  # of them, nobody has yet
    oldest_waiting: datetime | None = None
    refused: int = 0  # refusals of entry in the last REFUSALS_WINDOW
    lawyers: list[LawyerThere] = field(default_factory=list)

    @property
    def waited(self) -> timedelta | None:
        return timezone.now() - self.oldest_waiting if self.oldest_waiting else None

    def sort_key(self) -> tuple:
        # The worst first: most people waiting, then the longest wait, then most people.
        oldest = self.oldest_waiting.timestamp() if self.oldest_waiting else float("inf")
        return (-self.waiting, oldest, -self.held, self.station.name)


# Fifty stations are more than a dispatcher reads at once; the worst come first.
PAGE_SIZE = 50


def counted() -> list[StationRow]:
    """One row per station with an open case, the worst first: its counts only (the map's
    points, and what the board's pages are cut from). Two queries."""
    counts = (
        Case.objects.open()
        .annotate(place=PLACE)
        .filter(place__isnull=False)
        .values("place")
        .annotate(
            held=Count("pk"),
            known=Count("pk", filter=Q(police_station__isnull=False)),
            waiting=Count("pk", filter=Q(status=Status.OPEN)),
            oldest_waiting=Min("created_at", filter=Q(status=Status.OPEN)),
        )
        .order_by()
        .values_list("place", "held", "known", "waiting", "oldest_waiting")
    )
    by_place = {c[0]: c[1:] for c in counts}
    places = PoliceStation.objects.filter(pk__in=list(by_place)).values_list(*Place._fields)
    found = [StationRow(Place(*place), *by_place[place[0]]) for place in places]
    return sorted(found, key=StationRow.sort_key)


def _add_details(found: list[StationRow]) -> None:
    """The lawyers and the refusals of these rows' stations: three queries for any number."""
    board = {row.station.pk: row for row in found}
    _add_lawyers(board)
    _add_refusals(board)


def page_of(found: list[StationRow], number: str, station: str) -> Page:
    """The page `number` of the rows, or the page showing `station` (the map's links name a
    station, not a page), with the details of its rows only."""
    paginator = Paginator(found, PAGE_SIZE)
    wanted = parse_id(station)
    at = next((i for i, row in enumerate(found) if row.station.pk == wanted), None)
    # Past the last page (cases closed meanwhile) shows the last one, not an error.
    page = paginator.get_page(at // PAGE_SIZE + 1 if at is not None else number)
    _add_details(page.object_list)
    return page


def _add_lawyers(board: dict[int, StationRow]) -> None:
    """The lawyers on each station's open cases: at the station, or on the way there."""
    taken = (
        Case.objects.open()
        .filter(assigned_lawyer__isnull=False)
        .annotate(place=PLACE)
        .filter(place__in=list(board))
        .values_list("place", "assigned_lawyer", "status")
        .order_by()
        .distinct()
    )
    seen: dict[tuple[int, int], bool] = {}
    for place, lawyer_id, status in taken:
        key = (place, lawyer_id)
        seen[key] = seen.get(key, False) or status == Status.LAWYER_ON_SITE
    users = User.objects.in_bulk({lawyer_id for _place, lawyer_id in seen})
    for (place, lawyer_id), arrived in seen.items():
        board[place].lawyers.append(LawyerThere(users[lawyer_id], arrived))
    for row in board.values():
        row.lawyers.sort(key=lambda t: (not t.arrived, str(t.user)))


def _add_refusals(board: dict[int, StationRow]) -> None:
    # The refusal's event names no station of its own: the case's place says where it was.
    since = timezone.now() - REFUSALS_WINDOW
    refused = (
        CaseEvent.objects.filter(kind=EventKind.REFUSED_ENTRY, created_at__gte=since)
        .annotate(place=Coalesce("case__police_station_id", "case__near_station_id"))
        .filter(place__in=list(board))
        .values("place")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in refused:
        board[row["place"]].refused = row["n"]


@dataclass
class MyRoom:
    """What "Take all here" can do for the lawyer looking: on duty, and room for how many."""

    on_duty: bool
    room: int


def my_room(user) -> MyRoom | None:
    if not user.is_lawyer:
        return None
    lawyer = Lawyer.objects.filter(user=user).first()
    if lawyer is None:
        return MyRoom(False, 0)
    return MyRoom(lawyer.on_duty, max(lawyer.capacity - load_of(user.pk), 0))


def board_etag(request: HttpRequest) -> str:
    # As the queue's: any case changing changes it, and the minute ages "waiting 12 min".
    minute = int(time.time() // 60)
    version = Case.objects.version()
    page = parse_id(request.GET.get("page", "")) or 1
    return f'"s-{version}-{request.LANGUAGE_CODE}-{request.user.pk}-{page}-{minute}"'


def _context(request: HttpRequest) -> tuple[dict, list[StationRow]]:
    """The board's context, and all its rows (the page holds fifty of them)."""
    user = request.user
    found = counted()
    page = page_of(found, request.GET.get("page", ""), request.GET.get("station", ""))
    me = my_room(user)
    context = {
        "rows": page.object_list,
        "rows_html": board_rows.draw(
            page.object_list,
            request,
            page_number=page.number,
            takes=me is not None,
            assigns=user.is_dispatcher,
        ),
        "page_obj": page,
        "stations_total": len(found),
        "waiting_total": sum(r.waiting for r in found),
        "me": me,
        "title": _("Police stations"),
    }
    return context, found


def station_select(found: list[StationRow], chosen: int | None) -> str:
    """The assign form's picker: every station with people waiting, on any page, drawn by
    LongSelect for a thousand stations."""
    waiting = [
        (row.station.pk, f"{row.station.name} ({_waiting(row.waiting)})")
        for row in found
        if row.waiting
    ]
    picker = LongSelect(attrs={"id": "assign-station", "required": True})
    picker.choices = [("", _("Choose a station…")), *waiting]
    return picker.render("station", chosen)


def _waiting(n: int) -> str:
    return ngettext("%(n)d waiting", "%(n)d waiting", n) % {"n": n}


@never_cache
@staff_required
@require_GET
def station_board(request: HttpRequest) -> HttpResponse:
    user = request.user
    context, found = _context(request)
    page = context["page_obj"]
    context |= {
        "etag": board_etag(request),
        "poll_ms": settings.HABEAS_POLL_MS,
        # The live refresh keeps to the page shown, even one reached through ?station=.
        "poll_query": f"?page={page.number}" if page.number > 1 else "",
    }
    if user.is_dispatcher:
        # The one lawyer picker, outside the refreshed list; "?assign=<station>" picks a row.
        context["lawyers"] = lawyer_choices()
        context["assign_select"] = station_select(found, parse_id(request.GET.get("assign", "")))
    return render(request, "console/stations.html", context)


@never_cache
@staff_required
@require_GET
@condition(etag_func=board_etag)
def station_board_fragment(request: HttpRequest) -> HttpResponse:
    """The board's list for the live refresh, or 304 while no case changed."""
    return render(request, "console/_stations_list.html", _context(request)[0])
