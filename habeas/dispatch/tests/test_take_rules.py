"""A stolen lawyer account cannot read every open case by taking them in turn.

Found in security round 2: any lawyer could `take` any open case, even one under a pending
offer to another lawyer, ignoring capacity and duty, then read name, phone and location. And a
lawyer not on a case could mark it released or move it (the family then reads "released").
"""

import pytest

from habeas.cases.models import Status
from habeas.cases.services import TransitionError
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import Message
from habeas.stations.models import PoliceStation

from .test_offers import sos


def test_a_lawyer_cannot_take_a_case_waiting_for_another_lawyers_answer(
    phone, near_tverskoy, run_tasks
):
    anna, boris = near_tverskoy
    case = sos(phone, run_tasks)
    assert Offer.objects.pending().get(case=case).lawyer == anna
    with pytest.raises(dispatch.TakeRefused) as refused:
        dispatch.act(case, "take", boris)
    assert refused.value.code == "offered_to_another"
    case.refresh_from_db()
    assert case.assigned_lawyer is None


def test_a_lawyer_off_duty_cannot_take_a_case(phone, lawyer_a, lawyer_b):
    phone.sos({"kind": "detention"})
    case = dispatch.Case.objects.get()
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=False)
    with pytest.raises(dispatch.TakeRefused) as refused:
        dispatch.act(case, "take", lawyer_a)
    assert refused.value.code == "not_on_duty"


def test_a_lawyer_cannot_take_beyond_their_capacity(phone, lawyer_a):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=1)
    first = phone.sos({"kind": "detention"}, key="take-rules-0001")
    second = phone.sos({"kind": "search"}, key="take-rules-0002")
    one, two = (dispatch.Case.objects.get(public_id=r.json()["case_id"]) for r in (first, second))
    dispatch.act(one, "take", lawyer_a)
    with pytest.raises(dispatch.TakeRefused) as refused:
        dispatch.act(two, "take", lawyer_a)
    assert refused.value.code == "over_capacity"
    assert refused.value.params == {"capacity": 1}


def test_taking_case_after_case_by_oneself_alerts_the_dispatchers(
    phone, lawyer_a, dispatcher, smtp
):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=10)
    for n in range(dispatch.TAKES_ALERT_COUNT):
        phone.sos({"kind": "detention"}, key=f"many-takes-{n:04d}")
        dispatch.act(dispatch.Case.objects.get(public_id=phone.case_id), "take", lawyer_a)
    alerts = Message.objects.filter(recipient=dispatcher, dedupe_key__startswith="takes:")
    assert alerts.exists()
    assert not Message.objects.filter(recipient=lawyer_a, dedupe_key__startswith="takes:")


def test_one_take_alerts_nobody(phone, lawyer_a, dispatcher, smtp):
    phone.sos({"kind": "detention"})
    dispatch.act(dispatch.Case.objects.get(), "take", lawyer_a)
    assert not Message.objects.filter(dedupe_key__startswith="takes:").exists()


@pytest.mark.parametrize("action", ["released", "held_at", "transferred", "protocol"])
def test_a_lawyer_not_on_the_case_cannot_state_facts_the_family_reads(
    detainee, lawyer_a, lawyer_b, dispatcher, stations, action
):
    case = dispatch.Case.objects.get(public_id=detainee.case_id)
    dispatch.act(case, "take", lawyer_a)
    station = PoliceStation.objects.first()
    extra = {
        "released": {},
        "held_at": {"station": station},
        "transferred": {"station": station},
        "protocol": {"inputs": {"article": "20.2 ч. 5"}},
    }[action]
    with pytest.raises(TransitionError) as refused:
        dispatch.act(case, action, lawyer_b, **extra)
    assert refused.value.code == "assignee_only"
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert not case.events.filter(kind=action).exists()
