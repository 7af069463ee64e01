"""The timer lives in the database: a worker killed before the deadline, and another started
after it, still fires it."""

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from habeas.cases.models import Case
from habeas.timers.models import CheckInTimer, TimerState


@pytest.mark.django_db(transaction=True)
def test_a_timer_fires_after_the_worker_restarts_across_its_deadline(phone, worker_process):
    deadline = timezone.now() + timedelta(seconds=3)
    body = {
        "deadline": deadline.isoformat(),
        "pin": "2468",
        "duress_pin": "1357",
        "person": {"full_name": "Мария Иванова"},
    }
    response = phone.arm_timer(body, "restart-timer-01")
    assert response.status_code == 201

    first = worker_process()
    time.sleep(1)
    first.send_signal(signal.SIGKILL)  # the server goes down before the deadline
    first.wait(timeout=10)
    while timezone.now() < deadline + timedelta(seconds=1):
        time.sleep(0.2)
    assert Case.objects.count() == 0, "nothing fired while no worker ran"

    worker_process()  # the server comes back after the deadline
    for _ in range(100):
        if Case.objects.exists():
            break
        time.sleep(0.2)
    assert Case.objects.count() == 1
    assert CheckInTimer.objects.get().state == TimerState.FIRED
