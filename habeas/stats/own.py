"""The organisation's own figures, for its staff: requests, reach, times, lawyers' load,
refusals and outcomes, per day or per week.

Read from the clear envelope and the timeline only (kinds, times, channels, who reported,
stations, refusal reasons, outcomes): nothing sealed; and the anonymous install count.
Internal, so nothing is suppressed, but no name and no case id leaves this module; a lawyer
is only counted, never named.
A case belongs to the period in which it was opened (local time), and so do its events.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min

from habeas.cases.models import (
    Case,
    CaseEvent,
    CaseOutcome,
    Channel,
    EventKind,
    Kind,
    RefusalReason,
    Report,
    ReporterRole,
)
from habeas.stations.models import PoliceStation

from . import compute
from .models import InstallDay

DAY, WEEK = "day", "week"
# Steps on the way to a lawyer, timed from the case's opening to the first of each.
STEPS = {
    "to_offer": EventKind.OFFERED,
    "to_acceptance": EventKind.ACCEPTED,
    "to_station": EventKind.LAWYER_ARRIVED,
}
TIMELINE = (*STEPS.values(), EventKind.LAWYER_EN_ROUTE, EventKind.ADMITTED, EventKind.REFUSED_ENTRY)
OUTCOMES = [*CaseOutcome.values, "none"]
UNKNOWN = "unknown"


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants from the start of `first` to the end of `last`, in local time."""
    zone = local_zone()
    start = datetime.combine(first, time(), tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)


def period_of(day: date, by: str) -> date:
    """The period a day falls in, named by its first day (a week starts on Monday)."""
    return day - timedelta(days=day.weekday()) if by == WEEK else day


def periods(first: date, last: date, by: str) -> list[date]:
    step = timedelta(days=7 if by == WEEK else 1)
    found, at = [], period_of(first, by)
    while at <= last:
        found.append(at)
        at += step
    return found


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, as the simulator's report computes it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Opened:
    """What is read of one case: its period and the first time of each step."""

    period: date
    kind: str
    outcome: str
    close_reason: str
    opened: datetime
    first: dict = field(default_factory=dict)  # event kind -> first time
    refusals: Counter = field(default_factory=Counter)  # reason -> refusals
    lawyers: set = field(default_factory=set)  # ids of the lawyers who took it, never shown


def read_cases(first: date, last: date, by: str) -> dict[int, Opened]:
    """The cases opened from `first` to `last` (local days), less those merged into another
    (the same person twice), with the first time of each step on their timeline."""
    start, end = bounds(first, last)
    zone = local_zone()
    opened = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(close_reason="merged")
        .order_by()
    )
    found = {
        pk: Opened(period_of(at.astimezone(zone).date(), by), kind, outcome, reason, at)
        for pk, kind, outcome, reason, at in opened.values_list(
            "pk", "kind", "outcome", "close_reason", "created_at"
        )
    }
    # The first of each step, grouped in the database: a case offered to ten lawyers is one
    # row, not ten.
    firsts = (
        CaseEvent.objects.filter(case__in=opened, kind__in=TIMELINE)
        .order_by()
        .values("case_id", "kind")
        .annotate(at=Min("created_at"))
        .values_list("case_id", "kind", "at")
    )
    for case_id, kind, at in firsts:
        found[case_id].first[kind] = at
    facts = CaseEvent.objects.filter(
        case__in=opened, kind__in=(EventKind.REFUSED_ENTRY, EventKind.ACCEPTED)
    ).values_list("case_id", "kind", "data")
    for case_id, kind, data in facts:
        case = found[case_id]
        data = data if isinstance(data, dict) else {}
        if kind == EventKind.REFUSED_ENTRY:
            reason = data.get("reason", "")
            case.refusals[reason if reason in RefusalReason.values else RefusalReason.OTHER] += 1
        elif data.get("lawyer"):
            case.lawyers.add(data["lawyer"])
    return found


def first_reports(first: date, last: date) -> dict[int, tuple[str, str]]:
    """Each case's first report: its channel and who sent it (the person, a relative…)."""
    start, end = bounds(first, last)
    rows = (
        Report.objects.filter(case__created_at__gte=start, case__created_at__lt=end)
        .order_by("case_id", "created_at", "pk")
        .values_list("case_id", "channel", "reporter_role")
    )
    found: dict[int, tuple[str, str]] = {}
    for case_id, channel, role in rows:
        found.setdefault(case_id, (channel, role))
    return found


@dataclass
class Row:
    key: str
    values: list  # one per period, numbers or None (no value)
    total: object


@dataclass
class Section:
    key: str
    rows: list[Row]


@dataclass
class Figures:
    first: date
    last: date
    by: str
    periods: list[date]
    sections: list[Section]


def _counts(key: str, codes: list[str], pairs, periods_: list[date]) -> Section:
    """A section of counts: `pairs` are (period, code) per thing counted."""
    counted = Counter(pairs)
    rows = []
    for code in codes:
        values = [counted[(p, code)] for p in periods_]
        rows.append(Row(code, values, sum(values)))
    return Section(key, rows)


def _times(cases: list[Opened], periods_: list[date]) -> Section:
    """Median and p90 minutes from the opening to each step, over the cases that got there."""
    rows = []
    for name, kind in STEPS.items():
        by_period = defaultdict(list)
        for case in cases:
            if kind in case.first:
                minutes = (case.first[kind] - case.opened).total_seconds() / 60
                by_period[case.period].append(minutes)
        every = [m for p in periods_ for m in by_period[p]]
        for stat, q in (("median", 0.5), ("p90", 0.9)):

            def pick(values, q=q):
                return round(percentile(values, q)) if values else None

            rows.append(Row(f"{name}_{stat}", [pick(by_period[p]) for p in periods_], pick(every)))
        rows.append(Row(f"{name}_cases", [len(by_period[p]) for p in periods_], len(every)))
    return Section("times", rows)


def _load(cases: list[Opened], periods_: list[date]) -> Section:
    """How many lawyers took cases, and how many cases each (median, most)."""
    per = defaultdict(Counter)  # period -> lawyer -> cases
    whole = Counter()
    for case in cases:
        for lawyer in case.lawyers:
            per[case.period][lawyer] += 1
            whole[lawyer] += 1

    def stats(load: Counter) -> tuple:
        counts = list(load.values())
        if not counts:
            return 0, None, None
        return len(counts), round(median(counts), 1), max(counts)

    table = [stats(per[p]) for p in periods_]
    overall = stats(whole)
    names = ("lawyers", "cases_per_lawyer_median", "cases_per_lawyer_max")
    return Section("load", [Row(n, [t[i] for t in table], overall[i]) for i, n in enumerate(names)])


def figures(first: date, last: date, by: str) -> Figures:
    """The staff figures from `first` to `last` (local days, both included)."""
    periods_ = periods(first, last, by)
    read = read_cases(first, last, by)
    reports = first_reports(first, last)
    cases = list(read.values())
    # A withdrawn SOS (a false alarm) needed no lawyer: it is neither reached nor not.
    needed = [c for c in cases if c.close_reason != "false_alarm"]
    sections = [
        _counts("kinds", list(Kind.values), [(c.period, c.kind) for c in cases], periods_),
        # A case with no report (an operator's case whose report was moved away, the demo's
        # sample day) is "unknown", so that each section sums to the requests.
        _counts(
            "channels",
            [*Channel.values, UNKNOWN],
            [(c.period, reports.get(pk, (UNKNOWN, UNKNOWN))[0]) for pk, c in read.items()],
            periods_,
        ),
        _counts(
            "reporters",
            [*ReporterRole.values, UNKNOWN],
            [(c.period, reports.get(pk, (UNKNOWN, UNKNOWN))[1]) for pk, c in read.items()],
            periods_,
        ),
        _counts(
            "reach",
            ["reached", "not_reached"],
            [
                (c.period, "reached" if EventKind.ACCEPTED in c.first else "not_reached")
                for c in needed
            ],
            periods_,
        ),
        _times(cases, periods_),
        _load(cases, periods_),
        _counts(
            "refusals",
            list(RefusalReason.values),
            [(c.period, r) for c in cases for r, n in c.refusals.items() for _ in range(n)],
            periods_,
        ),
        _counts(
            "outcomes",
            OUTCOMES,
            [(c.period, c.outcome if c.outcome in CaseOutcome.values else "none") for c in cases],
            periods_,
        ),
        _installs(first, last, by, periods_),
    ]
    return Figures(first, last, by, periods_, sections)


def _installs(first: date, last: date, by: str, periods_: list[date]) -> Section:
    """The app's first installs (the service worker's one report each), per period."""
    counted = Counter()
    for day, n in InstallDay.objects.filter(day__range=(first, last)).values_list("day", "count"):
        counted[period_of(day, by)] += n
    values = [counted[p] for p in periods_]
    return Section("installs", [Row("installs", values, sum(values))])


@dataclass
class StationRecord:
    station_id: str
    name: str
    city: str
    refusals: dict  # reason -> cases refused there for it
    waits: list  # minutes from the demand to enter until let in, one per visit


def obstruction(first: date, last: date) -> list[StationRecord]:
    """Per police station: refusals by reason and how long lawyers waited at the door, over
    the cases of every kind opened from `first` to `last` (not merged, not false alarms)."""
    start, end = bounds(first, last)
    cases = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(close_reason__in=compute.NOT_COUNTED_REASONS)
        .exclude(outcome=CaseOutcome.FALSE_ALARM)
    )
    raw = compute.Raw()
    compute.obstruction(raw, cases)
    keys = sorted({s for s, _r in raw.refusals} | set(raw.waits), key=lambda s: (s == "", s))
    names = {
        str(pk): (name, city)
        for pk, name, city in PoliceStation.objects.filter(
            pk__in=[int(s) for s in keys if s]
        ).values_list("pk", "name", "city")
    }
    return [
        StationRecord(
            key,
            *names.get(key, ("", "")),
            {r: raw.refusals[(key, r)] for r in compute.REASONS},
            sorted(raw.waits.get(key, [])),
        )
        for key in keys
    ]


# The simulator's 3 hours (bench/simulator/report.py LIMIT_MIN): KoAP 27.5's administrative
# detention, counted from the SOS.
LIMIT_MIN = 180


def day_summary(day: date, kinds: tuple[str, ...] = (Kind.DETENTION,)) -> dict:
    """One local day in the simulator report's measures (docs/simulator.md): one case is one
    detainee; times are minutes from the SOS over **all** of them, one never reached counting
    as infinitely late (None: fewer than the share were ever reached); "reached" is a lawyer
    let in. Merged cases (the same person) and false alarms (nobody held) are left out."""
    read = {
        pk: c
        for pk, c in read_cases(day, day, DAY).items()
        if c.kind in kinds
        and c.close_reason != "false_alarm"
        and c.outcome != CaseOutcome.FALSE_ALARM
    }
    cases = list(read.values())
    start, end = bounds(day, day)
    escalated = (
        CaseEvent.objects.filter(kind=EventKind.ESCALATED, case_id__in=list(read))
        .values("case_id")
        .distinct()
        .count()
    )

    def after(case: Opened, kind: str) -> float:
        at = case.first.get(kind)
        return (at - case.opened).total_seconds() / 60 if at else math.inf

    def stat(kind: str, q: float) -> float | None:
        if not cases:
            return None
        value = percentile([after(c, kind) for c in cases], q)
        return None if value == math.inf else round(value, 1)

    reached = [after(c, EventKind.ADMITTED) for c in cases]
    n = len(cases)
    return {
        "day": day.isoformat(),
        "detainees": n,
        # The simulator's pool is every lawyer on duty; the timeline knows only those who
        # took a case, so this is a floor of the real pool.
        "lawyers": len({lawyer for c in cases for lawyer in c.lawyers}),
        "en_route_median_min": stat(EventKind.LAWYER_EN_ROUTE, 0.5),
        "en_route_p90_min": stat(EventKind.LAWYER_EN_ROUTE, 0.9),
        "at_station_median_min": stat(EventKind.LAWYER_ARRIVED, 0.5),
        "at_station_p90_min": stat(EventKind.LAWYER_ARRIVED, 0.9),
        "reached_within_3h": round(sum(v <= LIMIT_MIN for v in reached) / n, 3) if n else 0.0,
        "reached_ever": round(sum(v != math.inf for v in reached) / n, 3) if n else 0.0,
        # Lawyers' busy time is not on the timeline (travel and time with a detainee are not
        # recorded as such), so utilisation cannot be measured from real data.
        "utilisation": None,
        "escalated": escalated,
        "window": (start.isoformat(), end.isoformat()),
    }


def fmt_min(value: float | None) -> str:
    """h:mm, or "never" (the simulator's report.fmt_min)."""
    if value is None:
        return "never"
    return f"{int(value // 60)}:{int(value % 60):02d}"


def day_table(s: dict, arm: str = "real") -> str:
    """The simulator report's two tables, with this day as one row of each."""
    utilisation = "—" if s["utilisation"] is None else f"{s['utilisation']:.0%}"
    return "\n".join(
        [
            "| lawyers | arm | en route median | en route p90 | at station median | at station p90 "
            "| reached ≤ 3 h | utilisation |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
            f"| {s['lawyers']} | {arm} | {fmt_min(s['en_route_median_min'])} "
            f"| {fmt_min(s['en_route_p90_min'])} | {fmt_min(s['at_station_median_min'])} "
            f"| {fmt_min(s['at_station_p90_min'])} | {s['reached_within_3h']:.1%} "
            f"| {utilisation} |",
            "",
            "| lawyers | arm | escalated | messages to each dispatcher |",
            "|---:|---|---:|---:|",
            f"| {s['lawyers']} | {arm} | {s['escalated']} | — |",
        ]
    )
