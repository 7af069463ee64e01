"""Escalation without noise: a case escalates after it has waited, not the instant nobody is
free, and dispatchers get one digest per window instead of a message per case."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from habeas.cases.models import Case
from habeas.console.tests.helpers import open_case
from habeas.dispatch import messages, services, tasks
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import Message


def waiting_rows(scheduled) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=scheduled.module_path, status="READY"))


def aged(case: Case, minutes: int) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    return Case.objects.get(pk=case.pk)


def digests_to(user) -> int:
    return Message.objects.filter(
        recipient=user, dedupe_key__startswith="escalation-digest:"
    ).count()


@pytest.fixture
def nobody_free(lawyer_a):
    Lawyer.objects.update(on_duty=False)


def test_a_case_nobody_can_take_is_not_escalated_at_once(nobody_free, dispatcher):
    case = open_case()
    services.offer_next(case.pk)
    assert Case.objects.get(pk=case.pk).escalated_at is None
    assert not Message.objects.filter(recipient=dispatcher)


def test_many_dispatch_runs_schedule_the_check_once(nobody_free, settings):
    case = open_case()
    for _ in range(5):  # as every lawyer freeing up re-dispatches every waiting case
        services.offer_next(case.pk)
    [row] = waiting_rows(tasks.escalate_if_waiting)
    assert row.args_kwargs["args"] == [case.pk]
    expected = case.created_at + timedelta(minutes=settings.HABEAS_ESCALATE_AFTER_MINUTES)
    assert row.run_after == expected


def test_the_check_escalates_only_once_the_case_has_waited(nobody_free, settings):
    settings.HABEAS_ESCALATE_AFTER_MINUTES = 10
    case = aged(open_case(), 9)
    assert not services.escalate_if_waiting(case.pk)
    aged(case, 10)
    assert services.escalate_if_waiting(case.pk)
    assert Case.objects.get(pk=case.pk).escalated_at is not None
    assert not services.escalate_if_waiting(case.pk), "escalated once"


def test_a_case_taken_before_the_check_is_not_escalated(nobody_free, dispatcher):
    case = aged(open_case(), 30)
    services.act(case, "take", dispatcher)
    assert not services.escalate_if_waiting(case.pk)


def test_a_case_offered_in_vain_for_long_enough_escalates_while_its_offer_goes_on(
    lawyer_a, lawyer_b, settings
):
    settings.HABEAS_OFFER_MAX_TRIES = 99
    case = aged(open_case(), 30)
    offer = Offer.objects.create(
        case=case, lawyer=lawyer_a, expires_at=timezone.now() + timedelta(minutes=3)
    )
    services.offer_next(case.pk)
    assert Case.objects.get(pk=case.pk).escalated_at is not None
    assert Offer.objects.get(pk=offer.pk).state == "pending"


def test_thirty_escalations_in_a_window_make_one_digest_per_dispatcher(
    nobody_free, dispatcher, admin, smtp
):
    for _ in range(30):
        services.escalate_if_waiting(aged(open_case(), 30).pk)
    assert not Message.objects.filter(dedupe_key__startswith="escalated:")
    [row] = waiting_rows(tasks.escalation_digest)
    window = row.args_kwargs["args"][0]
    assert messages.alert_dispatchers(window=window) == 2
    assert messages.alert_dispatchers(window=window) == 2  # the task run twice: no new message
    assert digests_to(dispatcher) == 1
    assert digests_to(admin) == 1


def test_the_digest_is_scheduled_for_the_end_of_its_window(nobody_free, dispatcher, settings):
    settings.HABEAS_ESCALATION_DIGEST_MINUTES = 5
    services.escalate_if_waiting(aged(open_case(), 30).pk)
    [row] = waiting_rows(tasks.escalation_digest)
    span = 5 * 60
    assert row.run_after.timestamp() == (row.args_kwargs["args"][0] + 1) * span
    assert 0 < row.run_after.timestamp() - timezone.now().timestamp() <= span


def test_the_digest_counts_the_cases_and_the_oldest_wait_with_a_link(
    nobody_free, dispatcher, monkeypatch
):
    for minutes in (30, 45):
        services.escalate_if_waiting(aged(open_case(), minutes).pk)
    sent = []
    monkeypatch.setattr(messages, "_send_to_staff", lambda *args: sent.append(args))
    window = waiting_rows(tasks.escalation_digest)[0].args_kwargs["args"][0]
    messages.alert_dispatchers(window=window)
    [(user, _channels, subject, body, _dedupe)] = sent
    assert user == dispatcher
    assert "2" in subject
    assert "45" in body
    assert "/console/?flag=escalated&unassigned=on" in body


def test_no_digest_when_every_escalated_case_was_taken_meanwhile(nobody_free, dispatcher, smtp):
    case = aged(open_case(), 30)
    services.escalate_if_waiting(case.pk)
    services.act(Case.objects.get(pk=case.pk), "take", dispatcher)
    window = waiting_rows(tasks.escalation_digest)[0].args_kwargs["args"][0]
    assert messages.alert_dispatchers(window=window) == 0
    assert digests_to(dispatcher) == 0


def test_an_anomaly_still_alerts_dispatchers_at_once(dispatcher, smtp):
    case = open_case()
    services.flag_for_dispatchers(case)
    assert Message.objects.filter(recipient=dispatcher, dedupe_key__startswith="escalated:")
