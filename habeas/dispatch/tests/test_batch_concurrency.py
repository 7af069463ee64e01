"""Several cases at once, from several hands at once: never a case taken twice, never a
lawyer over capacity (run on SQLite and PostgreSQL alike)."""

import pytest

from habeas.cases.models import Case, CaseEvent, EventKind
from habeas.dispatch import services
from habeas.dispatch.load import load_of
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

from .batch_helpers import TVERSKOY_POINT, waiting_at
from .test_concurrency import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def tverskoy() -> PoliceStation:
    return PoliceStation.objects.get(name="ОВД Тверской")


def each_case_accepted_at_most_once() -> None:
    for case in Case.objects.all():
        accepted = CaseEvent.objects.filter(case=case, kind=EventKind.ACCEPTED).count()
        assert accepted == (1 if case.assigned_lawyer_id else 0), case.public_id


def test_two_lawyers_taking_one_station_at_once_share_it_without_overlap(
    lawyer_a, lawyer_b, stations
):
    Lawyer.objects.update(capacity=3)
    waiting_at(TVERSKOY_POINT, 6)
    station = tverskoy()
    lawyers = [lawyer_a, lawyer_b]
    in_parallel(2, lambda i: services.take_all_at_station(lawyers[i], station))
    each_case_accepted_at_most_once()
    assert load_of(lawyer_a.pk) <= 3 and load_of(lawyer_b.pk) <= 3
    # The second waited for the first and took what was left.
    assert Case.objects.filter(assigned_lawyer__isnull=False).count() == 6


def test_one_lawyer_pressing_twice_from_two_phones_stays_within_capacity(lawyer_a, stations):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=2)
    waiting_at(TVERSKOY_POINT, 5)
    station = tverskoy()

    def press(_):
        try:
            services.take_all_at_station(lawyer_a, station)
        except services.TakeRefused as exc:  # the second press finds the lawyer full
            assert exc.code == "over_capacity"

    in_parallel(2, press)
    each_case_accepted_at_most_once()
    assert load_of(lawyer_a.pk) == 2


def test_taking_a_station_while_workers_offer_its_cases_never_overfills_the_lawyer(
    lawyer_a, stations
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=2)
    ids = [c.pk for c in waiting_at(TVERSKOY_POINT, 4)]
    station = tverskoy()

    def work(i):
        if i == 0:
            try:
                services.take_all_at_station(lawyer_a, station)
            except services.TakeRefused as exc:  # offers got there first and filled them
                assert exc.code == "over_capacity"
        else:
            services.offer_next(ids[i - 1])

    in_parallel(5, work)
    each_case_accepted_at_most_once()
    assert load_of(lawyer_a.pk) <= 2


def test_two_dispatchers_giving_overlapping_cases_to_one_lawyer_stay_within_capacity(
    dispatcher, admin, lawyer_a, stations
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=3)
    chosen = waiting_at(TVERSKOY_POINT, 5)
    hands = [(dispatcher, chosen[:4]), (admin, chosen[1:])]
    in_parallel(2, lambda i: services.assign_many(hands[i][0], hands[i][1], lawyer_a))
    each_case_accepted_at_most_once()
    assert load_of(lawyer_a.pk) == 3
