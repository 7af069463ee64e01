"""The SMS gateway's webhook: signed, fresh, and one case per SOS whichever way it came."""

import hashlib
import hmac
import json
import time

import pytest

from habeas.cases.models import Case, Report
from habeas.cases.services import open_details
from habeas.lib import smscodec

SECRET = "gateway-shared-secret"
KEY = "k7Pq2Xz9Lm3W"  # the app's secret idempotency key; the SMS carries its reference
PAYLOAD = f"H1 {smscodec.reference(KEY)} 55.7649,37.6116 19950412 Мария Иванова"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.HABEAS_SMS_WEBHOOK_SECRET = SECRET


def post(client, body: dict, *, secret=SECRET, stamp=None, raw=None):
    raw = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256)
    return client.post(
        "/api/v1/inbound/sms",
        raw,
        content_type="application/json",
        headers={"X-Habeas-Timestamp": stamp, "X-Habeas-Signature": signature.hexdigest()},
    )


def test_a_payload_sms_opens_a_case_with_the_details_and_the_sender(client, db):
    response = post(client, {"from": "+79165550102", "text": PAYLOAD, "id": "gw-1"})
    assert response.status_code == 201
    assert response.json()["payload"] is True
    report = Report.objects.get()
    assert report.channel == "sms"
    details = open_details(report)
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["person"]["date_of_birth"] == "1995-04-12"
    assert details["person"]["phone"] == "+79165550102"
    assert details["location"]["lat"] == 55.7649


def test_the_sms_and_the_apps_later_retry_make_one_case(client, phone, db):
    assert post(client, {"from": "+79165550102", "text": PAYLOAD}).status_code == 201
    retry = phone.sos(
        {"person": {"full_name": "Мария Иванова", "phone": "+7 916 555-01-02"}},
        key=KEY,
    )
    assert retry.status_code == 200
    assert Case.objects.count() == 1
    assert phone.status().status_code == 200


def test_the_app_first_then_the_sms_also_make_one_case(client, phone, db):
    assert phone.sos({"kind": "detention"}, key=KEY).status_code == 201
    response = post(client, {"from": "+79165550102", "text": PAYLOAD})
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert Case.objects.count() == 1


def test_the_gateway_retrying_the_webhook_makes_no_second_case(client, db):
    body = {"from": "+79165550102", "text": "Задержали у метро, ОВД Тверской", "id": "gw-7"}
    assert post(client, body).status_code == 201
    assert post(client, body).status_code == 200
    assert Case.objects.count() == 1


def test_free_text_becomes_a_flagged_case_for_a_dispatcher(client, db):
    response = post(client, {"from": "+79165550102", "text": "Сына задержали на Тверской"})
    assert response.status_code == 201
    assert response.json()["payload"] is False
    case = Case.objects.get()
    assert case.kind == "other"
    assert case.escalated_at is not None
    assert not case.offers.exists()
    assert open_details(case.reports.get())["person"]["note"] == "Сына задержали на Тверской"


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "stale", "future", "no signature", "body changed"],
)
def test_unsigned_stale_or_tampered_webhooks_are_refused(client, db, tamper, caplog):
    body = {"from": "+79165550102", "text": PAYLOAD}
    raw = json.dumps(body, ensure_ascii=False).encode()
    if tamper == "wrong secret":
        response = post(client, body, secret="guess")
    elif tamper == "stale":
        response = post(client, body, stamp=int(time.time()) - 3600)
    elif tamper == "future":
        response = post(client, body, stamp=int(time.time()) + 3600)
    elif tamper == "no signature":
        response = client.post("/api/v1/inbound/sms", raw, content_type="application/json")
    else:
        stamp = str(int(time.time()))
        signature = hmac.new(SECRET.encode(), stamp.encode() + b"." + raw, hashlib.sha256)
        response = client.post(
            "/api/v1/inbound/sms",
            raw.replace("Мария".encode(), "Ольга".encode()),
            content_type="application/json",
            headers={"X-Habeas-Timestamp": stamp, "X-Habeas-Signature": signature.hexdigest()},
        )
    assert response.status_code == 401
    assert Case.objects.count() == 0
    assert "+7916" not in caplog.text and "Мария" not in caplog.text


def test_a_malformed_webhook_body_gets_a_4xx_per_field(client, db):
    response = post(client, {"from": "not a phone", "text": 5})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"from", "text"} <= fields


def test_without_a_configured_secret_the_webhook_is_off(client, db, settings):
    settings.HABEAS_SMS_WEBHOOK_SECRET = ""
    assert post(client, {"from": "+79165550102", "text": PAYLOAD}).status_code == 403
