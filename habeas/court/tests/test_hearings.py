"""A lawyer records a hearing and its decision; Habeas keeps where and before whom sealed,
computes the appeal deadline, reminds the lawyer, and forgets it all with the case."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from habeas.accounts.models import AuditEntry
from habeas.cases import services as cases
from habeas.cases.models import Case, EventKind
from habeas.console.tests.helpers import open_case
from habeas.court import services as court
from habeas.court.models import Decision, Hearing
from habeas.court.tasks import remind_deadline, remind_hearing
from habeas.notifications.models import Message


@pytest.fixture
def taken(lawyer_a):
    case = open_case()
    cases.transition(case.pk, "take", actor=lawyer_a)
    return Case.objects.get(pk=case.pk)


def in_two_days_at(hour: int) -> datetime:
    # Two days ahead, so the evening-before reminder is still to come whenever this runs.
    day = timezone.localdate() + timedelta(days=2)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def hearing_of(case, lawyer, **extra) -> Hearing:
    fields = {
        "starts_at": in_two_days_at(11),
        "court": "Тверской районный суд",
        "address": "ул. Цветной бульвар, 25А",
        "judge": "Иванова А. А.",
        "article": "ч. 5 ст. 20.2",
    }
    return court.record_hearing(case, by=lawyer, **(fields | extra))


def test_a_hearing_is_kept_sealed_and_its_lawyer_reminded_the_evening_before(taken, lawyer_a, smtp):
    hearing = hearing_of(taken, lawyer_a)
    raw = bytes(Hearing.objects.get().sealed)
    assert "Тверской".encode() not in raw and "Иванова".encode() not in raw
    details = court.details_of(hearing)
    assert (details.court, details.article) == ("Тверской районный суд", "20.2 ч. 5")
    event = taken.events.get(kind=EventKind.HEARING)
    assert event.data == {"hearing": hearing.pk, "at": hearing.starts_at.isoformat()}
    assert AuditEntry.objects.filter(actor=lawyer_a, what="hearing recorded").exists()
    [row] = DBTaskResult.objects.filter(task_path=remind_hearing.module_path)
    assert timezone.localtime(row.run_after).hour == 18
    assert timezone.localdate(row.run_after) == timezone.localdate() + timedelta(days=1)
    assert remind_hearing.call(hearing.pk) == "reminded"
    reminder = Message.objects.get(recipient=lawyer_a, dedupe_key__startswith="hearing-eve:")
    assert reminder.channel == "email"


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"court": "  "}, "court_required"),
        ({"court": "x" * 201}, "text_too_long"),
        ({"article": "hooliganism"}, "bad_article"),
        ({"starts_at": "tomorrow"}, "bad_hearing_time"),
        ({"starts_at": timezone.now() - timedelta(days=31)}, "hearing_too_old"),
        ({"starts_at": timezone.now() + timedelta(days=400)}, "hearing_too_far"),
    ],
)
def test_a_bad_hearing_is_refused_and_nothing_is_kept(taken, lawyer_a, extra, code):
    with pytest.raises(court.CourtRefused) as refused:
        hearing_of(taken, lawyer_a, **extra)
    assert refused.value.code == code
    assert not Hearing.objects.exists()
    assert not taken.events.filter(kind=EventKind.HEARING).exists()


def past_hearing(case, lawyer) -> Hearing:
    hearing = hearing_of(case, lawyer)
    Hearing.objects.filter(pk=hearing.pk).update(starts_at=timezone.now() - timedelta(days=2))
    return Hearing.objects.get(pk=hearing.pk)


def test_a_fine_gets_its_appeal_deadline_and_two_reminders(taken, lawyer_a, smtp):
    hearing = past_hearing(taken, lawyer_a)
    copy = timezone.localdate() - timedelta(days=1)
    decision = court.record_decision(
        hearing, outcome="fine", fine_rub="15000", copy_received_on=copy, by=lawyer_a
    )
    assert decision.fine_rub == 15000 and decision.arrest_days is None
    assert decision.appeal_deadline >= copy + timedelta(days=10)
    rows = DBTaskResult.objects.filter(task_path=remind_deadline.module_path)
    assert sorted(r.args_kwargs["args"][1] for r in rows) == [1, 3]
    assert taken.events.get(kind=EventKind.DECISION).data["outcome"] == "fine"
    assert remind_deadline.call(decision.pk, 3) == "reminded"
    assert Message.objects.filter(dedupe_key__startswith=f"appeal-due:{decision.pk}:3").exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"outcome": "hanging"}, "bad_outcome"),
        ({"outcome": "fine"}, "amount_required"),
        ({"outcome": "fine", "fine_rub": "-5"}, "amount_out_of_range"),
        ({"outcome": "arrest", "arrest_days": "31"}, "amount_out_of_range"),
        ({"outcome": "work", "work_hours": "lots"}, "amount_out_of_range"),
        ({"outcome": "warning", "copy_received_on": "2025-01-01"}, "bad_copy_date"),
        ({"outcome": "warning", "copy_received_on": date(2000, 1, 1)}, "copy_before_hearing"),
        (
            {"outcome": "warning", "copy_received_on": timezone.localdate() + timedelta(days=1)},
            "copy_in_future",
        ),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_is_kept(taken, lawyer_a, fields, code):
    hearing = past_hearing(taken, lawyer_a)
    fields = {"copy_received_on": timezone.localdate()} | fields
    with pytest.raises(court.CourtRefused) as refused:
        court.record_decision(hearing, by=lawyer_a, **fields)
    assert refused.value.code == code
    assert not Decision.objects.exists()


def test_a_decision_is_recorded_once(taken, lawyer_a):
    hearing = past_hearing(taken, lawyer_a)
    today = timezone.localdate()
    court.record_decision(hearing, outcome="warning", copy_received_on=today, by=lawyer_a)
    with pytest.raises(court.CourtRefused) as again:
        court.record_decision(hearing, outcome="dismissed", copy_received_on=today, by=lawyer_a)
    assert again.value.code == "already_decided"


def test_an_arrest_says_its_last_day(taken, lawyer_a):
    hearing = past_hearing(taken, lawyer_a)
    decision = court.record_decision(
        hearing,
        outcome="arrest",
        arrest_days=15,
        copy_received_on=timezone.localdate(),
        by=lawyer_a,
    )
    assert decision.arrest_ends_on == timezone.localdate(hearing.starts_at) + timedelta(days=14)


def test_hearings_go_with_the_cases_personal_data(taken, lawyer_a):
    hearing_of(taken, lawyer_a)
    cases.forget_details(taken.pk)
    assert not Hearing.objects.exists()


def test_the_upcoming_list_is_a_lawyers_own_and_a_dispatchers_whole(
    taken, lawyer_a, lawyer_b, dispatcher
):
    hearing_of(taken, lawyer_a)
    other = open_case(name="Пётр Сидоров")
    cases.transition(other.pk, "take", actor=lawyer_b)
    hearing_of(Case.objects.get(pk=other.pk), lawyer_b)
    assert len(court.upcoming(lawyer_a)[0]) == 1
    assert len(court.upcoming(dispatcher)[0]) == 2
