"""Turn a finished run into the numbers of the table, and the table into text."""

import math

from bench.simulator.engine import Sim

LIMIT_MIN = 180  # KoAP 27.5: 3 hours of administrative detention, counted from delivery


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; a detainee never reached counts as infinitely late."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(sim: Sim) -> dict:
    """Return the arm's measures; times are minutes from the SOS, None where never reached."""
    inf = math.inf
    en_route = [(c.en_route - c.d.t) if c.en_route is not None else inf for c in sim.cases]
    at_station = [(c.at_station - c.d.t) if c.at_station is not None else inf for c in sim.cases]
    reached = [(c.reached - c.d.t) if c.reached is not None else inf for c in sim.cases]
    n = len(sim.cases)

    def minutes(v: float) -> float | None:
        return None if v == inf else round(v, 1)

    return {
        "detainees": n,
        "lawyers": len(sim.lawyers),
        "en_route_median_min": minutes(percentile(en_route, 0.5)) if n else None,
        "en_route_p90_min": minutes(percentile(en_route, 0.9)) if n else None,
        "at_station_median_min": minutes(percentile(at_station, 0.5)) if n else None,
        "at_station_p90_min": minutes(percentile(at_station, 0.9)) if n else None,
        "at_station_within_3h": share(at_station, n),
        "reached_within_3h": share(reached, n),
        "reached_ever": share(reached, n, limit=inf),
        "utilisation": round(utilisation(sim), 3),
        "max_load": max((lw.max_load for lw in sim.lawyers), default=0),
        "counts": dict(sorted(sim.counts.items())),
    }


def share(values: list[float], n: int, limit: float = LIMIT_MIN) -> float:
    return round(sum(v <= limit and v != math.inf for v in values) / n, 3) if n else 0.0


def utilisation(sim: Sim) -> float:
    """Share of lawyer-time with a case in hand (travel, door, detainee).

    Each lawyer's shift is their city's protest window: from its first SOS to 3 h after its last.
    """
    window: dict[int, tuple[float, float]] = {}
    for case in sim.cases:
        start, end = window.get(case.d.city, (case.d.t, case.d.t))
        window[case.d.city] = (min(start, case.d.t), max(end, case.d.t))
    busy = total = 0.0
    for lawyer in sim.lawyers:
        if lawyer.city not in window:
            continue
        start, end = window[lawyer.city]
        end += LIMIT_MIN
        total += end - start
        for a, b in lawyer.busy:
            busy += max(0.0, min(b, end) - max(a, start))
    return busy / total if total else 0.0


def fmt_min(value: float | None) -> str:
    if value is None:
        return "never"
    return f"{int(value // 60)}:{int(value % 60):02d}"


def table(rows: list[dict]) -> str:
    """Render rows of {pool, arm, summary} as a Markdown table (times as h:mm)."""
    head = (
        "| lawyers | arm | en route median | en route p90 | at station median | at station p90 "
        "| reached ≤ 3 h | utilisation |"
    )
    lines = [head, "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        s = row["summary"]
        lines.append(
            f"| {row['pool']} | {row['arm']} | {fmt_min(s['en_route_median_min'])} "
            f"| {fmt_min(s['en_route_p90_min'])} | {fmt_min(s['at_station_median_min'])} "
            f"| {fmt_min(s['at_station_p90_min'])} | {s['reached_within_3h']:.1%} "
            f"| {s['utilisation']:.0%} |"
        )
    return "\n".join(lines)


def escalation_table(rows: list[dict]) -> str:
    """Escalations and what each dispatcher received, for the arms that escalate."""
    lines = [
        "| lawyers | arm | escalated | messages to each dispatcher |",
        "|---:|---|---:|---:|",
    ]
    for row in rows:
        counts = row["summary"]["counts"]
        if "dispatcher_messages" in counts:
            lines.append(
                f"| {row['pool']} | {row['arm']} | {counts.get('escalated', 0)} "
                f"| {counts['dispatcher_messages']} |"
            )
    return "\n".join(lines)
