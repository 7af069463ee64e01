"""Closed cases lose their personal data on schedule; the detainee can erase theirs any time."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from habeas.cases import services
from habeas.cases.models import Case, CaseEvent, Report


def close(detainee, dispatcher) -> Case:
    case = Case.objects.get(public_id=detainee.case_id)
    services.transition(case.pk, "note", actor=dispatcher, note="мама: +79160000000")
    return services.transition(case.pk, "close", actor=dispatcher, note="отпустили")


def test_closing_schedules_the_purge_at_the_retention_date(detainee, dispatcher, settings):
    settings.HABEAS_RETENTION_DAYS = 30
    case = close(detainee, dispatcher)
    task = DBTaskResult.objects.get(task_path="habeas.cases.tasks.purge_case")
    assert task.args_kwargs["args"] == [case.pk]
    assert abs(task.run_after - case.purge_after) < timedelta(seconds=1)


def test_the_purge_destroys_details_and_notes_but_keeps_the_facts(
    detainee, dispatcher, run_tasks, stations
):
    case = close(detainee, dispatcher)
    run_tasks()
    assert Report.objects.get().sealed is not None, "not before its date"
    events = case.events.count()
    Case.objects.filter(pk=case.pk).update(purge_after=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    report = Report.objects.get()
    assert report.sealed is None
    assert report.blind_index == ""
    assert not CaseEvent.objects.filter(sealed_note__isnull=False).exists()
    case.refresh_from_db()
    assert (case.status, case.kind, case.lat_coarse) == ("closed", "detention", None)
    assert case.events.count() == events
    assert detainee.status().json()["stage"] == "closed"


def test_open_cases_are_never_purged(detainee, dispatcher):
    Case.objects.update(purge_after=timezone.now() - timedelta(days=1))
    assert services.purge_due() == 0
    assert Report.objects.get().sealed is not None


def test_the_detainee_erases_their_details_from_the_status_screen(detainee):
    response = detainee.client.post("/api/v1/cases/forget", headers=detainee.auth())
    assert response.status_code == 200
    assert Report.objects.get().sealed is None
    assert detainee.status().status_code == 200
