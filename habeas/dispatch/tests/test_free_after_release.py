"""A lawyer is free for other stations as soon as the person they were with is released or
the case is closed; the released case still counts against their capacity."""

import pytest

from habeas.cases import services as cases
from habeas.cases.models import Case
from habeas.console.tests.helpers import open_case
from habeas.dispatch import policy, services
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation


@pytest.fixture
def held_by_anna(near_tverskoy, tverskoy):
    """Anna's case: the person is held at Tverskoy and Anna is with them."""
    anna, _ = near_tverskoy
    case = open_case()
    Case.objects.filter(pk=case.pk).update(police_station=tverskoy)
    cases.transition(case.pk, "take", actor=anna)
    return case


@pytest.fixture
def at_basmanny(stations) -> Case:
    basmanny = PoliceStation.objects.get(name="ОВД Басманный")
    case = open_case()
    Case.objects.filter(pk=case.pk).update(police_station=basmanny)
    return Case.objects.get(pk=case.pk)


def candidates(case: Case) -> list[int]:
    return [lw.id for lw in policy.rank(services.case_info(case), services.lawyer_infos())]


def test_a_lawyer_with_a_person_at_one_station_is_not_offered_another(
    held_by_anna, at_basmanny, lawyer_a
):
    assert lawyer_a.pk not in candidates(at_basmanny)


def test_once_the_person_is_released_the_lawyer_is_offered_other_stations(
    held_by_anna, at_basmanny, lawyer_a
):
    cases.transition(held_by_anna.pk, "released", actor=lawyer_a)
    assert lawyer_a.pk in candidates(at_basmanny)


def test_once_the_case_is_closed_the_lawyer_is_offered_other_stations(
    held_by_anna, at_basmanny, lawyer_a
):
    cases.transition(held_by_anna.pk, "close", actor=lawyer_a)
    assert lawyer_a.pk in candidates(at_basmanny)


def test_a_released_case_still_counts_against_capacity(held_by_anna, at_basmanny, lawyer_a):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=1)
    cases.transition(held_by_anna.pk, "released", actor=lawyer_a)
    [anna] = [lw for lw in services.lawyer_infos() if lw.id == lawyer_a.pk]
    assert (anna.load, anna.active, anna.holding_at) == (1, 0, frozenset())
    assert lawyer_a.pk not in candidates(at_basmanny)


def test_the_policy_lets_a_lawyer_with_no_work_tying_them_anywhere_go_anywhere():
    case = policy.CaseInfo(id=1, priority=0, created_at=0, station_ids=frozenset({2}))
    done = policy.LawyerInfo(id=1, on_duty=True, load=1, capacity=3, active=0)
    busy = policy.LawyerInfo(
        id=2, on_duty=True, load=1, capacity=3, active=1, holding_at=frozenset({1})
    )
    assert policy.within_reach(case, done)
    assert not policy.within_reach(case, busy)
