"""Bad input gets a 4xx with a message per field; nothing is created, nothing crashes."""

import json

import pytest

from habeas.cases.models import Case


def post(phone, raw: str | bytes, key: str | None = "bad-input-key-01", ctype="application/json"):
    headers = {"Idempotency-Key": key} if key else {}
    return phone.client.post("/api/v1/cases", raw, content_type=ctype, headers=headers)


def fields(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def codes(response) -> dict[str, str]:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person": {"date_of_birth": "2999-01-01"}}, "person.date_of_birth"),
        ({"person": {"date_of_birth": "1800-01-01"}}, "person.date_of_birth"),
        ({"person": {"date_of_birth": "12.04.1995"}}, "person.date_of_birth"),
        ({"person": {"full_name": 42}}, "person.full_name"),
        ({"person": {"full_name": "x" * 201}}, "person.full_name"),
        ({"person": {"phone": "call me maybe"}}, "person.phone"),
        ({"person": {"note": "x" * 1001}}, "person.note"),
        ({"location": {"lat": 91, "lon": 0}}, "location.lat"),
        ({"location": {"lat": 0, "lon": -181}}, "location.lon"),
        ({"location": {"lat": "north", "lon": 0}}, "location.lat"),
        ({"location": {"lon": 37.6}}, "location.lat"),
        ({"location": {"lat": 1, "lon": 1, "accuracy_m": -5}}, "location.accuracy_m"),
        (
            {"location": {"lat": 1, "lon": 1, "captured_at": "2999-01-01T00:00:00Z"}},
            "location.captured_at",
        ),
        ({"kind": "party"}, "kind"),
        ({"person": "Мария"}, "person"),
        ({"city": "12345"}, "city"),
        ({"city": "<script>"}, "city"),
        ({"city": "x" * 101}, "city"),
        ({"city": 7}, "city"),
    ],
)
def test_each_bad_field_is_named_with_a_message(phone, body, field):
    response = post(phone, json.dumps(body))
    assert response.status_code == 422
    assert field in fields(response), response.json()
    assert fields(response)[field]
    assert Case.objects.count() == 0


def test_several_bad_fields_are_all_reported_at_once(phone):
    body = {"person": {"date_of_birth": "2999-01-01"}, "location": {"lat": 100, "lon": 200}}
    assert set(fields(post(phone, json.dumps(body)))) == {
        "person.date_of_birth",
        "location.lat",
        "location.lon",
    }
    assert Case.objects.count() == 0


@pytest.mark.parametrize("raw", ["{bad", "", "[1,2", b"\xff\xfe"])
def test_malformed_json_is_a_400_or_422_with_a_message(phone, raw):
    response = post(phone, raw)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert response.json()["errors"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("raw", ["[]", '"sos"', "42", "null"])
def test_json_that_is_not_an_object_is_refused(phone, raw):
    response = post(phone, raw)
    assert 400 <= response.status_code < 500
    assert Case.objects.count() == 0


def test_an_oversized_body_is_refused_with_413(phone, settings):
    response = post(phone, json.dumps({"person": {"note": "x" * 20_000}}))
    assert response.status_code == 413
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in response.json()["detail"]
    assert Case.objects.count() == 0


def test_a_missing_idempotency_key_is_a_400(phone):
    response = post(phone, "{}", key=None)
    assert response.status_code == 400
    assert codes(response) == {"Idempotency-Key": "key_required"}


@pytest.mark.parametrize("key", ["short", "has spaces in it", "ключ-на-русском", "x" * 101])
def test_a_malformed_idempotency_key_is_a_400(phone, key):
    response = phone.client.post(
        "/api/v1/cases",
        "{}",
        content_type="application/json",
        headers={"Idempotency-Key": key.encode("utf-8").decode("latin-1")},
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in fields(response)


def test_a_key_reused_with_a_different_body_is_a_409_and_keeps_the_first_case(phone):
    assert phone.sos({"kind": "detention"}, key="reused-key-0001").status_code == 201
    response = phone.sos({"kind": "search"}, key="reused-key-0001")
    assert response.status_code == 409
    assert codes(response) == {"Idempotency-Key": "key_reused"}
    assert Case.objects.get().kind == "detention"
