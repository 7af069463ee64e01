"""What the public statistics count and what they hide, from crafted cases."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache

from habeas.cases.models import CaseOutcome, EventKind, Kind
from habeas.stats import publish

from .crafting import DAY, cases, event, refused, station

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def figures() -> dict:
    return publish.published()


def by_key(rows: list[dict]) -> dict:
    return {r["key"]: r for r in rows}


def test_small_counts_are_hidden_and_large_ones_shown():
    big, small = station("ОВД Большой"), station("ОВД Малый")
    cases(12, held=big)
    cases(9, held=small, at=DAY + timedelta(days=1))
    cases(3, held=small, at=DAY + timedelta(days=2))
    got = figures()
    days = by_key(got["days"])
    assert days["2021-01-31"]["count"] == 12
    assert days["2021-02-02"] == {"key": "2021-02-02", "count": None, "suppressed": True}
    # 24 - 12 - 9 would give back the 3: the smaller shown day goes too.
    assert days["2021-02-01"]["suppressed"]
    assert got["total"]["count"] == 24
    stations = by_key(got["stations"])
    assert stations[str(big.pk)]["count"] == 12 and stations[str(small.pk)]["count"] == 12


def test_a_station_cannot_be_read_from_its_city_minus_the_other_stations():
    # Stations A=3 and B=3 hide each other (6 >= 5) under the stations' total, but city X
    # holds only A and C: X - C would give back A. So C (and likewise D) must be hidden.
    a, c = station("ОВД А", "x-город"), station("ОВД В", "x-город")
    b, d = station("ОВД Б", "y-город"), station("ОВД Г", "y-город")
    cases(3, held=a)
    cases(20, held=c)
    cases(3, held=b)
    cases(10, held=d)
    got = figures()
    stations = by_key(got["stations"])
    cities = by_key(got["cities"])
    assert cities["x-город"]["count"] == 23 and cities["y-город"]["count"] == 13
    for held in (a, b, c, d):
        assert stations[str(held.pk)]["suppressed"], held.name
    # Whatever is published: no city minus its shown stations leaves one hidden station.
    for city, members in {"x-город": (a, c), "y-город": (b, d)}.items():
        hidden = [s for s in members if stations[str(s.pk)]["suppressed"]]
        assert len(hidden) != 1 or cities[city]["suppressed"]


def test_a_small_total_is_hidden_in_every_table_that_shares_it():
    cases(3, held=station("ОВД Один"), city="москва")
    got = figures()
    assert got["total"] == {"count": None, "suppressed": True}
    for table in ("days", "cities", "stations", "kinds_table", "outcomes"):
        for row in got[table]:
            assert row["suppressed"] or row["count"] == 0, (table, row)


def test_kinds_not_made_public_are_not_counted(settings):
    settings.HABEAS_STATS_KINDS = ["detention"]
    cases(6, kind=Kind.DETENTION)
    cases(7, kind=Kind.SUMMONS)
    cases(8, kind=Kind.SEARCH)
    got = figures()
    assert got["total"]["count"] == 6
    assert [r["key"] for r in got["kinds_table"]] == ["detention"]
    assert "summons" not in json.dumps(got) and "search" not in json.dumps(got)


def test_merged_cases_and_false_alarms_are_not_detentions():
    cases(6)
    cases(2, close_reason="merged")
    cases(2, close_reason="false_alarm", outcome=CaseOutcome.FALSE_ALARM)
    assert figures()["total"]["count"] == 6


def test_outcomes_are_counted_with_the_rest_as_none():
    cases(6, outcome=CaseOutcome.FINE, status="closed")
    cases(7)
    outcomes = by_key(figures()["outcomes"])
    assert outcomes["fine"]["count"] == 6 and outcomes["none"]["count"] == 7
    assert outcomes["arrest"] == {"key": "arrest", "count": 0, "suppressed": False}
    assert "false_alarm" not in outcomes


def test_refusals_by_station_and_reason_are_suppressed_both_ways():
    fortress, other = station("ОВД Крепость"), station("ОВД Другой")
    for case in cases(6, held=fortress):
        refused(case, fortress, "fortress", 60)
    for case in cases(2, held=fortress):
        refused(case, fortress, "not_here", 90)
    for case in cases(7, held=other):
        refused(case, other, "no_reason", None)
    got = figures()["refusals"]
    assert got["total"]["count"] == 15
    rows = by_key(got["by_station"])
    assert rows[str(fortress.pk)]["reasons"]["not_here"]["suppressed"]
    # The station's 8 minus its shown 6 would give the 2 back: one more must go.
    shown = rows[str(fortress.pk)]
    assert shown["suppressed"] or shown["reasons"]["fortress"]["suppressed"]
    assert rows[str(other.pk)]["reasons"]["fortress"]["count"] == 0


def test_waiting_at_the_door_is_a_median_over_enough_visits():
    place = station("ОВД Ждущий")
    for minutes, case in zip([10, 20, 30, 40, 50], cases(5, held=place), strict=True):
        refused(case, place, "fortress", minutes)
    few = station("ОВД Редкий")
    refused(cases(1, held=few)[0], few, "fortress", 100)
    waits = by_key(figures()["waits"])
    assert waits[str(place.pk)]["median_minutes"] == 30
    assert waits[str(few.pk)] == {
        "key": str(few.pk),
        "count": None,
        "median_minutes": None,
        "suppressed": True,
        "name": "ОВД Редкий",
        "city": "москва",
    }


def test_time_to_a_lawyer_on_the_way_is_a_median_and_hidden_under_the_minimum():
    for minutes, case in zip([5, 7, 9, 30], cases(4), strict=True):
        event(case, EventKind.LAWYER_EN_ROUTE, minutes)
    assert figures()["sos_to_lawyer"]["suppressed"]
    cache.clear()
    (case,) = cases(1)
    event(case, EventKind.LAWYER_EN_ROUTE, 8)
    event(case, EventKind.LAWYER_EN_ROUTE, 50)  # a second trip: the first one counts
    assert figures()["sos_to_lawyer"] == {
        "count": 5,
        "median_minutes": 8,
        "suppressed": False,
    }


def test_nothing_names_a_case_or_an_exact_time():
    made = cases(6, city="москва")
    for case in made:
        event(case, EventKind.LAWYER_EN_ROUTE, 12)
    text = json.dumps(figures(), ensure_ascii=False)
    for case in made:
        assert case.public_id not in text
        assert case.created_at.isoformat()[:16] not in text
    assert "lat" not in text and "lon" not in text


def test_a_cached_result_costs_no_query(django_assert_num_queries):
    cases(6)
    first = figures()
    with django_assert_num_queries(0):
        assert figures() == first


def test_while_one_process_recomputes_the_others_serve_the_last_copy(
    django_assert_num_queries,
):
    cases(6)
    first = figures()
    cache.delete(publish.key(publish.CACHE_KEY))
    cache.add(publish.key(publish.LOCK_KEY), 1)  # another process is computing
    with django_assert_num_queries(0):
        assert figures() == first


def test_a_kind_made_private_is_not_served_from_the_old_copy(settings):
    cases(6, kind=Kind.DETENTION)
    cases(7, kind=Kind.SEARCH)
    assert figures()["total"]["count"] == 13
    settings.HABEAS_STATS_KINDS = ["detention"]
    assert figures()["total"]["count"] == 6
