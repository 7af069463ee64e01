"""A lawyer at a police station takes every case waiting there in one action, within their
capacity, the most urgent first, each case taken and audited as a single take would be."""

from datetime import timedelta

import pytest
from django.utils import timezone

from habeas.accounts.models import AuditEntry
from habeas.cases.models import Case, EventKind, Status
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import Message

from .batch_helpers import ARBAT_POINT, TVERSKOY_POINT, waiting_at


def make_offer(case: Case, lawyer) -> Offer:
    return Offer.objects.create(
        case=case, lawyer=lawyer, expires_at=timezone.now() + timedelta(minutes=3)
    )


def test_a_lawyer_takes_the_waiting_cases_at_the_station_most_urgent_first(lawyer_a, tverskoy):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=3)
    oldest, second, third, newest = waiting_at(TVERSKOY_POINT, 4)
    Case.objects.filter(pk=newest.pk).update(priority=10)  # a minor: first, though newest

    batch = dispatch.take_all_at_station(lawyer_a, tverskoy)

    assert [c.pk for c in batch.done] == [newest.pk, oldest.pk, second.pk]
    assert batch.stopped is not None and batch.stopped.code == "over_capacity"
    assert batch.stopped.params == {"capacity": 3}
    assert batch.left == 1 and batch.refused == {}
    third.refresh_from_db()
    assert third.status == Status.OPEN and third.assigned_lawyer is None
    for case in batch.done:
        case.refresh_from_db()
        assert case.assigned_lawyer == lawyer_a and case.status == Status.ASSIGNED
        assert case.events.filter(kind=EventKind.ACCEPTED, author=lawyer_a).exists()


def test_each_case_taken_is_audited_as_a_single_take_and_dispatchers_hear_of_many(
    lawyer_a, dispatcher, tverskoy, smtp
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=5)
    waiting_at(TVERSKOY_POINT, 3)
    batch = dispatch.take_all_at_station(lawyer_a, tverskoy)
    audited = AuditEntry.objects.filter(actor=lawyer_a, action="change", what="take")
    assert sorted(audited.values_list("case_ref", flat=True)) == sorted(
        c.public_id for c in batch.done
    )
    # Three takes by oneself are what a stolen account reading people's details looks like:
    # a batch is no exception, and dispatchers are told as after three single takes.
    assert Message.objects.filter(recipient=dispatcher, dedupe_key__startswith="takes:").exists()


def test_cases_elsewhere_and_cases_already_taken_are_left_alone(lawyer_a, lawyer_b, tverskoy):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=10)
    [here] = waiting_at(TVERSKOY_POINT, 1)
    [elsewhere] = waiting_at(ARBAT_POINT, 1)
    [held_here] = waiting_at(ARBAT_POINT, 1)
    Case.objects.filter(pk=held_here.pk).update(police_station=tverskoy)  # moved here
    [taken] = waiting_at(TVERSKOY_POINT, 1)
    dispatch.act(taken, "take", lawyer_b)

    batch = dispatch.take_all_at_station(lawyer_a, tverskoy)

    assert {c.pk for c in batch.done} == {here.pk, held_here.pk}
    assert batch.stopped is None and batch.left == 0
    elsewhere.refresh_from_db()
    taken.refresh_from_db()
    assert elsewhere.assigned_lawyer is None
    assert taken.assigned_lawyer == lawyer_b


def test_a_case_waiting_for_another_lawyers_answer_is_left_and_named(lawyer_a, lawyer_b, tverskoy):
    first, second = waiting_at(TVERSKOY_POINT, 2)
    make_offer(first, lawyer_b)
    batch = dispatch.take_all_at_station(lawyer_a, tverskoy)
    assert [c.pk for c in batch.done] == [second.pk]
    assert batch.refused[first.public_id].code == "offered_to_another"
    assert Offer.objects.get(case=first).state == OfferState.PENDING


def test_the_lawyers_own_offer_is_accepted_and_another_lawyers_offer_is_cancelled(
    lawyer_a, lawyer_b, tverskoy
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=1)
    [case] = waiting_at(TVERSKOY_POINT, 1)
    mine = make_offer(case, lawyer_a)  # counts against capacity 1 already
    batch = dispatch.take_all_at_station(lawyer_a, tverskoy)
    assert [c.pk for c in batch.done] == [case.pk]
    mine.refresh_from_db()
    assert mine.state == OfferState.ACCEPTED


def test_a_lawyer_off_duty_takes_nothing(lawyer_a, tverskoy):
    waiting_at(TVERSKOY_POINT, 2)
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=False)
    with pytest.raises(dispatch.TakeRefused) as refused:
        dispatch.take_all_at_station(lawyer_a, tverskoy)
    assert refused.value.code == "not_on_duty"
    assert not Case.objects.filter(assigned_lawyer=lawyer_a).exists()


def test_a_full_lawyer_takes_nothing(lawyer_a, tverskoy):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=1)
    first, second = waiting_at(TVERSKOY_POINT, 2)
    dispatch.act(first, "take", lawyer_a)
    with pytest.raises(dispatch.TakeRefused) as refused:
        dispatch.take_all_at_station(lawyer_a, tverskoy)
    assert refused.value.code == "over_capacity"
    second.refresh_from_db()
    assert second.assigned_lawyer is None


def test_a_lawyer_still_with_a_person_at_another_station_takes_nothing_here(
    lawyer_a, tverskoy, stations
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=5)
    [there] = waiting_at(ARBAT_POINT, 1)
    dispatch.act(there, "take", lawyer_a)
    waiting_at(TVERSKOY_POINT, 2)
    with pytest.raises(dispatch.TakeRefused) as refused:
        dispatch.take_all_at_station(lawyer_a, tverskoy)
    assert refused.value.code == "held_elsewhere"
    assert refused.value.params == {"station": "ОВД Арбат"}
    # Once that person is released the lawyer may work here ("one place at a time").
    dispatch.act(there, "released", lawyer_a)
    assert len(dispatch.take_all_at_station(lawyer_a, tverskoy).done) == 2


def test_only_a_lawyer_takes_a_stations_cases(dispatcher, operator, tverskoy):
    waiting_at(TVERSKOY_POINT, 1)
    for user in (dispatcher, operator):
        with pytest.raises(dispatch.TakeRefused) as refused:
            dispatch.take_all_at_station(user, tverskoy)
        assert refused.value.code == "lawyers_only"


def test_nothing_waiting_takes_nothing_and_says_so(lawyer_a, tverskoy):
    batch = dispatch.take_all_at_station(lawyer_a, tverskoy)
    assert batch.done == [] and batch.refused == {} and batch.stopped is None
