"""Who is detained when, where, and who reports it: the protest day's plan, drawn once.

Pure and seeded (no database, no clock): the same seed and sizes give the same people at the
same moments, so a trainer can replay a session, and the tests check the mix without a run.
The arrival curve is the one the protest-day simulator uses (docs/simulator.md, "Arrivals"):
OVD-Info's running totals for Moscow, St Petersburg and the other cities, each region from
zero at its assumed start, the undated late-evening total at 23:00.
"""

# ruff: noqa: S311 - seeded random.Random streams are the point: a replayable day, not secrets

import bisect
import csv
import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TIMELINE = Path(__file__).parent / "data" / "detentions-2021-01-31-timeline.csv"
# As bench/simulator/params.py: other cities (up to 7 h ahead of Moscow) from 05:00 MSK, St
# Petersburg from 13:00, Moscow from 11:00; "late evening" read as 23:00.
STARTS = {"other": "05:00", "spb": "13:00", "moscow": "11:00"}
LATE_EVENING = "23:00"
REGIONS = ("moscow", "spb", "other")

# How each person's detention reaches Habeas (assumptions, not data: nobody counted this in
# 2021). Most press SOS with their details saved; some never saved them; some have only SMS;
# a check-in timer runs out for some, and some are made to answer it and type the duress PIN;
# for some only a relative or friend reports.
WAYS = {
    "sos": 0.55,
    "bare": 0.15,
    "sms": 0.05,
    "timer": 0.07,
    "duress": 0.05,
    "relative_only": 0.13,
}
NO_LOCATION_SHARE = 0.1  # GPS off or refused: the case routes on nothing until a station is set
HEALTH_NOTE_SHARE = 0.2
CONTACT_SHARE = 0.3
MINOR_SHARE = 0.04
RELATIVE_SHARE = 0.45  # of those who sent something themselves
SECOND_RELATIVE_SHARE = 0.1
RELATIVE_KNOWS_BIRTH_DATE = 0.8  # else name only: a possible match for a dispatcher to merge
RELATIVE_CHANNELS = {"web": 0.5, "telegram": 0.3, "call": 0.2}
RELATIVE_DELAY_MIN = (20, 120)  # after the detention, in minutes of the day
TIMER_LEAD_MIN = 45  # a timer is armed this long before it runs out
STATION_SPREAD_M = 300  # the phone is at the station, within this

# Clearly made-up people. Phone numbers in the +7 000 range, which no Russian operator uses:
# a trainee pressing a tel: link in the demo must never ring a real person.
FIRST = {
    "f": ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Дарья", "Алина", "Софья", "Ксения"],
    "m": ["Иван", "Алексей", "Дмитрий", "Сергей", "Павел", "Егор", "Никита", "Артём", "Олег"],
}
LAST = [
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Лебедев", "Лебедева"),
    ("Семёнов", "Семёнова"),
    ("Егоров", "Егорова"),
    ("Павлов", "Павлова"),
    ("Козлов", "Козлова"),
    ("Степанов", "Степанова"),
]
HEALTH_NOTES = [
    "астма, ингалятор в рюкзаке",
    "диабет 1 типа, нужен инсулин",
    "аллергия на пенициллин",
    "эпилепсия",
    "после операции, нельзя долго стоять",
]
RELATIONS = ["мама", "папа", "сестра", "брат", "подруга", "друг", "жена", "муж"]


@dataclass(frozen=True)
class StationPoint:
    id: int
    lat: float
    lon: float
    weight: float


@dataclass(frozen=True)
class Relative:
    at_min: float
    channel: str  # web, telegram or call
    knows_birth_date: bool
    relation: str
    phone: str


@dataclass(frozen=True)
class Person:
    index: int
    region: str
    at_min: float  # minutes after midnight MSK when they are at the station
    way: str  # a key of WAYS
    station_id: int
    lat: float | None  # where the phone is, when it gives a location
    lon: float | None
    accuracy_m: float | None
    full_name: str
    born: date
    phone: str
    note: str
    contact: str  # a trusted contact's e-mail (example.org), or ""
    pin: str
    duress_pin: str
    relatives: tuple[Relative, ...]


@dataclass(frozen=True)
class Step:
    at_s: float  # seconds after the start of the run
    clock: str  # the day's time, HH:MM Moscow time
    kind: str  # sos, arm_timer, duress, relative
    person: int
    relative: int = -1  # which of the person's relatives, for kind "relative"


@dataclass(frozen=True)
class Plan:
    seed: int
    minutes: float
    people: tuple[Person, ...]
    steps: tuple[Step, ...]

    def count(self, kind: str) -> int:
        return sum(1 for s in self.steps if s.kind == kind)


def minutes(hhmm: str) -> float:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


DAY_START, DAY_END = min(minutes(t) for t in STARTS.values()), minutes(LATE_EVENING)


def clock(at_min: float) -> str:
    whole = int(at_min)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def curves(path: Path = TIMELINE) -> dict[str, list[tuple[float, float]]]:
    """Each region's running total as (minute, count) points, from zero at its start."""
    with path.open(encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle) if r["total_detained"] and r["time_msk"] != "final"
        ]
    points = [(minutes(r["time_msk"][11:16] or LATE_EVENING), r) for r in rows]
    spb_start = minutes(STARTS["spb"])
    spb_known = [(spb_start, 0.0)] + [
        (t, float(r["st_petersburg"])) for t, r in points if r["st_petersburg"]
    ]
    out = {region: [(minutes(STARTS[region]), 0.0)] for region in REGIONS}
    for t, row in points:
        spb = float(row["st_petersburg"]) if row["st_petersburg"] else _at(spb_known, t)
        moscow = float(row["moscow"])
        out["moscow"].append((t, moscow))
        out["spb"].append((t, spb))
        out["other"].append((t, float(row["total_detained"]) - moscow - spb))
    return out


def _at(points: list[tuple[float, float]], t: float) -> float:
    times = [p[0] for p in points]
    i = bisect.bisect_right(times, t)
    if i == len(points):
        return points[-1][1]
    (t0, v0), (t1, v1) = points[i - 1], points[i]
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def _time_of(curve: list[tuple[float, float]], u: float) -> float:
    """Invert a running total: the minute by which a share u of its people had arrived."""
    target = u * curve[-1][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(curve):
        if v1 >= target and v1 > v0:
            return t0 + (t1 - t0) * max(0.0, target - v0) / (v1 - v0)
    return curve[-1][0]


def _shares(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` (largest remainder), summing exactly."""
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - out[k], reverse=True)[
        : total - sum(out.values())
    ]:
        out[k] += 1
    return out


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _near(rng: random.Random, station: StationPoint) -> tuple[float, float]:
    r = STATION_SPREAD_M * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(angle) / 111_200
    dlon = r * math.sin(angle) / (111_200 * math.cos(math.radians(station.lat)))
    return station.lat + dlat, station.lon + dlon


def _phone(rng: random.Random) -> str:
    return f"+7 000 {rng.randrange(100, 1000)}-{rng.randrange(10, 100)}-{rng.randrange(10, 100)}"


def _person(
    rng: random.Random,
    index: int,
    region: str,
    at_min: float,
    stations: list[StationPoint],
    today: date,
) -> Person:
    station = rng.choices(stations, weights=[max(s.weight, 1) for s in stations])[0]
    way = _pick(rng, WAYS)
    sex = rng.choice("fm")
    last = rng.choice(LAST)[0 if sex == "m" else 1]
    full_name = f"{rng.choice(FIRST[sex])} {last}"
    age = rng.randint(14, 17) if rng.random() < MINOR_SHARE else rng.randint(18, 64)
    born = today - timedelta(days=365 * age + rng.randrange(1, 360))
    located = way != "relative_only" and rng.random() >= NO_LOCATION_SHARE
    lat, lon = _near(rng, station) if located else (None, None)
    relatives = []
    if way == "relative_only" or rng.random() < RELATIVE_SHARE:
        count = 2 if rng.random() < SECOND_RELATIVE_SHARE else 1
        for _ in range(count):
            delay = rng.uniform(*RELATIVE_DELAY_MIN)
            relatives.append(
                Relative(
                    at_min=min(at_min + delay, DAY_END),
                    channel=_pick(rng, RELATIVE_CHANNELS),
                    knows_birth_date=rng.random() < RELATIVE_KNOWS_BIRTH_DATE,
                    relation=rng.choice(RELATIONS),
                    phone=_phone(rng),
                )
            )
    pin = f"{rng.randrange(10_000):04d}"
    duress = f"{(int(pin) + rng.randrange(1, 9_999)) % 10_000:04d}"  # never the PIN itself
    return Person(
        index=index,
        region=region,
        at_min=at_min,
        way=way,
        station_id=station.id,
        lat=lat,
        lon=lon,
        accuracy_m=float(rng.randrange(10, 80)) if located else None,
        full_name=full_name,
        born=born,
        phone=_phone(rng),
        note=rng.choice(HEALTH_NOTES) if rng.random() < HEALTH_NOTE_SHARE else "",
        contact=f"contact{index}@example.org" if rng.random() < CONTACT_SHARE else "",
        pin=pin,
        duress_pin=duress,
        relatives=tuple(relatives),
    )


def make(
    seed: int, people: int, run_minutes: float, stations: dict[str, list[StationPoint]], today: date
) -> Plan:
    """Draw `people` detainees over the day and the steps that report them, in run order.

    `stations` are the demo's stations by region (moscow, spb, other); a region without any
    sends its people to the others' stations.
    """
    present = {r: s for r, s in stations.items() if s}
    if not present:
        raise ValueError("no police stations to take people to")
    day = curves()
    per_region = _shares(people, {r: day[r][-1][1] for r in REGIONS})
    rng = random.Random(f"protest-day-{seed}")
    arrivals = [
        (_time_of(day[region], rng.random()), region)
        for region in REGIONS
        for _ in range(per_region[region])
    ]
    arrivals.sort()
    everyone = []
    for index, (at_min, region) in enumerate(arrivals):
        places = present.get(region) or [s for group in present.values() for s in group]
        everyone.append(_person(rng, index, region, at_min, places, today))
    scale = run_minutes * 60 / (DAY_END - DAY_START)

    def step(at_min: float, kind: str, person: int, relative: int = -1) -> Step:
        at_min = min(max(at_min, DAY_START), DAY_END)
        return Step((at_min - DAY_START) * scale, clock(at_min), kind, person, relative)

    steps = []
    for p in everyone:
        if p.way == "timer":
            steps.append(step(p.at_min - TIMER_LEAD_MIN, "arm_timer", p.index))
        elif p.way == "duress":
            steps.append(step(p.at_min, "duress", p.index))
        elif p.way != "relative_only":
            steps.append(step(p.at_min, "sos", p.index))
        steps += [step(r.at_min, "relative", p.index, n) for n, r in enumerate(p.relatives)]
    steps.sort(key=lambda s: (s.at_s, s.person, s.relative))
    return Plan(seed, run_minutes, tuple(everyone), tuple(steps))


def day_minute(plan: Plan, elapsed_s: float) -> float:
    """The minute of the day a moment of the run stands for."""
    span = plan.minutes * 60
    return (
        DAY_START + (DAY_END - DAY_START) * min(max(elapsed_s / span, 0.0), 1.0)
        if span
        else DAY_END
    )
