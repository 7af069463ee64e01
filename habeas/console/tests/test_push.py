import json

import pytest

from conftest import staff_client
from habeas.notifications.models import PushSubscription
from habeas.notifications.tests.helpers import subscription

URL = "/console/push/subscribe/"
ENDPOINT = "https://push.example.net/send/abc123"


def post(client, body) -> object:
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, raw, content_type="application/json", headers={"Accept-Language": "en"})


def test_a_browser_subscription_is_stored_for_the_logged_in_lawyer(lawyer_a):
    sent = json.loads(subscription(ENDPOINT))
    response = post(staff_client(lawyer_a), sent)
    assert response.status_code == 201
    assert response.json()["message"] == "Notifications are on in this browser."
    stored = PushSubscription.objects.get()
    assert stored.user == lawyer_a
    assert stored.as_info() == sent


def test_subscribing_again_from_the_same_browser_updates_the_one_row(lawyer_a, lawyer_b):
    post(staff_client(lawyer_a), json.loads(subscription(ENDPOINT)))
    fresh = json.loads(subscription(ENDPOINT))
    response = post(staff_client(lawyer_b), fresh)
    assert response.status_code == 200
    stored = PushSubscription.objects.get()
    assert stored.user == lawyer_b
    assert stored.p256dh == fresh["keys"]["p256dh"]


def test_a_dispatcher_can_subscribe_too(dispatcher):
    assert post(staff_client(dispatcher), json.loads(subscription(ENDPOINT))).status_code == 201


def good() -> dict:
    return json.loads(subscription(ENDPOINT))


def with_keys(**keys) -> dict:
    body = good()
    body["keys"].update(keys)
    return body


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ("not json", {"subscription"}),
        ("[1, 2]", {"subscription"}),
        ({}, {"endpoint", "p256dh", "auth"}),
        (good() | {"endpoint": "ftp://push.example.net/x"}, {"endpoint"}),
        # plain http would let a staff account make the server call internal hosts
        (good() | {"endpoint": "http://10.0.0.1/internal"}, {"endpoint"}),
        (good() | {"endpoint": "javascript:alert(1)"}, {"endpoint"}),
        (good() | {"endpoint": "https://" + "a" * 600 + ".example"}, {"endpoint"}),
        (good() | {"endpoint": 42}, {"endpoint"}),
        (good() | {"keys": "nope"}, {"p256dh", "auth"}),
        (with_keys(p256dh="not base64!"), {"p256dh"}),
        (with_keys(p256dh="AAAA"), {"p256dh"}),
        (with_keys(p256dh="B" * 87), {"p256dh"}),
        (with_keys(auth="c2hvcnQ"), {"auth"}),
        (with_keys(auth="x" * 300), {"auth"}),
        (with_keys(auth=None), {"auth"}),
    ],
)
def test_a_malformed_subscription_is_a_400_naming_each_bad_field(lawyer_a, body, fields):
    response = post(staff_client(lawyer_a), body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == fields
    assert all(isinstance(m, str) and m for m in errors.values())
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_a_login_and_the_csrf_token_from_the_page(lawyer_a, stranger):
    assert post(stranger, good()).status_code == 302
    client = staff_client(lawyer_a, enforce_csrf_checks=True)
    assert post(client, good()).status_code == 403
    assert not PushSubscription.objects.exists()
    page = client.get("/console/profile/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        URL, json.dumps(good()), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get().user == lawyer_a


def test_the_service_worker_is_served_from_the_console_for_its_scope(stranger):
    response = stranger.get("/console/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'addEventListener("push"' in script
    assert 'addEventListener("notificationclick"' in script
    assert "openWindow" in script
