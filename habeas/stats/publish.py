"""The public statistics as they may be published: every count suppressed, then cached.

All the tables over the counted cases (by day, city, station, kind, outcome) are one
suppression problem with one total: hidden in one table, the total is hidden in all, and a
cell one table gives back cannot be read from another. The city x station counts are part
of the problem though never published: a city is the sum of its stations' cells, so a city
with a single station would otherwise print the station's hidden count.

The result is plain data, the same in every language (labels are added when rendered), so
one computation per HABEAS_STATS_CACHE_SECONDS serves the page, the JSON and the CSV alike.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import compute
from .suppress import suppress

CACHE_KEY = "stats:published:v1"
# Kept longer than the fresh copy: while one process recomputes, the others serve this.
STALE_KEY = "stats:published:stale:v1"
LOCK_KEY = "stats:computing:v1"
LOCK_SECONDS = 120
TOTAL = ("total",)
REFUSALS = ("refusals",)


def cell(values: dict, hidden: set, key) -> dict:
    """One published count: {"count": n or None, "suppressed": bool}."""
    if key in hidden:
        return {"count": None, "suppressed": True}
    return {"count": values.get(key, 0), "suppressed": False}


def _problem(raw: compute.Raw) -> tuple[dict, list]:
    values: dict = {TOTAL: sum(raw.days.values()), REFUSALS: sum(raw.refusals.values())}
    constraints: list = []

    def margin(name: str, counts: dict) -> None:
        keys = [(name, k) for k in counts]
        values.update({(name, k): n for k, n in counts.items()})
        constraints.append((TOTAL, keys))

    margin("day", raw.days)
    margin("city", raw.cities)
    margin("station", raw.stations)
    margin("kind", {k: raw.kinds.get(k, 0) for k in settings.HABEAS_STATS_KINDS})
    margin("outcome", {o: raw.outcomes.get(o, 0) for o in compute.OUTCOMES})
    for (city, station), n in raw.city_station.items():
        values[("cs", city, station)] = n
    for city in raw.cities:
        constraints.append(
            (("city", city), [("cs", c, s) for c, s in raw.city_station if c == city])
        )
    for station in raw.stations:
        parts = [("cs", c, s) for c, s in raw.city_station if s == station]
        constraints.append((("station", station), parts))
    # Refusals: station x reason, with both margins and the grand total.
    stations = sorted({s for s, _r in raw.refusals})
    for (station, reason), n in raw.refusals.items():
        values[("ref", station, reason)] = n
    for station in stations:
        parts = [("ref", station, r) for r in compute.REASONS if (station, r) in raw.refusals]
        values[("ref_station", station)] = sum(values[p] for p in parts)
        constraints.append((("ref_station", station), parts))
    for reason in compute.REASONS:
        parts = [("ref", s, reason) for s in stations if (s, reason) in raw.refusals]
        values[("ref_reason", reason)] = sum(values[p] for p in parts)
        constraints.append((("ref_reason", reason), parts))
    constraints.append((REFUSALS, [("ref_station", s) for s in stations]))
    constraints.append((REFUSALS, [("ref_reason", r) for r in compute.REASONS]))
    return values, constraints


def _sorted_rows(rows: list[dict]) -> list[dict]:
    # Largest first; hidden rows last, so a row's place says nothing of its hidden count.
    return sorted(rows, key=lambda r: (r["suppressed"], -(r["count"] or 0), r["key"]))


def _median(values: list[float], minimum: int) -> dict:
    if len(values) < minimum:
        return {"count": None, "median_minutes": None, "suppressed": True}
    return {"count": len(values), "median_minutes": compute.middle(values), "suppressed": False}


def build(raw: compute.Raw, minimum: int) -> dict:
    """Suppress the raw counts into the published statistics (plain, JSON-ready data)."""
    values, constraints = _problem(raw)
    hidden = suppress(values, constraints, minimum)

    def rows(name: str, keys) -> list[dict]:
        return [{"key": k, **cell(values, hidden, (name, k))} for k in keys]

    names = raw.station_names

    def station_row(row: dict) -> dict:
        name, city = names.get(row["key"], ("", ""))
        return {**row, "name": name, "city": city}

    refusal_stations = sorted({s for s, _r in raw.refusals})
    days = sorted(raw.days)
    return {
        "schema": 1,
        "generated_at": timezone.now().replace(second=0, microsecond=0).isoformat(),
        "min_count": minimum,
        "kinds": list(settings.HABEAS_STATS_KINDS),
        "period": {"from": days[0], "to": days[-1]} if days else None,
        "total": cell(values, hidden, TOTAL),
        "days": rows("day", days),
        "cities": _sorted_rows(rows("city", raw.cities)),
        "stations": [station_row(r) for r in _sorted_rows(rows("station", raw.stations))],
        "kinds_table": rows("kind", settings.HABEAS_STATS_KINDS),
        "outcomes": rows("outcome", compute.OUTCOMES),
        "refusals": {
            "total": cell(values, hidden, REFUSALS),
            "by_reason": rows("ref_reason", compute.REASONS),
            "by_station": _sorted_rows(
                [
                    station_row(
                        {
                            "key": s,
                            **cell(values, hidden, ("ref_station", s)),
                            "reasons": {
                                r: cell(values, hidden, ("ref", s, r)) for r in compute.REASONS
                            },
                        }
                    )
                    for s in refusal_stations
                ]
            ),
        },
        # Medians name no one on their own; they are shown only over enough cases.
        "waits": [
            station_row({"key": s, **_median(raw.waits[s], minimum)}) for s in sorted(raw.waits)
        ],
        "sos_to_lawyer": _median(raw.to_lawyer, minimum),
    }


def key(name: str) -> str:
    """A cache key under the settings that shape the figures: a new minimum or a kind made
    private must not be served the old copy, even the stale one, by a shared cache."""
    kinds = ",".join(sorted(settings.HABEAS_STATS_KINDS))
    return f"{name}:{settings.HABEAS_STATS_MIN_COUNT}:{kinds}"


def published() -> dict:
    """The published statistics, computed at most once per HABEAS_STATS_CACHE_SECONDS."""
    found = cache.get(key(CACHE_KEY))
    if found is not None:
        return found
    # When the copy expires under a crowd, one process recomputes; the rest serve the last
    # copy meanwhile instead of each running the same queries.
    if not cache.add(key(LOCK_KEY), 1, LOCK_SECONDS):
        stale = cache.get(key(STALE_KEY))
        if stale is not None:
            return stale
    try:
        found = build(compute.compute(), settings.HABEAS_STATS_MIN_COUNT)
        period = settings.HABEAS_STATS_CACHE_SECONDS
        cache.set(key(CACHE_KEY), found, period)
        cache.set(key(STALE_KEY), found, period * 10)
    finally:
        cache.delete(key(LOCK_KEY))
    return found
