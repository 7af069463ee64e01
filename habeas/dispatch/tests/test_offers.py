"""An SOS is offered to the best lawyer, passed on when declined or ignored, then escalated."""

from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import DETAINEE_BODY
from habeas.cases.models import Case, EventKind, Status
from habeas.dispatch import messages, services, tasks
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import Message


def kinds(case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def sos(phone, run_tasks, body=DETAINEE_BODY) -> Case:
    assert phone.sos(body).status_code == 201
    run_tasks()
    return Case.objects.get(public_id=phone.case_id)


def digest_windows() -> list[int]:
    """The windows whose escalation digest is waiting to go out."""
    rows = DBTaskResult.objects.filter(task_path=tasks.escalation_digest.module_path)
    return [row.args_kwargs["args"][0] for row in rows.filter(status="READY")]


def run_out(offer: Offer) -> None:
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_an_sos_is_offered_to_the_nearest_free_lawyer_who_is_told_by_email(
    phone, near_tverskoy, run_tasks, smtp
):
    anna, _ = near_tverskoy
    case = sos(phone, run_tasks)
    offer = Offer.objects.get(case=case)
    assert offer.lawyer == anna
    assert offer.state == OfferState.PENDING
    assert kinds(case) == [EventKind.REPORTED, EventKind.OFFERED]
    [mail] = smtp.messages
    assert mail.rcpt_tos == [anna.email]
    text = message_from_bytes(mail.content, policy=default).get_content()
    assert f"/console/offers/{offer.pk}/" in text
    assert "Мария" not in text, "an offer names no one"


def test_a_declined_offer_goes_to_the_next_lawyer_at_once(phone, near_tverskoy, run_tasks):
    anna, boris = near_tverskoy
    case = sos(phone, run_tasks)
    services.decline(Offer.objects.get(case=case).pk, anna)
    run_tasks()
    assert Offer.objects.get(case=case, state=OfferState.PENDING).lawyer == boris


def test_an_ignored_offer_runs_out_and_after_the_last_try_dispatchers_get_it_in_a_digest(
    phone, near_tverskoy, dispatcher, run_tasks, settings, smtp
):
    settings.HABEAS_OFFER_MAX_TRIES = 2
    case = sos(phone, run_tasks)
    for _ in range(2):
        offer = Offer.objects.get(case=case, state=OfferState.PENDING)
        run_out(offer)
        assert services.expire(offer.pk)
        run_tasks()
    case.refresh_from_db()
    assert case.escalated_at is not None
    assert EventKind.ESCALATED in kinds(case)
    assert not Message.objects.filter(dedupe_key__startswith="escalated:"), "no message per case"
    [window] = digest_windows()
    messages.alert_dispatchers(window=window)
    run_tasks()
    assert Message.objects.filter(recipient=dispatcher, dedupe_key__startswith="escalation-digest:")
    assert dispatcher.email in [r for m in smtp.messages for r in m.rcpt_tos]
    assert Offer.objects.filter(case=case, state=OfferState.EXPIRED).count() == 2


def test_an_offer_expiring_after_it_was_answered_changes_nothing(phone, near_tverskoy, run_tasks):
    anna, _ = near_tverskoy
    case = sos(phone, run_tasks)
    offer = Offer.objects.get(case=case)
    services.accept(offer.pk, anna)
    run_out(offer)
    assert services.expire(offer.pk) is None
    assert Case.objects.get(pk=case.pk).assigned_lawyer == anna


def test_with_nobody_on_duty_the_case_is_escalated_once_it_has_waited_not_at_once(
    phone, dispatcher, lawyer_a, run_tasks
):
    Lawyer.objects.update(on_duty=False)
    case = sos(phone, run_tasks)
    assert not Offer.objects.exists()
    assert Case.objects.get(pk=case.pk).escalated_at is None
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert services.escalate_if_waiting(case.pk)
    assert Case.objects.get(pk=case.pk).escalated_at is not None


def test_accepting_assigns_the_case_and_clears_the_flag(phone, near_tverskoy, run_tasks):
    anna, _ = near_tverskoy
    case = sos(phone, run_tasks)
    case = services.accept(Offer.objects.get(case=case).pk, anna)
    assert case.status == Status.ASSIGNED
    assert case.assigned_lawyer == anna
    assert phone.status().json()["stage"] == "lawyer_assigned"


@pytest.mark.parametrize("who", ["other lawyer", "too late", "twice"])
def test_an_offer_cannot_be_taken_by_someone_else_late_or_twice(
    phone, near_tverskoy, run_tasks, who
):
    anna, boris = near_tverskoy
    case = sos(phone, run_tasks)
    offer = Offer.objects.get(case=case)
    if who == "too late":
        run_out(offer)
    if who == "twice":
        services.accept(offer.pk, anna)
    with pytest.raises(services.OfferError):
        services.accept(offer.pk, boris if who == "other lawyer" else anna)


def test_a_lawyer_at_capacity_is_not_offered_more(phone, near_tverskoy, run_tasks):
    anna, boris = near_tverskoy
    Lawyer.objects.filter(user=anna).update(capacity=1)
    first = sos(phone, run_tasks)
    services.accept(Offer.objects.get(case=first).pk, anna)
    # Someone else: a second report of Мария would join her case, not wait for a lawyer.
    other = {**DETAINEE_BODY, "person": {"full_name": "Пётр Сидоров"}}
    second = sos(type(phone)(), run_tasks, other)
    assert Offer.objects.get(case=second).lawyer == boris


def test_a_dispatcher_assigns_by_hand_and_the_open_offer_is_withdrawn(
    phone, near_tverskoy, dispatcher, run_tasks
):
    _, boris = near_tverskoy
    case = sos(phone, run_tasks)
    case = services.act(case, "assign", dispatcher, lawyer=boris)
    assert case.assigned_lawyer == boris
    assert Offer.objects.get(case=case).state == OfferState.CANCELLED


def test_cases_waiting_for_a_free_lawyer_are_offered_when_one_comes_on_duty(
    phone, lawyer_a, run_tasks
):
    Lawyer.objects.update(on_duty=False)
    case = sos(phone, run_tasks)
    Lawyer.objects.filter(user=lawyer_a).update(on_duty=True)
    services.capacity_freed()
    run_tasks()
    assert Offer.objects.get(case=case).lawyer == lawyer_a
