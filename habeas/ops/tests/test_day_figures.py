"""manage.py day_figures: a real day in the simulator report's format."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from habeas.stats.tests.own_day import craft

pytestmark = pytest.mark.django_db
HEAD = (
    "| lawyers | arm | en route median | en route p90 | at station median | at station p90 "
    "| reached ≤ 3 h | utilisation |"
)


def run(*args) -> str:
    out = io.StringIO()
    call_command("day_figures", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_day_under_the_simulators_headings():
    craft()
    text = run("--date", "2021-01-31")
    assert "2021-01-31 (Europe/Moscow): 3 detainees" in text
    assert HEAD in text
    assert "| 1 | real | 0:12 | never | 0:30 | never | 66.7% | — |" in text
    assert "| lawyers | arm | escalated | messages to each dispatcher |" in text
    assert "| 1 | real | 1 | — |" in text


def test_the_headings_are_the_simulators_own():
    from bench.simulator import report

    assert report.table([]).splitlines()[0] == HEAD


def test_other_kinds_and_json():
    craft()
    body = json.loads(run("--date", "2021-01-31", "--kinds", "detention,summons", "--json"))
    assert body["detainees"] == 4 and body["lawyers"] == 2


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--date", "31.01.2021"], "--date"),
        (["--date", "2021-01-31", "--kinds", "riot"], "--kinds"),
    ],
)
def test_bad_arguments_name_the_option(args, field):
    with pytest.raises(CommandError, match=field):
        run(*args)
