"""A lawyer who leaves, or whose phone the police took, is locked out and their work goes on:
their offer goes to the next lawyer at once and their cases wait, flagged, for a dispatcher
to give them to someone else."""

import pytest

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.accounts.staff import StaffRefused
from habeas.cases.models import Case, EventKind, Status
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer


def test_a_departing_lawyers_offer_goes_to_the_next_lawyer_at_once(
    detainee, near_tverskoy, dispatcher, run_tasks
):
    anna, boris = near_tverskoy
    run_tasks()
    case = Case.objects.get(public_id=detainee.case_id)
    assert Offer.objects.pending().get(case=case).lawyer == anna

    left = dispatch.staff_left(anna, dispatcher)

    assert left.offers == 1
    assert Offer.objects.get(case=case, lawyer=anna).state == OfferState.CANCELLED
    assert not Lawyer.objects.get(user=anna).on_duty
    run_tasks()
    # Not three minutes later when Anna's offer would have run out: now.
    assert Offer.objects.pending().get(case=case).lawyer == boris


def test_a_departing_lawyers_case_is_flagged_and_a_dispatcher_gives_it_to_another(
    detainee, near_tverskoy, dispatcher, run_tasks
):
    anna, boris = near_tverskoy
    case = Case.objects.get(public_id=detainee.case_id)
    dispatch.act(case, "take", anna)
    dispatch.act(Case.objects.get(pk=case.pk), "at_station", anna, station=case.near_station)

    left = dispatch.staff_left(anna, dispatcher)

    case.refresh_from_db()
    assert left.cases == [case.public_id]
    assert case.escalated_at is not None
    note = case.events.get(kind=EventKind.NOTE)
    assert note.data == {"lawyer_left": anna.pk}
    assert AuditEntry.objects.filter(
        actor=dispatcher, case_ref=case.public_id, what="lawyer deactivated"
    ).exists()
    page = (
        staff_client(dispatcher, headers={"Accept-Language": "en"})
        .get(f"/console/cases/{case.public_id}/")
        .content.decode()
    )
    assert "Anna Lawyer no longer works here" in page
    assert "Give to another lawyer" in page

    done = dispatch.act(case, "reassign", dispatcher, lawyer=boris)

    assert (done.status, done.assigned_lawyer) == (Status.ASSIGNED, boris)
    assert done.escalated_at is None
    taken = done.events.filter(kind=EventKind.ACCEPTED).latest("pk")
    assert taken.data == {"lawyer": boris.pk, "from_lawyer": anna.pk}


def test_only_a_dispatcher_reassigns_and_never_a_case_nobody_has(
    detainee, near_tverskoy, dispatcher
):
    anna, boris = near_tverskoy
    case = Case.objects.get(public_id=detainee.case_id)
    with pytest.raises(dispatch.cases.TransitionError) as open_case:
        dispatch.act(case, "reassign", dispatcher, lawyer=boris)
    assert open_case.value.code == "not_now"
    dispatch.act(case, "take", anna)
    with pytest.raises(dispatch.cases.TransitionError) as by_lawyer:
        dispatch.act(Case.objects.get(pk=case.pk), "reassign", anna, lawyer=boris)
    assert by_lawyer.value.code == "dispatchers_only"


def test_nobody_deactivates_themselves_or_the_last_administrator(admin, dispatcher):
    with pytest.raises(StaffRefused) as own:
        dispatch.staff_left(dispatcher, dispatcher)
    assert own.value.code == "not_yourself"
    with pytest.raises(StaffRefused) as last:
        dispatch.staff_left(admin, dispatcher)
    assert last.value.code == "last_admin"
    admin.refresh_from_db()
    assert admin.is_active
