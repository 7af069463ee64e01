import json

import pytest

from conftest import DETAINEE_BODY
from habeas.cases.models import Case, EventKind, Report


def test_an_sos_answers_201_with_case_id_token_and_status(phone):
    response = phone.sos(DETAINEE_BODY)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"case_id", "status_token", "status", "merged"}
    assert body["status"] == "open" and body["merged"] is False
    assert Case.objects.get(public_id=body["case_id"])


def test_repeating_the_same_key_answers_200_with_the_same_case_and_creates_nothing(phone):
    first = phone.sos(DETAINEE_BODY, key="repeat-key-0001").json()
    again = phone.sos(DETAINEE_BODY, key="repeat-key-0001")
    assert again.status_code == 200
    assert again.json() == first
    assert Case.objects.count() == Report.objects.count() == 1


def test_an_sos_without_person_or_location_is_accepted(phone):
    assert phone.sos({}).status_code == 201
    assert phone.sos({"kind": "search", "person": None, "location": None}).status_code == 201


def test_empty_detail_fields_are_accepted(phone):
    body = {"person": {"full_name": "", "phone": "", "note": "", "date_of_birth": None}}
    assert phone.sos(body).status_code == 201


def test_the_status_shows_the_public_timeline_and_the_hotline(detainee, settings):
    settings.HABEAS_HOTLINE_PHONE = "+7 495 000-11-22"
    response = detainee.status()
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "received"
    assert body["hotline_phone"] == "+7 495 000-11-22"
    assert [e["kind"] for e in body["events"]] == ["reported"]
    assert "Мария" not in response.content.decode()


def test_the_status_answers_304_while_nothing_changed(detainee, dispatcher):
    first = detainee.status()
    etag = first["ETag"]
    unchanged = detainee.client.get(
        "/api/v1/cases/status", headers={**detainee.auth(), "If-None-Match": etag}
    )
    assert unchanged.status_code == 304
    from habeas.cases import services

    case = Case.objects.get(public_id=detainee.case_id)
    services.transition(case.pk, "take", actor=dispatcher)
    changed = detainee.client.get(
        "/api/v1/cases/status", headers={**detainee.auth(), "If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.json()["stage"] == "lawyer_assigned"


def test_the_status_message_follows_the_language(detainee):
    ru = detainee.client.get("/api/v1/cases/status", headers={**detainee.auth()})
    en = detainee.client.get(
        "/api/v1/cases/status", headers={**detainee.auth(), "Accept-Language": "en"}
    )
    assert ru.json()["message"] != en.json()["message"]
    assert "lawyer" in en.json()["message"]


def test_staff_notes_never_reach_the_status(detainee, dispatcher):
    from habeas.cases import services

    case = Case.objects.get(public_id=detainee.case_id)
    services.transition(case.pk, "note", actor=dispatcher, note="звонила мама")
    body = detainee.status().json()
    assert "note" not in [e["kind"] for e in body["events"]]
    assert "мама" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 500])
def test_a_wrong_status_token_gets_401(phone, token):
    response = phone.client.get(
        "/api/v1/cases/status", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_status_without_a_token_gets_401(stranger, detainee):
    assert stranger.get("/api/v1/cases/status").status_code == 401
    assert stranger.post("/api/v1/cases/withdraw").status_code == 401
    case = Case.objects.get(public_id=detainee.case_id)
    assert case.status == "open" and not case.events.filter(kind=EventKind.WITHDRAWN).exists()


def test_withdrawing_closes_the_case_as_a_false_alarm_once(detainee):
    response = detainee.withdraw()
    assert response.status_code == 200
    assert response.json()["stage"] == "withdrawn"
    assert response.json()["closed"] is True
    assert Case.objects.get(public_id=detainee.case_id).close_reason == "false_alarm"
    assert detainee.withdraw().status_code == 409
    case = Case.objects.get(public_id=detainee.case_id)
    assert case.events.filter(kind=EventKind.WITHDRAWN).count() == 1
    assert (case.status, case.close_reason) == ("closed", "false_alarm")


def test_the_openapi_document_describes_the_three_endpoints(stranger):
    spec = stranger.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/cases", "/api/v1/cases/status", "/api/v1/cases/withdraw"} <= set(spec["paths"])
    params = spec["paths"]["/api/v1/cases"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in params)
