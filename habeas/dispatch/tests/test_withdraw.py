"""A detainee who withdraws a false alarm frees the lawyer it was offered to at once."""

from conftest import DETAINEE_BODY
from habeas.accounts.models import AuditEntry
from habeas.cases.models import Case, Status
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer


def only_anna_with_room_for_one(near_tverskoy):
    anna, boris = near_tverskoy
    Lawyer.objects.filter(user=anna).update(capacity=1)
    Lawyer.objects.filter(user=boris).update(on_duty=False)
    return anna


def test_a_withdrawn_case_leaves_no_pending_offer_and_its_lawyer_takes_the_next_case(
    detainee, phone, near_tverskoy, run_tasks
):
    anna = only_anna_with_room_for_one(near_tverskoy)
    run_tasks()
    first = Case.objects.get(public_id=detainee.case_id)
    assert Offer.objects.get(case=first).lawyer == anna
    assert phone.sos(DETAINEE_BODY | {"kind": "search"}).status_code == 201
    run_tasks()
    second = Case.objects.get(public_id=phone.case_id)
    assert not Offer.objects.filter(case=second).exists(), "Anna is full with the first offer"

    assert detainee.withdraw().status_code == 200
    assert Offer.objects.get(case=first).state == OfferState.CANCELLED
    assert not Offer.objects.pending().filter(case=first).exists()
    run_tasks()
    # Freed at once, not when the cancelled offer would have run out three minutes later.
    assert Offer.objects.pending().get(case=second).lawyer == anna


def test_withdrawing_writes_its_own_audit_entry_and_closes_the_case(detainee, near_tverskoy):
    assert detainee.withdraw().status_code == 200
    case = Case.objects.get(public_id=detainee.case_id)
    assert case.status == Status.CLOSED
    assert case.close_reason == "false_alarm"
    entry = AuditEntry.objects.get(case_ref=case.public_id)
    assert (entry.actor, entry.action, entry.what) == (None, "change", "withdrawn by the person")


def test_a_second_withdraw_is_refused_with_a_code_and_nothing_more_is_audited(detainee, db):
    assert detainee.withdraw().status_code == 200
    again = detainee.withdraw()
    assert again.status_code == 409
    assert again.json()["errors"] == []
    assert again.json()["detail"]
    assert AuditEntry.objects.filter(case_ref=detainee.case_id).count() == 1
