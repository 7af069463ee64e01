from datetime import date

import pytest
from django.db import connection

from habeas.cases import services
from habeas.cases.models import Case, CaseEvent, EventKind, Report
from habeas.lib import geo

PERSON = services.Person(
    full_name="Мария Иванова", date_of_birth=date(1995, 4, 12), phone="+79165550102", note="астма"
)
LOCATION = services.Location(lat=55.7649123, lon=37.6116456, accuracy_m=20)


@pytest.mark.django_db
def test_an_sos_opens_a_case_with_one_report_and_a_reported_event():
    opened = services.open_case(
        services.Intake(person=PERSON, location=LOCATION), idempotency_key="key-00000001"
    )
    assert opened.created
    case = opened.case
    assert case.status == "open"
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.REPORTED]
    assert case.reports.count() == 1
    assert services.open_details(case.reports.get())["person"]["full_name"] == "Мария Иванова"


@pytest.mark.django_db
def test_the_case_keeps_only_a_coarse_location_in_clear():
    case = services.open_case(
        services.Intake(location=LOCATION), idempotency_key="key-00000002"
    ).case
    assert case.lat_coarse == geo.coarse(LOCATION.lat)
    assert case.lat_coarse != LOCATION.lat
    details = services.open_details(case.reports.get())
    assert details["location"]["lat"] == LOCATION.lat


def test_name_phone_and_exact_location_are_not_in_any_raw_database_row(dispatcher):
    case = services.open_case(
        services.Intake(person=PERSON, location=LOCATION), idempotency_key="key-00000003"
    ).case
    services.transition(
        case.pk, "note", actor=dispatcher, note="Мария Иванова, телефон +79165550102"
    )
    with connection.cursor() as cursor:
        rows = []
        for table in (Case._meta.db_table, Report._meta.db_table, CaseEvent._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            rows += cursor.fetchall()
    raw = repr(rows).encode() + b"".join(
        bytes(v) for row in rows for v in row if isinstance(v, bytes | memoryview)
    )
    for secret in ("Мария", "Иванова", "+79165550102", "5550102", "55.7649123", "астма"):
        assert secret.encode() not in raw
        assert secret not in repr(rows)


@pytest.mark.django_db
def test_an_sos_without_details_or_location_still_opens_a_case():
    opened = services.open_case(services.Intake(), idempotency_key="key-00000004")
    assert opened.created
    assert opened.case.lat_coarse is None
    assert services.open_details(opened.case.reports.get())["person"]["full_name"] == ""


@pytest.mark.django_db
def test_a_minor_goes_ahead_of_adults_in_the_queue():
    adult = services.open_case(services.Intake(person=PERSON), idempotency_key="key-adult-01")
    child = services.open_case(
        services.Intake(person=services.Person(date_of_birth=date.today().replace(year=2015))),
        idempotency_key="key-minor-01",
    )
    later_adult = services.open_case(services.Intake(), idempotency_key="key-adult-02")
    assert child.case.is_minor
    assert list(Case.objects.queue()) == [child.case, later_adult.case, adult.case]


@pytest.mark.django_db
def test_the_same_key_and_body_returns_the_same_case_and_token():
    intake = services.Intake(person=PERSON)
    first = services.open_case(intake, idempotency_key="key-00000005")
    again = services.open_case(intake, idempotency_key="key-00000005")
    assert not again.created
    assert again.case == first.case
    assert again.status_token == first.status_token
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_conflict():
    services.open_case(services.Intake(person=PERSON), idempotency_key="key-00000006")
    with pytest.raises(services.IdempotencyConflict):
        services.open_case(services.Intake(), idempotency_key="key-00000006")
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_only_the_hash_of_the_status_token_is_stored():
    opened = services.open_case(services.Intake(), idempotency_key="key-00000007")
    report = opened.case.reports.get()
    assert report.status_token_hash != opened.status_token
    assert opened.status_token not in repr(Report.objects.values().get())
    assert services.case_for_token(opened.status_token) == opened.case
    assert services.case_for_token("wrong") is None
