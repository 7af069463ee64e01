"""A relative or witness reports someone: their role and contact are kept, sealed; an unknown
field is refused, not dropped."""

import json

import pytest

from conftest import DETAINEE_BODY
from habeas.cases import services as cases
from habeas.cases.models import Report

RELATIVE = {
    "kind": "detention",
    "person": {"full_name": "Мария Иванова", "date_of_birth": "1995-04-12"},
    "reporter_role": "relative",
    "reporter": {
        "name": "Ольга Иванова",
        "phone": "+7 916 000-11-22",
        "telegram": "123456789",
        "email": "olga@example.org",
        "relation": "сестра",
    },
}


def test_a_relatives_report_keeps_the_role_and_seals_the_reporter(phone):
    response = phone.sos(RELATIVE)
    assert response.status_code == 201 and response.json()["merged"] is False
    report = Report.objects.get()
    assert report.reporter_role == "relative"
    assert b"+7 916 000-11-22" not in bytes(report.sealed)
    reporter = cases.open_details(report)["reporter"]
    assert reporter == {**RELATIVE["reporter"]}


def test_a_relatives_report_of_someone_already_reported_joins_the_case(detainee, phone):
    response = phone.sos(RELATIVE)
    assert response.status_code == 201
    assert response.json()["merged"] is True
    assert response.json()["case_id"] == detainee.case_id


def test_reporter_role_defaults_to_self(phone):
    assert phone.sos(DETAINEE_BODY).status_code == 201
    assert Report.objects.get().reporter_role == "self"


@pytest.mark.parametrize(
    "body, field",
    [
        (DETAINEE_BODY | {"reporter_rol": "relative"}, "reporter_rol"),
        (RELATIVE | {"reporter": {"name": "Ольга", "address": "x"}}, "reporter.address"),
        (
            DETAINEE_BODY | {"person": {"full_name": "Мария", "middle_name": "x"}},
            "person.middle_name",
        ),
        (RELATIVE | {"reporter_role": "cousin"}, "reporter_role"),
        (RELATIVE | {"reporter": {"phone": "call me"}}, "reporter.phone"),
        (RELATIVE | {"reporter": {"email": "olga"}}, "reporter.email"),
        (RELATIVE | {"reporter": {"telegram": "@olga"}}, "reporter.telegram"),
        (RELATIVE | {"reporter": {"name": "x" * 201}}, "reporter.name"),
        (RELATIVE | {"reporter_role": "self"}, "body"),
    ],
)
def test_an_unknown_or_bad_field_is_refused_with_422_naming_it(phone, body, field):
    response = phone.sos(body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Report.objects.exists()


def test_the_openapi_document_names_the_new_fields_and_forbids_others(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"reporter_role", "reporter"} <= set(schemas["SosIn"]["properties"])
    assert schemas["SosIn"]["additionalProperties"] is False
    assert schemas["ReporterIn"]["additionalProperties"] is False
    assert "merged" in schemas["SosOut"]["properties"]


def test_a_timer_with_an_unknown_field_is_refused(phone):
    response = phone.client.post(
        "/api/v1/timers",
        json.dumps(
            {"deadline": "2030-01-01T10:00:00+03:00", "pin": "2468", "duress_pin": "1357", "x": 1}
        ),
        content_type="application/json",
        headers={"Idempotency-Key": "timer-extra-field-1"},
    )
    assert response.status_code == 422
    assert "x" in {e["field"] for e in response.json()["errors"]}
