"""SMS through SMS Gateway for Android: its API's shape, and its failures retried, never lost
or doubled."""

import pytest

from habeas.notifications import services
from habeas.notifications.models import Message, State

from .helpers import make_due, states

pytestmark = pytest.mark.django_db


def test_an_sms_reaches_the_gateway_as_its_api_expects(android_gateway, run_tasks):
    services.enqueue("sms", "+79160000000", "", "SOS получен", dedupe_key="t:asg:1")
    run_tasks()
    [request] = android_gateway.requests
    assert request["path"] == "/messages"
    assert request["body"]["phoneNumbers"] == ["+79160000000"]
    assert request["body"]["textMessage"] == {"text": "SOS получен"}
    assert request["body"]["id"] == str(Message.objects.get().key).replace("-", "")
    assert states() == [State.SENT]


def test_a_gateway_answering_500_is_tried_again_and_sends_once(
    android_gateway, run_tasks, fast_retries
):
    android_gateway.mode = "500"
    services.enqueue("sms", "+79160000000", "", "SOS", dedupe_key="t:asg:2")
    run_tasks()
    assert states() == [State.PENDING]
    assert Message.objects.get().last_error == "HTTP 500"
    android_gateway.mode = "ok"
    make_due()
    run_tasks()
    assert states() == [State.SENT]
    assert len(android_gateway.delivered) == 1


@pytest.mark.parametrize("mode", ["hang", "drop"])
def test_a_hanging_or_dropping_gateway_is_a_temporary_failure(
    android_gateway, run_tasks, fast_retries, mode
):
    android_gateway.mode = mode
    services.enqueue("sms", "+79160000000", "", "SOS", dedupe_key=f"t:asg:{mode}")
    run_tasks()
    message = Message.objects.get()
    assert message.state == State.PENDING
    assert message.last_error in ("ReadTimeout", "RemoteProtocolError", "ReadError")


def test_a_wrong_gateway_password_gives_up_at_once(android_gateway, run_tasks, settings):
    settings.HABEAS_SMS_GATEWAY_PASSWORD = "wrong"
    services.enqueue("sms", "+79160000000", "", "SOS", dedupe_key="t:asg:401")
    run_tasks()
    assert states() == [State.DEAD]
    assert Message.objects.get().last_error == "HTTP 401"


def test_the_generic_gateway_stays_the_default_sms_channel(sms_gateway, run_tasks):
    services.enqueue("sms", "+79160000000", "", "SOS", dedupe_key="t:generic:1")
    run_tasks()
    assert sms_gateway.requests[0]["path"] == "/send"
