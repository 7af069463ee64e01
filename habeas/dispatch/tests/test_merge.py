"""One person, one offer: reports of one person join one case; dispatchers merge and split."""

import pytest

from conftest import DETAINEE_BODY, Phone
from habeas.accounts.models import AuditEntry
from habeas.cases.merging import MergeError
from habeas.cases.models import Case, CaseEvent, EventKind, Report, Status
from habeas.dispatch import services
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer

FRIEND = {"name": "Ольга Петрова", "phone": "+7 916 000-11-22", "relation": "подруга"}


def friends_report(name: str, role: str = "relative") -> dict:
    person = {"full_name": name, "date_of_birth": DETAINEE_BODY["person"]["date_of_birth"]}
    return {"kind": "detention", "person": person, "reporter_role": role, "reporter": FRIEND}


def test_the_detainee_and_two_friends_reporting_her_make_one_case_and_one_offer(
    detainee, near_tverskoy, run_tasks
):
    """The issue's scenario: on main before this it made 3 cases and 3 offers."""
    run_tasks()
    friends = [Phone(), Phone()]
    answers = [
        friends[0].sos(friends_report("  мария   ИВАНОВА")),
        friends[1].sos(friends_report("Иванова Мария", role="witness")),
    ]
    run_tasks()
    assert [a.status_code for a in answers] == [201, 201]
    assert all(a.json()["merged"] for a in answers)
    assert {a.json()["case_id"] for a in answers} == {detainee.case_id}
    assert Case.objects.count() == 1
    assert Report.objects.count() == 3
    assert Offer.objects.count() == 1
    # Every reporter follows the same case with their own token.
    statuses = [p.status().json()["case_id"] for p in (detainee, *friends)]
    assert statuses == [detainee.case_id] * 3


def two_cases(near_tverskoy, run_tasks):
    """Мария reported by herself, and again without a date of birth: two cases, two offers."""
    first, second = Phone(), Phone()
    undated = {**DETAINEE_BODY, "person": {"full_name": "Мария Иванова"}}
    assert first.sos(DETAINEE_BODY).status_code == 201
    assert second.sos(undated | {"reporter_role": "relative"}).status_code == 201
    run_tasks()
    return (
        first,
        second,
        Case.objects.get(public_id=first.case_id),
        Case.objects.get(public_id=second.case_id),
    )


def test_a_dispatcher_merges_a_case_its_offer_is_cancelled_and_its_lawyer_takes_the_next(
    near_tverskoy, dispatcher, run_tasks
):
    Lawyer.objects.update(capacity=1)  # each lawyer is full with one offer
    _, second, into, other = two_cases(near_tverskoy, run_tasks)
    offered = Offer.objects.pending().get(case=other).lawyer
    services.merge(into, other, dispatcher)

    other.refresh_from_db()
    assert other.status == Status.CLOSED and other.close_reason == "merged"
    assert Offer.objects.get(case=other).state == OfferState.CANCELLED
    assert Report.objects.filter(case=into).count() == 2
    assert second.status().json()["case_id"] == into.public_id
    assert CaseEvent.objects.filter(case=into, kind=EventKind.MERGED).exists()
    assert CaseEvent.objects.filter(case=other, kind=EventKind.MERGED_INTO).exists()
    assert AuditEntry.objects.filter(actor=dispatcher, case_ref=into.public_id).exists()
    # Her lawyer is free again at once: a new case is offered to them.
    third = Phone()
    assert third.sos({"person": {"full_name": "Пётр Сидоров"}, "city": "Москва"}).status_code == 201
    run_tasks()
    assert Offer.objects.pending().get(case__public_id=third.case_id).lawyer == offered


def test_a_dispatcher_splits_a_report_into_a_new_case_which_is_dispatched(
    detainee, near_tverskoy, dispatcher, run_tasks
):
    friend = Phone()
    assert friend.sos(friends_report("Мария Иванова")).json()["merged"]
    run_tasks()
    case = Case.objects.get(public_id=detainee.case_id)
    moved = Report.objects.get(case=case, reporter_role="relative")
    new = services.split(case, moved.pk, dispatcher)
    run_tasks()
    assert friend.status().json()["case_id"] == new.public_id
    assert detainee.status().json()["case_id"] == case.public_id
    assert Offer.objects.pending().filter(case=new).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.SPLIT).exists()


@pytest.mark.parametrize(
    "what, code",
    [("merge itself", "same_case"), ("split the only report", "last_report")],
)
def test_a_merge_or_split_that_makes_no_sense_is_refused_with_a_code(
    detainee, dispatcher, what, code
):
    case = Case.objects.get(public_id=detainee.case_id)
    with pytest.raises(MergeError) as refused:
        if what == "merge itself":
            services.merge(case, case, dispatcher)
        else:
            services.split(case, case.reports.get().pk, dispatcher)
    assert refused.value.code == code
    assert not AuditEntry.objects.filter(actor=dispatcher, action="change").exists()


def test_a_lawyer_may_neither_merge_nor_split(near_tverskoy, run_tasks):
    anna, _ = near_tverskoy
    _, _, into, other = two_cases(near_tverskoy, run_tasks)
    for attempt in (
        lambda: services.merge(into, other, anna),
        lambda: services.split(into, into.reports.get().pk, anna),
    ):
        with pytest.raises(MergeError) as refused:
            attempt()
        assert refused.value.code == "dispatchers_only"
    assert Case.objects.open().count() == 2
