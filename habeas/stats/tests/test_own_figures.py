"""The staff figures (habeas.stats.own) on crafted days, counted by hand."""

from datetime import date

import pytest

from habeas.stats import own

from .own_day import craft

pytestmark = pytest.mark.django_db
FIRST, SECOND = date(2021, 1, 31), date(2021, 2, 1)


def rows(found: own.Figures) -> dict:
    return {(s.key, r.key): (r.values, r.total) for s in found.sections for r in s.rows}


def test_per_day_every_section_counts_what_was_crafted():
    craft()
    got = rows(own.figures(FIRST, SECOND, own.DAY))
    # The merged duplicate is the same person: counted nowhere.
    assert got["kinds", "detention"] == ([4, 1], 5)
    assert got["kinds", "summons"] == ([1, 0], 1)
    assert got["kinds", "search"] == ([0, 1], 1)
    assert got["channels", "app"] == ([2, 1], 3)
    assert got["channels", "sms"] == ([1, 0], 1)
    assert got["channels", "telegram"] == ([1, 0], 1)
    assert got["channels", "operator"] == ([1, 0], 1)
    assert got["channels", "web"] == ([0, 0], 0)
    assert got["channels", "unknown"] == ([0, 1], 1)
    assert got["reporters", "self"] == ([3, 0], 3)
    assert got["reporters", "relative"] == ([1, 1], 2)
    assert got["reporters", "witness"] == ([1, 0], 1)
    assert got["reporters", "unknown"] == ([0, 1], 1)
    # The false alarm needed nobody: neither reached nor not.
    assert got["reach", "reached"] == ([3, 1], 4)
    assert got["reach", "not_reached"] == ([1, 1], 2)
    # Nearest rank, as the simulator: offers at 1, 2, 4, 5 minutes on day 1, 1 on day 2.
    assert got["times", "to_offer_median"] == ([2, 1], 2)
    assert got["times", "to_offer_p90"] == ([5, 1], 5)
    assert got["times", "to_offer_cases"] == ([4, 1], 5)
    assert got["times", "to_acceptance_median"] == ([10, 6], 6)
    assert got["times", "to_acceptance_p90"] == ([20, 6], 20)
    assert got["times", "to_station_median"] == ([30, 60], 30)
    assert got["times", "to_station_cases"] == ([2, 1], 3)
    # Day 1: one lawyer with two cases, one with one; over both days 3 and 1.
    assert got["load", "lawyers"] == ([2, 1], 2)
    assert got["load", "cases_per_lawyer_median"] == ([1.5, 1], 2)
    assert got["load", "cases_per_lawyer_max"] == ([2, 1], 3)
    assert got["refusals", "fortress"] == ([1, 0], 1)
    assert got["refusals", "not_here"] == ([1, 0], 1)
    assert got["refusals", "no_reason"] == ([0, 0], 0)
    assert got["outcomes", "fine"] == ([1, 0], 1)
    assert got["outcomes", "arrest"] == ([1, 0], 1)
    assert got["outcomes", "released"] == ([0, 1], 1)
    assert got["outcomes", "false_alarm"] == ([1, 0], 1)
    assert got["outcomes", "none"] == ([2, 1], 3)


def test_per_week_a_sunday_and_the_next_monday_fall_in_two_weeks():
    craft()
    found = own.figures(FIRST, SECOND, own.WEEK)
    assert found.periods == [date(2021, 1, 25), date(2021, 2, 1)]
    assert rows(found)["kinds", "detention"] == ([4, 1], 5)


def test_a_day_without_cases_has_zeros_and_no_times():
    craft()
    got = rows(own.figures(date(2021, 1, 30), date(2021, 1, 30), own.DAY))
    assert got["kinds", "detention"] == ([0], 0)
    assert got["times", "to_offer_median"] == ([None], None)
    assert got["load", "cases_per_lawyer_max"] == ([None], None)


def test_the_obstruction_record_by_station():
    made = craft()
    [record] = own.obstruction(FIRST, SECOND)
    assert record.station_id == str(made["station"].pk)
    assert record.name == "ОВД Тверской"
    assert record.refusals == {"fortress": 1, "not_here": 1, "no_reason": 0, "other": 0}
    assert record.waits == [20, 40]


def test_the_day_in_the_simulators_measures():
    craft()
    s = own.day_summary(FIRST)
    # Detentions that day, less the false alarm: c1, c2, c3 (never reached: infinitely late).
    assert s["detainees"] == 3
    assert s["lawyers"] == 1
    assert s["en_route_median_min"] == 12.0
    assert s["en_route_p90_min"] is None
    assert s["at_station_median_min"] == 30.0
    assert s["at_station_p90_min"] is None
    assert s["reached_within_3h"] == 0.667
    assert s["escalated"] == 1
    assert "| 1 | real | 0:12 | never | 0:30 | never | 66.7% | — |" in own.day_table(s)
