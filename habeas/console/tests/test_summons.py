import json
from datetime import timedelta

from django.utils import timezone

from conftest import staff_client


def summons(phone, days: int, key: str):
    when = (timezone.localdate() + timedelta(days=days)).isoformat()
    body = {
        "kind": "summons",
        "person": {"full_name": "Пётр Сидоров"},
        "summons": {"date": when, "time": "10:30", "reason": "witness"},
    }
    response = phone.client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201
    return response.json()["case_id"]


def test_staff_see_upcoming_summons_soonest_first_without_names(phone, lawyer_a):
    later = summons(phone, 5, "summons-later-01")
    sooner = summons(phone, 1, "summons-soon-001")
    html = staff_client(lawyer_a).get("/console/requests/").content.decode()
    assert html.index(sooner) < html.index(later)
    assert "Сидоров" not in html


def test_the_summons_list_needs_a_login(stranger):
    assert stranger.get("/console/requests/").status_code == 302
