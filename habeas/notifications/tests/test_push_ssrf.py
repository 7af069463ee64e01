"""No server-side request forgery through Web Push (issue 14, finding 7).

A staff account subscribed https://127.0.0.1/…, https://10.x/… and https://169.254.169.254/…
as its "browser", and the outbox showed the HTTP status of each: the server scanned its own
network for whoever held a lawyer's password. Endpoints must be on the push services' hosts,
are resolved at send time and refused on a non-public address, and the outbox says only the
class of failure.
"""

import json

import pytest

from conftest import staff_client
from habeas.notifications import services
from habeas.notifications.channels import webpush
from habeas.notifications.models import Message, PushSubscription, State

from .helpers import subscription

pytestmark = pytest.mark.django_db

URL = "/console/push/subscribe/"


@pytest.fixture
def production_hosts(settings):
    """The lists as outside debug: no local host may be private, no example names."""
    settings.HABEAS_PUSH_LOCAL_HOSTS = []
    settings.HABEAS_PUSH_HOSTS = [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "*.notify.windows.com",
        "web.push.apple.com",
    ]


def subscribe(user, endpoint: str):
    return staff_client(user).post(
        URL,
        subscription(endpoint),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1/push",
        "https://127.0.0.1:5432/",
        "https://10.0.0.1/internal",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/push",
        "https://192.168.1.1/",
        "https://intranet.local/push",
        "https://localhost:8000/console/",
        "https://fcm.googleapis.com.evil.test/send/x",
        "https://evilnotify.windows.com/w/x",
        "https://user:pass@fcm.googleapis.com/send/x",
        "http://fcm.googleapis.com/send/x",
    ],
)
def test_a_subscription_off_the_push_services_is_refused(lawyer_a, production_hosts, endpoint):
    """Guards against: internal https:// endpoints accepted as a browser's subscription."""
    response = subscribe(lawyer_a, endpoint)
    assert response.status_code == 400
    assert response.json()["errors"]["endpoint"] == "The endpoint is not on a known push service."
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",
        "https://web.push.apple.com/QGx3",
    ],
)
def test_the_browsers_push_services_are_accepted(lawyer_a, production_hosts, endpoint):
    assert subscribe(lawyer_a, endpoint).status_code == 201


def test_an_operator_can_add_a_push_host(lawyer_a, production_hosts, settings):
    settings.HABEAS_PUSH_HOSTS = [*settings.HABEAS_PUSH_HOSTS, "push.example.org"]
    assert subscribe(lawyer_a, "https://push.example.org/x").status_code == 201


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address refused, not bound
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_never_called(address):
    assert not webpush.public_address(address)


@pytest.mark.parametrize("address", ["142.250.74.10", "2a00:1450:4001:82b::200a"])
def test_public_addresses_are(address):
    assert webpush.public_address(address)


def dead_error(endpoint: str, run_tasks) -> str:
    services.enqueue("webpush", subscription(endpoint), "s", "b", dedupe_key="t:ssrf")
    run_tasks()
    message = Message.objects.get()
    assert message.state == State.DEAD
    return message.last_error


def test_an_allowed_host_that_resolves_to_a_private_address_is_refused_at_send_time(
    push_service, production_hosts, settings, run_tasks
):
    """Guards against: a host on the list (or one whose DNS changed) leading the server to an
    internal address; the check happens when sending, on the address actually connected to."""
    settings.HABEAS_PUSH_HOSTS = [*settings.HABEAS_PUSH_HOSTS, "localhost"]
    port = push_service.server.server_address[1]
    assert dead_error(f"https://localhost:{port}/push/abc", run_tasks) == "address not allowed"
    assert push_service.requests == []


def test_a_stored_subscription_to_an_internal_address_is_not_sent_to(
    push_service, production_hosts, run_tasks
):
    """Subscriptions stored before the host list existed are checked again when sending."""
    assert dead_error(f"{push_service.url}/push/abc", run_tasks) == "not a push service"
    assert push_service.requests == []


def test_the_outbox_names_the_class_of_a_refusal_not_the_remote_status(push_service, run_tasks):
    """Guards against: the outbox as a port oracle (status codes and bodies of internal
    services read back by a staff account)."""
    error = dead_error(f"{push_service.url}/push/forbidden", run_tasks)
    assert error == "push service refused"
    assert "403" not in error and "internal detail" not in error


def test_a_failing_push_service_is_retried_with_a_class_not_a_status(
    push_service, fast_retries, run_tasks
):
    push_service.mode = "500"
    services.enqueue("webpush", subscription(f"{push_service.url}/p"), "s", "b", dedupe_key="t:5")
    run_tasks()
    message = Message.objects.get()
    assert message.state == State.PENDING
    assert message.last_error == "push service unavailable"


def test_the_local_fake_push_service_still_works_in_debug(push_service, run_tasks, settings):
    assert "127.0.0.1" in settings.HABEAS_PUSH_LOCAL_HOSTS
    services.enqueue("webpush", subscription(f"{push_service.url}/ok"), "s", "b", dedupe_key="t:ok")
    run_tasks()
    assert Message.objects.get().state == State.SENT
    assert json.loads(json.dumps(push_service.requests[0]["path"])) == "/ok"
