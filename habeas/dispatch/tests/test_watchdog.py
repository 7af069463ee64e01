"""A case whose dispatch task was lost (its worker killed mid-run, the database gone under it,
a deadlock) is dispatched again by the watchdog, and only such a case: never one a task is
queued for, never one nobody could take, never to two lawyers at once."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import DETAINEE_BODY, Phone
from habeas.cases.models import Case
from habeas.dispatch import services, tasks, watchdog
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer


def dispatch_rows(case: Case):
    return DBTaskResult.objects.filter(
        task_path=tasks.dispatch_case.module_path, args_kwargs={"args": [case.pk], "kwargs": {}}
    )


def lose_dispatch(phone, how: str, body=DETAINEE_BODY) -> Case:
    """Send an SOS and lose its dispatch_case the way a crash does, before it offered."""
    assert phone.sos(body).status_code == 201
    case = Case.objects.get(public_id=phone.case_id)
    rows = dispatch_rows(case)
    assert rows.filter(status=TaskResultStatus.READY).count() == 1
    if how == "killed mid-run":  # claimed by a worker that then died: RUNNING for ever
        rows.update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - timedelta(minutes=5),
            worker_ids=["killed-worker"],
        )
    elif how == "failed on the database":
        rows.update(
            status=TaskResultStatus.FAILED,
            exception_class_path="django.db.utils.OperationalError",
            finished_at=timezone.now(),
        )
    else:  # gone altogether
        rows.delete()
    return case


@pytest.mark.parametrize("how", ["killed mid-run", "failed on the database", "deleted"])
def test_a_case_whose_dispatch_was_lost_is_offered_after_the_watchdogs_round(
    phone, near_tverskoy, run_tasks, how
):
    anna, _ = near_tverskoy
    case = lose_dispatch(phone, how)
    run_tasks()
    assert not Offer.objects.filter(case=case).exists(), "nothing else offers it"

    swept = watchdog.sweep()
    assert swept.redispatched == [case.pk]
    run_tasks()
    [offer] = Offer.objects.filter(case=case)
    assert (offer.lawyer, offer.state) == (anna, OfferState.PENDING)


def test_the_next_round_finds_nothing_once_the_case_is_offered(phone, near_tverskoy, run_tasks):
    case = lose_dispatch(phone, "deleted")
    watchdog.sweep()
    assert watchdog.sweep().redispatched == [], "its dispatch_case is queued now"
    run_tasks()
    assert watchdog.sweep().redispatched == [], "it has a pending offer now"
    assert Offer.objects.filter(case=case).count() == 1


def test_a_case_whose_dispatch_is_queued_is_left_to_it(phone, near_tverskoy):
    assert phone.sos(DETAINEE_BODY).status_code == 201  # its dispatch_case waits, not run yet
    assert watchdog.sweep().redispatched == []


def test_a_dispatch_a_living_worker_is_running_now_is_left_to_it(phone, near_tverskoy):
    case = lose_dispatch(phone, "killed mid-run")
    rows = dispatch_rows(case)
    rows.update(started_at=timezone.now() - watchdog.FRESH + timedelta(seconds=2))
    assert watchdog.sweep().redispatched == [], "started a moment ago: still in flight"
    rows.update(started_at=timezone.now() - watchdog.FRESH - timedelta(seconds=1))
    assert watchdog.sweep().redispatched == [case.pk], "that long: lost with its worker"


def test_the_lost_task_run_again_as_well_makes_no_second_offer(phone, near_tverskoy, run_tasks):
    case = lose_dispatch(phone, "killed mid-run")
    watchdog.sweep()
    # The dead worker's task is handed on too (habeas.ops.leftovers): both run.
    dispatch_rows(case).filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY
    )
    run_tasks()
    assert Offer.objects.filter(case=case).count() == 1
    results = dispatch_rows(case).values_list("return_value", flat=True)
    assert sorted(results) == ["no offer", f"offered {Offer.objects.get(case=case).pk}"]


def test_when_no_lawyer_has_room_waiting_cases_are_not_dispatched_again(
    phone, near_tverskoy, run_tasks
):
    Lawyer.objects.update(on_duty=False)
    case = lose_dispatch(phone, "deleted")
    run_tasks()
    assert watchdog.sweep().redispatched == []
    assert not dispatch_rows(case).exists()
    Lawyer.objects.update(on_duty=True)  # came on duty without the console (no dispatch_waiting)
    assert watchdog.sweep().redispatched == [case.pk]


def test_a_case_no_free_lawyer_covers_is_not_dispatched_again(phone, lawyer_a, run_tasks):
    # Anna covers only St Petersburg; the SOS is from Moscow.
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=59.93, base_lon=30.33, radius_km=20)
    lose_dispatch(phone, "deleted")
    assert watchdog.sweep().redispatched == []


def test_a_case_every_free_lawyer_was_tried_on_is_not_dispatched_again(
    phone, near_tverskoy, run_tasks
):
    anna, boris = near_tverskoy
    case = lose_dispatch(phone, "deleted")
    for lawyer in (anna, boris):
        Offer.objects.create(
            case=case, lawyer=lawyer, state=OfferState.DECLINED, expires_at=timezone.now()
        )
    assert watchdog.sweep().redispatched == []


def test_a_queued_dispatch_of_every_waiting_case_leaves_the_round_to_it(
    phone, near_tverskoy, run_tasks
):
    lose_dispatch(phone, "deleted")
    services.capacity_freed()  # enqueues dispatch_waiting
    assert watchdog.sweep().redispatched == []


def test_the_most_urgent_lost_case_is_dispatched_first(near_tverskoy, run_tasks):
    other = {
        **DETAINEE_BODY,
        "person": {"full_name": "Пётр Сидоров", "date_of_birth": "1990-01-02"},
    }
    older = lose_dispatch(Phone(), "deleted")
    newer = lose_dispatch(Phone(), "deleted", other)
    Case.objects.filter(pk=newer.pk).update(priority=older.priority + 1)
    assert watchdog.sweep().redispatched == [newer.pk, older.pk]


def test_an_offer_whose_expiry_was_lost_runs_out_and_the_case_goes_to_the_next_lawyer(
    phone, near_tverskoy, run_tasks
):
    _, boris = near_tverskoy
    assert phone.sos(DETAINEE_BODY).status_code == 201
    run_tasks()
    case = Case.objects.get(public_id=phone.case_id)
    offer = Offer.objects.get(case=case)
    # The deadline passed, and the worker that took expire_offer died in it.
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    DBTaskResult.objects.filter(task_path=tasks.expire_offer.module_path).update(
        status=TaskResultStatus.RUNNING, worker_ids=["killed-worker"]
    )
    assert watchdog.sweep().expired == [offer.pk]
    run_tasks()
    offer.refresh_from_db()
    assert offer.state == OfferState.EXPIRED
    assert Offer.objects.get(case=case, state=OfferState.PENDING).lawyer == boris


def test_an_offer_just_past_its_deadline_is_left_to_its_own_task(phone, near_tverskoy, run_tasks):
    assert phone.sos(DETAINEE_BODY).status_code == 201
    run_tasks()
    Offer.objects.update(expires_at=timezone.now() - timedelta(seconds=5))
    DBTaskResult.objects.filter(task_path=tasks.expire_offer.module_path).delete()
    assert watchdog.sweep().expired == [], "within the grace, its task may still be on its way"
