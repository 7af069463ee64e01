"""Whoever reads an SOS by SMS, or a copy of the database, cannot take the case over.

Found in security round 2: the SMS carried the app's idempotency key in clear (the carrier
reads SMS), and re-posting that key with any body returned the status token; then /forget
destroyed the person's details and /withdraw closed the case. The keys were also stored in
clear, so a database copy gave the token of every SMS case and every SOS sent without details.
"""

from habeas.cases.models import Case, Report
from habeas.lib import smscodec

from .test_inbound_sms import KEY, PAYLOAD, post, webhook_secret  # noqa: F401 - autouse


def test_the_sms_carries_a_reference_not_the_key(client, db):
    assert KEY not in PAYLOAD
    assert smscodec.parse(PAYLOAD).reference == smscodec.reference(KEY)
    assert post(client, {"from": "+79165550102", "text": PAYLOAD}).status_code == 201


def test_re_posting_what_the_sms_carries_opens_nothing(client, phone, db):
    post(client, {"from": "+79165550102", "text": PAYLOAD})
    attacker = phone.sos({}, key=smscodec.parse(PAYLOAD).reference)
    # The reference is not the key: the attacker opens a case of their own, not the person's.
    assert attacker.status_code == 201
    assert Case.objects.count() == 2
    person = Case.objects.get(reports__channel="sms")
    assert phone.status().json()["closed"] is False
    assert phone.withdraw().status_code == 200
    person.refresh_from_db()
    assert not person.is_closed, "the person's case is untouched"


def test_the_phone_that_sent_the_sms_gets_its_status_link_with_the_key(client, phone, db):
    post(client, {"from": "+79165550102", "text": PAYLOAD})
    retry = phone.sos({"kind": "detention"}, key=KEY)
    assert retry.status_code == 200
    assert phone.status().status_code == 200
    assert Case.objects.count() == 1


def test_the_database_holds_no_idempotency_key_in_clear(phone, db):
    assert phone.sos({}, key="plain-key-0001").status_code == 201
    assert phone.sos({}, key=KEY).status_code == 201
    kept = set(Report.objects.values_list("idempotency_key", flat=True))
    assert not kept & {"plain-key-0001", KEY, smscodec.reference(KEY)}
    assert all(len(value) == 64 for value in kept)


def test_forgetting_overwrites_the_keys_hash_and_the_fingerprint(detainee):
    before = Report.objects.get()
    assert detainee.client.post("/api/v1/cases/forget", headers=detainee.auth()).status_code == 200
    after = Report.objects.get()
    assert after.idempotency_key != before.idempotency_key
    assert after.idempotency_key.startswith("forgotten-")
    assert after.fingerprint == ""
    assert detainee.status().status_code == 200, "the status link still works"


def test_a_strange_timestamp_is_a_401_not_a_500(client, db):
    """Found in security round 2: "²" and 5,000 digits answered 500 before the signature."""
    body = {"from": "+79165550102", "text": PAYLOAD}
    for stamp in ("²", "٣٤٥", "9" * 5000, "-1", " 1"):
        response = post(client, body, stamp=stamp)
        assert response.status_code == 401, stamp
    assert Report.objects.count() == 0


def test_a_free_text_senders_number_cannot_be_brute_forced_from_the_database(client, db):
    """Found in security round 2: a free-text SMS was keyed by an unkeyed SHA-256 of phone +
    gateway id, and the number came back from the database alone in 11 s on one core."""
    import hashlib

    from habeas.cases import services as cases

    sender, gateway_id = "+79265550123", "gw-17"
    body = {"from": sender, "text": "Задержали сына", "id": gateway_id}
    assert post(client, body).status_code == 201
    stored = Report.objects.get().idempotency_key
    unkeyed = "sms-" + hashlib.sha256(f"{sender}|{gateway_id}".encode()).hexdigest()[:40]
    # What a brute force over numbers would compute without the server's secret:
    assert stored not in (unkeyed, cases.stored_key_of(unkeyed))
    assert sender.encode() not in stored.encode()
