"""manage.py demo_protest_day: a compressed 31 January 2021, through the real entrances."""

import ast
import io
import logging
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from habeas.accounts.models import AuditEntry
from habeas.cases.models import Case, CaseEvent, Channel, Origin, Report
from habeas.ops.management.commands.demo_protest_day import regions
from habeas.ops.protestday import plan as day
from habeas.tests.test_import_contract import writer_calls

OPS = Path(__file__).resolve().parents[1]
STATION_STEPS = {"lawyer_en_route", "lawyer_arrived", "admitted", "refused_entry", "released"}


def fake_stations() -> dict[str, list[day.StationPoint]]:
    return {
        "moscow": [day.StationPoint(1, 55.76, 37.61, 232), day.StationPoint(2, 55.77, 37.66, 166)],
        "spb": [day.StationPoint(3, 59.93, 30.37, 84)],
        "other": [day.StationPoint(4, 56.33, 43.99, 22)],
    }


def test_it_refuses_to_run_outside_debug(db):
    with pytest.raises(CommandError, match="HABEAS_DEBUG"):
        call_command("demo_protest_day", minutes=0.01, people=5)
    assert Case.objects.count() == 0


def test_the_same_seed_draws_the_same_day_and_another_seed_another():
    today = date(2026, 12, 2)
    one = day.make(1, 300, 10, fake_stations(), today)
    assert one == day.make(1, 300, 10, fake_stations(), today)
    assert one.people != day.make(2, 300, 10, fake_stations(), today).people


def test_the_day_follows_the_arrival_curve_and_mixes_the_ways_in():
    plan = day.make(1, 600, 10, fake_stations(), date(2026, 12, 2))
    assert len(plan.people) == 600
    assert [s.at_s for s in plan.steps] == sorted(s.at_s for s in plan.steps)
    assert plan.steps[0].at_s >= 0 and plan.steps[-1].at_s <= 600
    # Moscow and the other cities carry most of the day (1,852 and 2,603 of 5,754).
    regions_ = [p.region for p in plan.people]
    assert regions_.count("other") > regions_.count("moscow") > regions_.count("spb") > 0
    # Half had been detained by mid-afternoon, as OVD-Info's totals say (3,062 by 16:10).
    middle = sorted(p.at_min for p in plan.people)[300]
    assert day.minutes("14:00") < middle < day.minutes("17:30")
    ways = {p.way for p in plan.people}
    assert ways == set(day.WAYS)
    assert plan.count("relative") > 100
    assert any(not r.knows_birth_date for p in plan.people for r in p.relatives)
    assert all(p.pin != p.duress_pin for p in plan.people)
    # Made-up phones only: a trainee's tap on a tel: link must ring nobody.
    assert all(p.phone.startswith("+7 000 ") for p in plan.people)


def test_the_demo_never_writes_with_the_orm():
    paths = [
        *sorted((OPS / "protestday").glob("*.py")),
        OPS / "management/commands/demo_protest_day.py",
    ]
    for path in paths:
        assert writer_calls(ast.parse(path.read_text())) == [], path.name


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path  # the demo channel's messages, off the developer's var/
    call_command("demo_data", stdout=io.StringIO())


def test_a_fast_run_fills_the_queue_as_the_day_would(demo, run_tasks, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    # The worker `make run` starts, played between the command's rounds: the real db_worker
    # loop over every task due.
    from habeas.ops.management.commands import demo_protest_day

    def wait(self, seconds):
        run_tasks()
        time.sleep(seconds)

    monkeypatch.setattr(demo_protest_day.Command, "wait", wait)
    start = timezone.now()
    out = io.StringIO()
    call_command(
        "demo_protest_day", minutes=0.05, people=30, seed=1, tick=0.05, verbosity=2, stdout=out
    )
    plan = day.make(1, 30, 0.05, regions(), timezone.localdate())
    assert plan.count("duress") and plan.count("arm_timer")  # the seed's day has both
    expected = sum(plan.count(k) for k in ("sos", "relative", "arm_timer", "duress"))
    # The last timers run out a moment after the replay: the worker fires them.
    for _ in range(40):
        run_tasks()
        if Report.objects.filter(created_at__gte=start).count() >= expected:
            break
        time.sleep(0.1)

    reports = Report.objects.filter(created_at__gte=start)
    cases = Case.objects.filter(created_at__gte=start)
    assert reports.count() == expected
    assert cases.count() < reports.count()  # reports of one person joined one case
    assert CaseEvent.objects.filter(kind="merged").exists()
    origins = set(cases.values_list("origin", flat=True))
    assert {Origin.DURESS, Origin.TIMER, Origin.SOS} <= origins
    assert {Channel.APP, Channel.TELEGRAM, Channel.OPERATOR} <= set(
        reports.values_list("channel", flat=True)
    )

    # The demo lawyers answered offers and reported from the stations.
    steps = set(CaseEvent.objects.filter(author__isnull=False).values_list("kind", flat=True))
    assert {"accepted", "lawyer_en_route", "lawyer_arrived"} <= steps
    assert steps & {"admitted", "refused_entry"}

    # Every staff write is audited, as its verb's entrance does: each authored event, and
    # each call the hotline entered.
    for event in CaseEvent.objects.filter(author__isnull=False).select_related("case"):
        assert AuditEntry.objects.filter(
            actor=event.author, action="change", case_ref=event.case.public_id
        ).exists(), event.kind
    for report in reports.filter(channel=Channel.OPERATOR).select_related("case"):
        assert AuditEntry.objects.filter(action="change", case_ref=report.case.public_id).exists()

    # The trainer can follow it; nobody's details reach the output or the logs.
    printed = out.getvalue()
    assert "MSK" in printed and printed.rstrip().splitlines()[-2].startswith("Done:")
    assert "en_route on case" in printed
    seen = printed + capsys.readouterr().err + caplog.text
    for person in plan.people:
        for secret in (person.full_name, person.phone, person.born.isoformat(), person.note):
            assert not secret or secret not in seen
        assert person.born.strftime("%d.%m.%Y") not in seen
        for relative in person.relatives:
            assert relative.phone not in seen
