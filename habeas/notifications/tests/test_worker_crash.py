"""A worker killed mid-batch and restarted: every message arrives, none is sent twice."""

import signal
import time
from collections import Counter

import pytest

from habeas.notifications import services
from habeas.notifications.models import Message, State


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_loses_nothing_and_sends_nothing_twice(
    sms_gateway, worker_process, settings
):
    sms_gateway.delay = 0.4  # a slow provider, so the kill lands mid-batch
    for n in range(10):
        services.enqueue("sms", f"+7916000000{n}", "", f"message {n}", dedupe_key=f"crash:{n}")
    env = {"HABEAS_SMS_URL": settings.HABEAS_SMS_URL, "HABEAS_DELIVERY_TIMEOUT": "1"}

    first = worker_process(**env)
    assert wait_for(lambda: len(sms_gateway.requests) >= 3)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    sent_before = Message.objects.filter(state=State.SENT).count()
    assert sent_before < 10, "the kill must land mid-batch for this test to mean anything"

    worker_process(**env)
    assert wait_for(lambda: Message.objects.filter(state=State.SENT).count() == 10)

    keys = {str(m.key) for m in Message.objects.all()}
    assert set(sms_gateway.delivered) == keys, "every message reached the gateway"
    repeats = [k for k, n in Counter(r["key"] for r in sms_gateway.requests).items() if n > 1]
    # Only the message in flight at the kill may be posted again, under the same key, which
    # the gateway takes as the same SMS: one text reaches the phone.
    assert len(repeats) <= 1
    assert len(sms_gateway.delivered) == 10
