"""One person, one case: reports with the same name and date of birth join one case."""

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from habeas.cases import services as cases
from habeas.cases.models import Case, CaseEvent, EventKind, PersonClaim, Report
from habeas.cases.status import public_status

_keys = itertools.count(1)
BORN = date(1995, 4, 12)


def report(name="Мария Иванова", born=BORN, role="self", kind="detention", **intake):
    person = cases.Person(full_name=name, date_of_birth=born)
    reporter = cases.Reporter(name="Ольга", relation="сестра") if role != "self" else None
    intake = cases.Intake(kind=kind, person=person, reporter_role=role, reporter=reporter, **intake)
    return cases.open_case(intake, idempotency_key=f"person-test-{next(_keys):06d}")


def close(case: Case, *, reason="closed", hours_ago=1) -> None:
    Case.objects.filter(pk=case.pk).update(
        status="closed",
        close_reason=reason,
        closed_at=timezone.now() - timedelta(hours=hours_ago),
    )


@pytest.mark.django_db
def test_two_spellings_of_one_person_with_a_birth_date_make_one_case_with_two_reports():
    first = report("Мария Иванова")
    second = report("  иванова   МАРИЯ ", role="relative")
    assert second.merged and second.created and not first.merged
    assert second.case.pk == first.case.pk
    assert Case.objects.count() == 1
    assert Report.objects.filter(case=first.case).count() == 2
    assert CaseEvent.objects.filter(case=first.case, kind=EventKind.MERGED).count() == 1


@pytest.mark.django_db
def test_every_reporters_status_token_sees_the_same_case():
    first, second = report(), report(role="witness")
    assert first.status_token != second.status_token
    assert cases.case_for_token(first.status_token) == cases.case_for_token(second.status_token)


@pytest.mark.django_db
def test_a_report_without_a_birth_date_is_never_merged_automatically():
    report()
    undated = report(born=None, role="relative")
    assert not undated.merged and Case.objects.count() == 2


@pytest.mark.django_db
def test_the_same_name_with_another_birth_date_is_someone_else():
    report()
    assert not report(born=date(1995, 4, 13)).merged


@pytest.mark.django_db
def test_a_retry_of_a_merged_report_answers_merged_again_and_adds_nothing():
    report()
    key = "person-test-retry-1"
    intake = cases.Intake(
        person=cases.Person(full_name="Мария Иванова", date_of_birth=BORN),
        reporter_role="relative",
        reporter=cases.Reporter(),
    )
    once = cases.open_case(intake, idempotency_key=key)
    again = cases.open_case(intake, idempotency_key=key)
    assert once.merged and again.merged and not again.created
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_a_relatives_report_joins_a_case_closed_less_than_a_day_ago_but_not_an_older_one():
    recent = report().case
    close(recent, hours_ago=23)
    assert report(role="relative").case.pk == recent.pk
    close(recent, hours_ago=25)
    assert report(role="relative").case.pk != recent.pk


@pytest.mark.django_db
@pytest.mark.parametrize("why", ["own new SOS", "withdrawn", "merged away", "summons"])
def test_a_new_emergency_never_joins_a_closed_case_or_another_kind(why):
    earlier = report().case
    if why == "own new SOS":
        close(earlier)
        later = report(role="self")
    elif why == "summons":
        later = report(kind="summons", role="relative")
    else:
        # The police holding the phone can withdraw it: a friend's report must still go out.
        close(earlier, reason="false_alarm" if why == "withdrawn" else "merged")
        later = report(role="relative")
    assert not later.merged and later.case.pk != earlier.pk


@pytest.mark.django_db
def test_a_case_whose_details_were_destroyed_takes_no_later_report():
    first = report().case
    cases.forget_details(first.pk)
    assert not PersonClaim.objects.filter(case=first).exists()
    assert report(role="relative").case.pk != first.pk


@pytest.mark.django_db
def test_that_others_reported_too_stays_off_the_familys_timeline():
    case = report().case
    report(role="relative")
    kinds = {e.kind for e in public_status(case).events}
    assert EventKind.REPORTED in kinds and EventKind.MERGED not in kinds


@pytest.mark.django_db
def test_the_claim_table_holds_one_keyed_hash_per_person_and_no_name():
    case = report().case
    report(role="relative")
    claim = PersonClaim.objects.get()
    assert claim.case_id == case.pk and len(claim.blind_index) == 64
    assert "Иванова" not in claim.blind_index
