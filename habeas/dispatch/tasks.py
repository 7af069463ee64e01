"""Background dispatch work (django.tasks on the database backend)."""

from datetime import datetime

from django.tasks import task

from . import messages, services


def enqueue_once(scheduled, run_after: datetime, *args) -> None:
    """Enqueue `scheduled(*args)` to run at `run_after`, unless that very run is already
    waiting. Inside the caller's transaction, like any enqueue: rolled back with it.

    Two workers racing may still both enqueue it; the tasks using this are harmless twice.
    Only the database backend can be asked; any other backend simply enqueues.
    """
    from django.tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(task_backends[scheduled.backend], DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=scheduled.module_path,
            status="READY",
            run_after=run_after,
            args_kwargs={"args": list(args), "kwargs": {}},
        )
        if waiting.exists():
            return
    scheduled.using(run_after=run_after).enqueue(*args)


def waiting_args(scheduled) -> list[list] | None:
    """The arguments of every run of `scheduled` waiting in the queue (whenever it is due).

    Waiting rows are the queue itself, served by django-tasks-db's index of ready rows, so
    this stays as cheap as the queue is short. None on a backend that cannot be asked.
    """
    from django.tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[scheduled.backend], DatabaseBackend):
        return None
    rows = DBTaskResult.objects.filter(task_path=scheduled.module_path, status="READY")
    return [kwargs["args"] for kwargs in rows.values_list("args_kwargs", flat=True)]


def running_args(scheduled, since: datetime) -> list[list]:
    """The arguments of every run of `scheduled` that a worker started after `since` and has
    not finished. The library has no index for running rows: call it only when needed."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        task_path=scheduled.module_path, status="RUNNING", started_at__gte=since
    )
    return [kwargs["args"] for kwargs in rows.values_list("args_kwargs", flat=True)]


@task
def dispatch_case(case_id: int) -> str:
    """Offer a case to the next lawyer, or escalate it."""
    offer = services.offer_next(case_id)
    return f"offered {offer.pk}" if offer else "no offer"


@task
def expire_offer(offer_id: int) -> str:
    """Run at an offer's deadline: if still unanswered, move on to the next lawyer."""
    return "expired" if services.expire(offer_id) else "already answered"


@task
def dispatch_waiting() -> int:
    """Offer every waiting case again, in triage order; return how many got an offer."""
    return sum(1 for case_id in services.waiting_cases() if services.offer_next(case_id))


@task
def escalate_if_waiting(case_id: int) -> str:
    """Run when a case will have waited HABEAS_ESCALATE_AFTER_MINUTES: escalate it if nobody
    accepted it yet."""
    return "escalated" if services.escalate_if_waiting(case_id) else "not needed"


@task
def escalation_digest(window: int) -> int:
    """Run at the end of a digest window: tell each dispatcher, once, about the escalated
    cases still waiting. Returns how many dispatchers were told."""
    return messages.alert_dispatchers(window=window)


@task
def remind_request(case_id: int, due_at: str) -> str:
    """The evening before a request's day (the summons, the hearing, the day asked for), the
    lawyer who took it is reminded: the case id and a link, never the person."""
    return services.remind_of_request(case_id, due_at)
