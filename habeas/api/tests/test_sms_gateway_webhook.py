"""SMS Gateway for Android's webhook: its signature (HMAC-SHA256 of body + timestamp) checked,
its sms:received event opening a case through the same intake as our own SMS webhook, and the
sender told by SMS that it arrived."""

import hashlib
import hmac
import json
import time

import pytest

from habeas.cases.models import Case, Report
from habeas.cases.services import open_details
from habeas.lib import smscodec
from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message

pytestmark = pytest.mark.django_db
KEY = "gateway-signing-key"
PAYLOAD = f"H1 {smscodec.reference('k7Pq2Xz9Lm3W')} 55.7649,37.6116 19950412 Мария Иванова"


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.HABEAS_SMS_GATEWAY_SIGNING_KEY = KEY
    settings.HABEAS_ORG_NAME = "ОВД-Инфо"


def event(text: str = PAYLOAD, sender: str = "+79165550102", kind: str = "sms:received"):
    """An event as the gateway posts it (docs/features/webhooks.md, step 5)."""
    return {
        "deviceId": "ffffffffceb0b1db0000018e937c815b",
        "event": kind,
        "id": "Ey6ECgOkVVFjz3CL48B8C",
        "payload": {
            "messageId": "abc123",
            "message": text,
            "phoneNumber": sender,
            "simNumber": 1,
            "receivedAt": "2026-12-02T15:46:11.000+03:00",
        },
        "webhookId": "LreFUt-Z3sSq0JufY9uWB",
    }


def post(client, body, *, key=KEY, stamp=None, raw=None, signature=None):
    raw = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    signed = hmac.new(key.encode(), raw + stamp.encode(), hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/inbound/sms-gateway",
        raw,
        content_type="application/json",
        headers={"X-Timestamp": stamp, "X-Signature": signature or signed},
    )


def test_an_sos_payload_opens_a_case_and_the_sender_gets_one_short_sms(client, settings):
    settings.DEBUG = True
    response = post(client, event())
    assert response.status_code == 201
    assert response.json()["payload"] is True
    details = open_details(Report.objects.get())
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["person"]["phone"] == "+79165550102"
    [ack] = Message.objects.filter(dedupe_key__contains=":sms-ack:")
    content = open_sealed(ack.sealed, "outbox")
    assert content["address"] == "+79165550102"
    assert Case.objects.get().public_id in content["body"]
    assert "ОВД-Инфо" in content["body"]
    assert len(content["body"]) <= 70, content["body"]


def test_the_gateway_retrying_an_event_makes_no_second_case_or_reply(client, settings):
    settings.DEBUG = True
    assert post(client, event()).status_code == 201
    assert post(client, event()).status_code == 200
    assert Case.objects.count() == 1
    assert Message.objects.filter(dedupe_key__contains=":sms-ack:").count() == 1


def test_free_text_becomes_a_case_for_dispatchers(client):
    response = post(client, event(text="Задержали у метро, помогите"))
    assert response.status_code == 201
    assert response.json()["payload"] is False
    assert Case.objects.get().escalated_at is not None


@pytest.mark.parametrize(
    "change",
    [
        {"key": "another-key"},
        {"signature": "0" * 64},
        {"signature": "not hex"},
        {"stamp": 1},
        {"stamp": "１２３"},
    ],
)
def test_a_request_not_signed_by_the_gateway_is_refused_and_stores_nothing(client, change):
    response = post(client, event(), **change)
    assert response.status_code == 401
    assert not Case.objects.exists() and not Message.objects.exists()


def test_the_signature_covers_the_raw_body_as_sent(client):
    raw = json.dumps(event(), ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(KEY.encode(), raw + stamp.encode(), hashlib.sha256).hexdigest()
    tampered = raw.replace("Мария".encode(), "Марья".encode())
    response = client.post(
        "/api/v1/inbound/sms-gateway",
        tampered,
        content_type="application/json",
        headers={"X-Timestamp": stamp, "X-Signature": signature},
    )
    assert response.status_code == 401


def test_without_a_signing_key_the_webhook_is_off(client, settings):
    settings.HABEAS_SMS_GATEWAY_SIGNING_KEY = ""
    assert post(client, event()).status_code == 404


@pytest.mark.parametrize("kind", ["sms:sent", "sms:delivered", "system:ping", "mms:received"])
def test_the_gateways_other_events_get_200_and_open_nothing(client, kind):
    assert post(client, event(kind=kind)).status_code == 200
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        json.dumps({"event": "sms:received"}).encode(),
        json.dumps({"event": "sms:received", "payload": {"message": 5}}).encode(),
        json.dumps(event(sender="<script>")).encode(),
        json.dumps(event(text="я" * 2000)).encode(),
    ],
)
def test_a_signed_body_of_the_wrong_shape_gets_a_clear_4xx(client, raw):
    response = post(client, None, raw=raw)
    assert 400 <= response.status_code < 500
    assert not Case.objects.exists()
