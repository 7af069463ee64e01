"""The console's map: police stations with open cases, where SOS came from, lawyers' bases.

No third party is asked for anything. The map library is vendored from npm
(scripts/vendor-leaflet.sh) and tiles come only from HABEAS_MAP_TILES_URL, the
organisation's own tile server, when it is set: the pages that show a map then allow that
one origin for images, and no page allows any other. Without it the map draws its points
and station names on a plain background.

Precision: a case is shown only as the routing envelope's coarse cell (~500 m,
habeas.lib.geo.coarse), drawn as the cell it is and counted per cell, never a case's own
point; cells and lawyers' bases (also rounded to the cell) are for dispatchers only, as the
case page opens a person's location to them alone. Everyone on staff sees the stations,
which are public places.
"""

from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.cases.models import Case, Status
from habeas.lawyers.models import Lawyer
from habeas.lib import geo
from habeas.stations.models import PoliceStation

from . import board
from .access import staff_required


def tiles_origin() -> str:
    """The tile server's origin (scheme://host[:port]), or "" when no tiles are set."""
    parts = urlsplit(settings.HABEAS_MAP_TILES_URL)
    return f"{parts.scheme}://{parts.netloc}" if settings.HABEAS_MAP_TILES_URL else ""


def allow_tiles(response: HttpResponse) -> HttpResponse:
    """Let this page load images from the tile server, if one is set; no other origin."""
    if origin := tiles_origin():
        policy = dict(settings.SECURE_CSP)
        policy["img-src"] = [*policy.get("img-src", []), origin]
        response._csp_config = policy  # read by Django's CSP middleware
    return response


def _station_label(name: str, held: int, waiting: int) -> str:
    people = ngettext("%(n)d person", "%(n)d people", held) % {"n": held}
    if not waiting:
        return f"{name}: {people}"
    wait = ngettext("%(n)d waiting", "%(n)d waiting", waiting) % {"n": waiting}
    return f"{name}: {people}, {wait}"


def _cell_label(cases: int, waiting: int) -> str:
    text = ngettext("%(n)d SOS from about here", "%(n)d SOS from about here", cases) % {"n": cases}
    if waiting:
        text += ", " + ngettext("%(n)d waiting", "%(n)d waiting", waiting) % {"n": waiting}
    return text


@dataclass
class Point:
    lat: float
    lon: float
    label: str
    waiting: int = 0
    id: int | None = None  # a station's, for the link to its row on the board


def station_points() -> list[Point]:
    """Every station with an open case, the worst first (the board's own rows, counts only)."""
    return [
        Point(
            r.station.lat,
            r.station.lon,
            _station_label(r.station.name, r.held, r.waiting),
            r.waiting,
            r.station.pk,
        )
        for r in board.counted()
    ]


def case_cells() -> list[Point]:
    """Open cases counted per coarse cell: where SOS came from, never closer than a cell."""
    cells = (
        Case.objects.open()
        .filter(lat_coarse__isnull=False, lon_coarse__isnull=False)
        .values("lat_coarse", "lon_coarse")
        .annotate(cases=Count("pk"), waiting=Count("pk", filter=Q(status=Status.OPEN)))
        .order_by()
    )
    return [
        # Rounded again here: whatever a row holds, the map never shows more than a cell.
        Point(
            geo.coarse(c["lat_coarse"]),
            geo.coarse(c["lon_coarse"]),
            _cell_label(c["cases"], c["waiting"]),
            c["waiting"],
        )
        for c in sorted(cells, key=lambda c: (-c["waiting"], -c["cases"]))
    ]


def lawyer_bases() -> list[Point]:
    """On-duty lawyers' bases, rounded to the cell: a base may be someone's home."""
    rows = (
        Lawyer.objects.on_duty()
        .filter(base_lat__isnull=False, base_lon__isnull=False)
        .select_related("user")
    )
    return [Point(geo.coarse(r.base_lat), geo.coarse(r.base_lon), str(r.user)) for r in rows]


def _everywhere() -> list[list[float]] | None:
    """The stations' bounding box, where the map opens when nothing is there to show."""
    box = PoliceStation.objects.aggregate(s=Min("lat"), n=Max("lat"), w=Min("lon"), e=Max("lon"))
    return [[box["s"], box["w"]], [box["n"], box["e"]]] if box["s"] is not None else None


def map_config(*, cells: list[Point], bases: list[Point], stations: list[Point]) -> dict:
    """What map.js draws, with every word it shows already in the reader's language."""
    return {
        "tiles": settings.HABEAS_MAP_TILES_URL or None,
        "attribution": settings.HABEAS_MAP_ATTRIBUTION,
        "cell": geo.COARSE_STEP_DEG,
        "stations": [asdict(p) for p in stations],
        "cells": [asdict(p) for p in cells],
        "bases": [asdict(p) for p in bases],
        "fallback": _everywhere(),
        "words": {"zoomIn": _("Zoom in"), "zoomOut": _("Zoom out")},
    }


@never_cache
@staff_required
@require_GET
def case_map(request: HttpRequest) -> HttpResponse:
    dispatcher = request.user.is_dispatcher
    stations = station_points()
    cells = case_cells() if dispatcher else []
    bases = lawyer_bases() if dispatcher else []
    context = {
        "title": _("Map"),
        "stations": stations,
        "cells": cells,
        "bases": bases,
        "show_private": dispatcher,
        "map": map_config(cells=cells, bases=bases, stations=stations),
        "tiles": bool(settings.HABEAS_MAP_TILES_URL),
    }
    return allow_tiles(render(request, "console/map.html", context))


def case_map_config(case: Case, details: bool) -> dict | None:
    """The case page's small map: the case's station, and its coarse cell for those who
    may see the person's details (who see the exact location there anyway)."""
    station = case.place
    stations = []
    if station is not None:
        label = (
            station.name
            if case.place_is_known
            else _("near %(station)s") % {"station": station.name}
        )
        stations = [Point(station.lat, station.lon, label, 0, station.pk)]
    cells = []
    if details and case.lat_coarse is not None and case.lon_coarse is not None:
        cells = [
            Point(
                geo.coarse(case.lat_coarse),
                geo.coarse(case.lon_coarse),
                _("The SOS came from about here"),
            )
        ]
    if not stations and not cells:
        return None
    return map_config(cells=cells, bases=[], stations=stations)
