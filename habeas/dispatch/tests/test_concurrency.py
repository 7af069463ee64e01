"""Two workers at once: never two offers for one case, never a lawyer over capacity."""

import threading
from datetime import date

import pytest
from django.db import connection

from habeas.cases import services as cases
from habeas.cases.models import Case, Report
from habeas.dispatch import services
from habeas.dispatch.models import Offer, OfferState
from habeas.lawyers.models import Lawyer


def in_parallel(n: int, work) -> None:
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_one_case_dispatched_by_many_workers_gets_exactly_one_offer(lawyer_a, lawyer_b):
    case = cases.open_case(cases.Intake(city="Москва"), idempotency_key="parallel-case-1").case
    in_parallel(8, lambda _: services.offer_next(case.pk))
    assert Offer.objects.filter(case=case, state=OfferState.PENDING).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_cases_at_once_never_push_a_lawyer_over_capacity(lawyer_a, stations):
    Lawyer.objects.filter(user=lawyer_a).update(capacity=2)
    # All at one station, so one lawyer may hold several of them (one place at a time).
    here = cases.Intake(location=cases.Location(lat=55.7649, lon=37.6116))
    ids = [
        cases.open_case(here, idempotency_key=f"parallel-many-{i:03d}").case.pk for i in range(8)
    ]
    in_parallel(8, lambda i: services.offer_next(ids[i]))
    pending = Offer.objects.filter(lawyer=lawyer_a, state=OfferState.PENDING)
    # A worker that finds the lawyer's row locked skips them (PostgreSQL): fewer offers, never
    # more. The cases skipped are still waiting, and the next pass fills the lawyer up.
    assert 1 <= pending.count() <= 2
    for case_id in services.waiting_cases():
        services.offer_next(case_id)
    assert pending.count() == 2


@pytest.mark.django_db(transaction=True)
def test_reports_of_one_person_arriving_at_once_make_one_case_and_one_dispatch():
    from django_tasks_db.models import DBTaskResult

    def report(i: int) -> None:
        # Other spellings of one name, one date of birth: the claim row decides, not a read.
        name = ["Мария Иванова", "иванова мария", "  МАРИЯ  Иванова"][i % 3]
        person = cases.Person(full_name=name, date_of_birth=date(1995, 4, 12))
        role = "self" if i == 0 else "relative"
        intake = cases.Intake(person=person, reporter_role=role)
        services.receive_sos(intake, idempotency_key=f"parallel-person-{i:03d}")

    in_parallel(6, report)
    assert Case.objects.count() == 1
    assert Report.objects.count() == 6
    dispatches = DBTaskResult.objects.filter(task_path="habeas.dispatch.tasks.dispatch_case")
    assert dispatches.count() == 1
