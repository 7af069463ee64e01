"""A crafted pair of days for the staff figures' tests (habeas.stats.own), with every count
worked out by hand in the tests that use it. Times are Moscow's."""

import secrets
from datetime import timedelta

from habeas.cases.models import Case, CaseEvent, EventKind, Report

from .crafting import DAY, cases, event, refused, station

NEXT_DAY = DAY + timedelta(days=1)
LAWYER_1, LAWYER_2 = 101, 102  # ids on the timeline; the figures never name them


def report(case: Case, channel: str, role: str) -> Report:
    return Report.objects.create(
        case=case,
        channel=channel,
        reporter_role=role,
        status_token_hash=secrets.token_hex(16),
        idempotency_key=secrets.token_hex(16),
        fingerprint="",
    )


def one(at, kind="detention", **fields) -> Case:
    [case] = cases(1, at=at, kind=kind, **fields)
    return case


def craft() -> dict:
    """Day 1: four detentions (one a false alarm), a summons, and a merged duplicate; day 2:
    one detention and a search with no report. Two lawyers; refusals at one station."""
    door = station("ОВД Тверской")
    c1 = one(DAY, outcome="fine")
    report(c1, "app", "self")
    event(c1, EventKind.OFFERED, 1)
    event(c1, EventKind.ACCEPTED, 3, data={"lawyer": LAWYER_1})
    event(c1, EventKind.LAWYER_EN_ROUTE, 5)
    refused(c1, door, "fortress", 20)  # at the station at 30, let in at 50

    c2 = one(DAY + timedelta(minutes=1), outcome="arrest")
    report(c2, "sms", "relative")
    event(c2, EventKind.OFFERED, 2)
    event(c2, EventKind.ACCEPTED, 10, data={"lawyer": LAWYER_1})
    event(c2, EventKind.LAWYER_EN_ROUTE, 12)
    refused(c2, door, "not_here", 40)  # at the station at 30, let in at 70

    c3 = one(DAY + timedelta(minutes=2))
    report(c3, "telegram", "self")
    event(c3, EventKind.OFFERED, 4)
    event(c3, EventKind.ESCALATED, 14)

    c4 = one(DAY + timedelta(minutes=3), kind="summons")
    report(c4, "operator", "witness")
    event(c4, EventKind.OFFERED, 5)
    event(c4, EventKind.ACCEPTED, 20, data={"lawyer": LAWYER_2})

    c5 = one(DAY + timedelta(minutes=4), close_reason="false_alarm", outcome="false_alarm")
    report(c5, "app", "self")

    merged = one(DAY + timedelta(minutes=5), close_reason="merged")
    report(merged, "app", "relative")
    event(merged, EventKind.ACCEPTED, 1, data={"lawyer": LAWYER_2})

    # A case with no report left: its channel and reporter are not known.
    d2 = one(NEXT_DAY + timedelta(minutes=1), kind="search")

    d1 = one(NEXT_DAY, outcome="released")
    report(d1, "app", "relative")
    event(d1, EventKind.OFFERED, 1)
    event(d1, EventKind.ACCEPTED, 6, data={"lawyer": LAWYER_1})
    event(d1, EventKind.LAWYER_ARRIVED, 60, station=door)
    assert CaseEvent.objects.filter(case=c1).count() == 6
    return {"station": door, "cases": [c1, c2, c3, c4, c5, merged, d1, d2]}
