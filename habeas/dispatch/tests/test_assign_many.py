"""A dispatcher gives several cases to one lawyer at once: each as a single assign (offers
cancelled, event, audit entry), the most urgent first, never past the lawyer's capacity."""

from datetime import timedelta

import pytest
from django.utils import timezone

from habeas.accounts.models import AuditEntry
from habeas.cases.models import Case, EventKind, Status
from habeas.cases.services import TransitionError
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer

from .batch_helpers import TVERSKOY_POINT, waiting_at


def test_a_dispatcher_assigns_several_cases_each_audited_and_recorded(
    dispatcher, lawyer_a, lawyer_b, stations
):
    chosen = waiting_at(TVERSKOY_POINT, 3)
    offer = Offer.objects.create(
        case=chosen[0], lawyer=lawyer_b, expires_at=timezone.now() + timedelta(minutes=3)
    )
    batch = dispatch.assign_many(dispatcher, chosen, lawyer_a)

    assert {c.pk for c in batch.done} == {c.pk for c in chosen}
    assert batch.refused == {} and batch.stopped is None
    for case in chosen:
        case.refresh_from_db()
        assert case.assigned_lawyer == lawyer_a and case.status == Status.ASSIGNED
        event = case.events.get(kind=EventKind.ACCEPTED)
        assert event.author == dispatcher and event.data == {"lawyer": lawyer_a.pk}
    audited = AuditEntry.objects.filter(actor=dispatcher, action="change", what="assign")
    assert sorted(audited.values_list("case_ref", flat=True)) == sorted(c.public_id for c in chosen)
    offer.refresh_from_db()
    assert offer.state == OfferState.CANCELLED  # nobody else is asked to accept it now


def test_a_batch_stops_at_the_lawyers_capacity_most_urgent_first(dispatcher, lawyer_a, stations):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=2)
    oldest, middle, newest = waiting_at(TVERSKOY_POINT, 3)
    Case.objects.filter(pk=newest.pk).update(priority=10)

    batch = dispatch.assign_many(dispatcher, [oldest, middle, newest], lawyer_a)

    assert [c.pk for c in batch.done] == [newest.pk, oldest.pk]
    assert batch.stopped.code == "lawyer_full"
    assert batch.stopped.params == {"lawyer": "Anna Lawyer", "capacity": 2}
    assert batch.left == 1
    middle.refresh_from_db()
    assert middle.assigned_lawyer is None


def test_the_lawyers_own_offer_on_a_chosen_case_does_not_count_twice(
    dispatcher, lawyer_a, stations
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=1)
    [case] = waiting_at(TVERSKOY_POINT, 1)
    Offer.objects.create(
        case=case, lawyer=lawyer_a, expires_at=timezone.now() + timedelta(minutes=3)
    )
    batch = dispatch.assign_many(dispatcher, [case], lawyer_a)
    assert [c.pk for c in batch.done] == [case.pk]


def test_cases_taken_or_closed_meanwhile_are_refused_one_by_one(
    dispatcher, lawyer_a, lawyer_b, stations
):
    free, taken, closed = waiting_at(TVERSKOY_POINT, 3)
    dispatch.act(taken, "take", lawyer_b)
    dispatch.act(closed, "close", dispatcher)

    batch = dispatch.assign_many(dispatcher, [free, taken, closed], lawyer_a)

    assert [c.pk for c in batch.done] == [free.pk]
    assert batch.refused[taken.public_id].code == "not_now"
    assert batch.refused[closed.public_id].code == "not_now"
    taken.refresh_from_db()
    assert taken.assigned_lawyer == lawyer_b
    assert not AuditEntry.objects.filter(what="assign", case_ref=taken.public_id).exists()


def test_only_a_dispatcher_assigns_several_cases(lawyer_a, lawyer_b, operator, stations):
    chosen = waiting_at(TVERSKOY_POINT, 2)
    for user in (lawyer_b, operator):
        with pytest.raises(TransitionError) as refused:
            dispatch.assign_many(user, chosen, lawyer_a)
        assert refused.value.code == "dispatchers_only"
    assert not Case.objects.filter(assigned_lawyer=lawyer_a).exists()


def test_cases_go_only_to_an_active_lawyer(dispatcher, lawyer_a, operator, stations):
    chosen = waiting_at(TVERSKOY_POINT, 1)
    lawyer_a.is_active = False
    lawyer_a.save(update_fields=["is_active"])
    for someone in (lawyer_a, operator, None):
        with pytest.raises(TransitionError) as refused:
            dispatch.assign_many(dispatcher, chosen, someone)
        assert refused.value.code == "lawyer_required"
