"""The protest day both arms replay: cities, stations, detainees and lawyers, drawn once.

Everything random here comes from its own seeded stream, so the two arms see the very same
detainees (time, station, time needed with them, refusals at the door) and the very same lawyers.
"""

# ruff: noqa: S311 - seeded random.Random streams are the point: reproducible draws, not secrets

import bisect
import csv
import itertools
import math
import random
from dataclasses import dataclass
from pathlib import Path

from bench.simulator.params import Params

DATA = Path(__file__).parent / "data"
TIMELINE = DATA / "detentions-2021-01-31-timeline.csv"
STATIONS = DATA / "police-stations-2013-ovdinfo.csv"
MOSCOW = (55.7539, 37.6208)  # the Kremlin
SPB = (59.9343, 30.3351)  # Palace Square
CAPITAL_KM = 100  # a station this close to a capital belongs to it (Moscow and Leningrad regions)


@dataclass(frozen=True)
class Station:
    id: int
    city: int
    lat: float
    lon: float
    weight: float


@dataclass(frozen=True)
class City:
    index: int
    name: str
    lat: float
    lon: float
    radius_km: float  # lawyers live within this distance of the centre
    stations: tuple[Station, ...]


@dataclass(frozen=True)
class Detainee:
    id: int
    t: float  # minutes after midnight MSK, 31 Jan 2021, when the SOS (or hotline report) comes
    city: int
    station: Station
    priority: int
    visit_min: float  # time a lawyer spends with them once admitted
    refusals: tuple[bool, ...]  # for each attempt to see them: refused at the door?


@dataclass(frozen=True)
class LawyerHome:
    id: int
    city: int
    lat: float
    lon: float


@dataclass(frozen=True)
class World:
    params: Params
    cities: tuple[City, ...]
    detainees: tuple[Detainee, ...]
    lawyers: tuple[LawyerHome, ...]


def minutes(hhmm: str) -> float:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from habeas.lib.geo import distance_m  # the same haversine the policy uses

    return distance_m(lat1, lon1, lat2, lon2) / 1000


def arrival_curves(params: Params) -> dict[str, list[tuple[float, float]]]:
    """Return the running total per region as (minute, count) points from the timeline CSV.

    Each region starts from zero at its assumed start; the St Petersburg count missing at 14:16
    is interpolated; "other" is the total minus the two capitals. The undated late-evening row is
    placed at params.late_evening_hhmm and nothing is added after it: the final 5,754 (which came
    days later) scales the whole curve, i.e. late-recorded detentions are spread like the rest.
    """
    rows = [r for r in csv.DictReader(TIMELINE.open(encoding="utf-8")) if r["total_detained"]]
    points = []
    for row in rows:
        if row["time_msk"] == "final":
            continue
        when = row["time_msk"][11:16] or params.late_evening_hhmm
        points.append((minutes(when), row))
    spb_start = minutes(params.spb_start_hhmm)
    spb_known = [(t, float(r["st_petersburg"])) for t, r in points if r["st_petersburg"]]
    curves: dict[str, list[tuple[float, float]]] = {
        "moscow": [(minutes(params.moscow_start_hhmm), 0.0)],
        "spb": [(spb_start, 0.0)],
        "other": [(minutes(params.other_start_hhmm), 0.0)],
    }
    for t, row in points:
        spb = (
            float(row["st_petersburg"])
            if row["st_petersburg"]
            else interpolate([(spb_start, 0.0), *spb_known], t)
        )
        moscow = float(row["moscow"])
        curves["moscow"].append((t, moscow))
        if t > spb_start:
            curves["spb"].append((t, spb))
        curves["other"].append((t, float(row["total_detained"]) - moscow - spb))
    return curves


def interpolate(points: list[tuple[float, float]], t: float) -> float:
    times = [p[0] for p in points]
    i = bisect.bisect_right(times, t)
    if i == 0:
        return points[0][1]
    if i == len(points):
        return points[-1][1]
    (t0, v0), (t1, v1) = points[i - 1], points[i]
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def sample_time(curve: list[tuple[float, float]], u: float) -> float:
    """Invert the piecewise-linear running total: the time by which a share u had arrived."""
    target = u * curve[-1][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(curve):
        if v1 >= target and v1 > v0:
            return t0 + (t1 - t0) * max(0.0, target - v0) / (v1 - v0)
    return curve[-1][0]


def load_capital_stations() -> dict[str, list[Station]]:
    """Return Moscow's and St Petersburg's stations, weighted by 2013 deliveries.

    Rows that repeat a station (same name and place) are merged; other places in the file (the
    Nizhny Novgorod region, Novokhopersk) are left out: their detainees are "other cities".
    """
    merged: dict[tuple[str, str, str], list] = {}
    for row in csv.DictReader(STATIONS.open(encoding="utf-8")):
        key = (row["Name"], row["lat"], row["lon"])
        if key in merged:
            merged[key][3] += float(row["value"])
        else:
            merged[key] = [
                int(row["id"]),
                float(row["lat"]),
                float(row["lon"]),
                float(row["value"]),
            ]
    out: dict[str, list[Station]] = {"moscow": [], "spb": []}
    for sid, lat, lon, weight in merged.values():
        for index, (name, centre) in enumerate((("moscow", MOSCOW), ("spb", SPB))):
            if km(lat, lon, *centre) < CAPITAL_KM:
                out[name].append(Station(sid, index, lat, lon, weight))
    return out


def point_near(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    """Return a point uniform in a disc (sqrt keeps the density flat across the area)."""
    r = radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(angle) / 111.2
    dlon = r * math.sin(angle) / (111.2 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def build_cities(params: Params, rng: random.Random) -> list[City]:
    capitals = load_capital_stations()
    cities = [
        City(0, "Moscow", *MOSCOW, params.moscow_radius_km, tuple(capitals["moscow"])),
        City(1, "St Petersburg", *SPB, params.spb_radius_km, tuple(capitals["spb"])),
    ]
    for k in range(params.other_cities):
        index = 2 + k
        # Synthetic places ~190 km apart on one parallel: far enough that no coverage radius
        # reaches a neighbour, so a city's lawyers serve only their city, as in life.
        lat, lon = 55.0, 42.0 + 3.0 * k
        stations = tuple(
            Station(
                1000 + 100 * index + s,
                index,
                *point_near(rng, lat, lon, params.other_city_radius_km),
                1.0,
            )
            for s in range(params.other_stations_per_city)
        )
        cities.append(
            City(index, f"Other {k + 1}", lat, lon, params.other_city_radius_km, stations)
        )
    return cities


def build_detainees(params: Params, cities: list[City]) -> list[Detainee]:
    curves = arrival_curves(params)
    last = {name: curve[-1][1] for name, curve in curves.items()}
    counts = split(params.total_detained, last)
    if params.other_cities < 1:
        raise ValueError(
            "other_cities must be at least 1: most detentions were outside the capitals"
        )
    times = random.Random(f"{params.seed}:arrivals")
    places = random.Random(f"{params.seed}:stations")
    needs = random.Random(f"{params.seed}:visits")
    doors = random.Random(f"{params.seed}:refusals")
    raw = []
    for name in ("moscow", "spb", "other"):
        for _ in range(counts[name]):
            t = sample_time(curves[name], times.random())
            if name == "other":
                city = cities[2 + places.randrange(params.other_cities)]
            else:
                city = cities[0 if name == "moscow" else 1]
            station = places.choices(city.stations, weights=[s.weight for s in city.stations])[0]
            priority = 10 if needs.random() < params.priority_share else 0
            visit = needs.triangular(
                params.visit_min_low, params.visit_min_high, params.visit_min_mode
            )
            refusals = tuple(doors.random() < params.refuse_p for _ in range(params.refuse_tries))
            raw.append((t, city.index, station, priority, visit, refusals))
    raw.sort(key=lambda r: r[0])
    return [Detainee(i + 1, *r) for i, r in enumerate(raw)]


def split(total: int, weights: dict) -> dict:
    """Share an integer total in proportion to weights (largest remainder, so it adds up)."""
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (out[k] - exact[k], str(k)))[: total - sum(out.values())]:
        out[k] += 1
    return out


def build_lawyers(
    params: Params, cities: list[City], detainees: list[Detainee]
) -> list[LawyerHome]:
    """Split the pool across cities in proportion to their detainees; homes around the centre."""
    per_city = {c.index: 0 for c in cities}
    for d in detainees:
        per_city[d.city] += 1
    counts = split(params.pool, {k: v for k, v in per_city.items() if v}) if detainees else {}
    rng = random.Random(f"{params.seed}:homes")
    homes = []
    for city in cities:
        for _ in range(counts.get(city.index, 0)):
            lat, lon = point_near(rng, city.lat, city.lon, city.radius_km)
            homes.append(LawyerHome(len(homes) + 1, city.index, lat, lon))
    return homes


def build_world(params: Params) -> World:
    cities = build_cities(params, random.Random(f"{params.seed}:cities"))
    detainees = build_detainees(params, cities)
    lawyers = build_lawyers(params, cities, detainees)
    return World(params, tuple(cities), tuple(detainees), tuple(lawyers))
