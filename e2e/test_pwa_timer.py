"""The check-in timer: armed from the phone, checked in with the PIN, the duress PIN or deleted."""

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import ru, stored_values
from habeas.cases.models import Case
from habeas.timers.models import CheckInTimer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "1234"
DURESS = "9876"
# The phone's own clock decides "today" and "tomorrow": ask it for two hours from now.
IN_TWO_HOURS = """() => {
    const d = new Date(Date.now() + 2 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return [pad(d.getHours()) + ":" + pad(d.getMinutes()), d.getDate() !== new Date().getDate()];
}"""


def arm(page, pin: str = PIN, duress: str = DURESS) -> None:
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.fill("#contact-value-1", "+7 916 555-01-03")
    page.click("#save-details")
    page.click("#timer-link")
    expect(page.locator("#details-summary")).to_contain_text("Мария Иванова")
    time, tomorrow = page.evaluate(IN_TWO_HOURS)
    page.fill("#timer-time", time)
    page.check("#timer-tomorrow" if tomorrow else "#timer-today")
    page.fill("#timer-pin", pin)
    page.fill("#timer-duress", duress)
    page.click("#timer-set")


def check_in(page, pin: str) -> None:
    page.fill("#checkin-pin", pin)
    page.click("#checkin")


def test_a_timer_is_armed_counts_down_survives_a_reload_and_the_pin_checks_in(phone_page):
    page = phone_page
    arm(page)
    expect(page.locator("#timer-armed")).to_be_visible()
    expect(page.locator("#timer-countdown")).to_contain_text(re.compile(r"[12]:[0-5]\d:[0-5]\d"))
    timer = CheckInTimer.objects.get()
    assert timer.state == "armed"
    assert "habeas.timer" in page.evaluate("Object.keys(localStorage)")
    stored = page.evaluate("localStorage.getItem('habeas.timer')")
    values = stored_values(stored)
    assert PIN not in values and DURESS not in values
    # The token is random hex and may hold any four digits; every other value must not.
    token = json.loads(stored)["token"]
    assert token and all(PIN not in v and DURESS not in v for v in values if v != token)

    page.reload()
    expect(page.locator("#timer-armed")).to_be_visible()

    check_in(page, "5555")
    expect(page.locator("#checkin-state")).to_have_text(
        ru("Wrong PIN. Tries left: %(n)s") % {"n": 4}
    )
    check_in(page, PIN)
    expect(page.locator("#timer-done")).to_be_visible()
    expect(page.locator("#timer-done-message")).to_have_text(ru("Checked in. The timer is off."))
    expect(page.locator("#timer-delete-wrap")).to_be_hidden()
    timer.refresh_from_db()
    assert timer.state == "cancelled"
    assert Case.objects.count() == 0


def test_the_duress_pin_looks_like_a_check_in_and_sends_the_sos(phone_page, run_tasks):
    page = phone_page
    arm(page)
    expect(page.locator("#timer-armed")).to_be_visible()
    check_in(page, DURESS)
    expect(page.locator("#timer-done-message")).to_have_text(ru("Checked in. The timer is off."))
    page.reload()
    expect(page.locator("#timer-done-message")).to_have_text(ru("Checked in. The timer is off."))
    run_tasks()  # the SOS goes out from a task, after the answer
    assert Case.objects.count() == 1


def test_deleting_the_details_disarms_the_timer_and_forgets_its_token(phone_page):
    page = phone_page
    arm(page)
    expect(page.locator("#timer-armed")).to_be_visible()
    page.click("#timer-delete")
    page.fill("#timer-delete-pin", PIN)
    page.click("#timer-delete-confirm")
    expect(page.locator("#timer-arm")).to_be_visible()
    expect(page.locator("#timer-state")).to_have_text(
        ru("Your details were deleted from the server. The timer is off.")
    )
    assert CheckInTimer.objects.get().state == "deleted"
    assert page.evaluate("localStorage.getItem('habeas.timer')") is None


def test_the_duress_pin_must_differ_and_nothing_is_stored_until_it_does(phone_page):
    page = phone_page
    arm(page, pin=PIN, duress=PIN)
    expect(page.locator("#timer-state")).to_have_text(
        ru("The duress PIN must differ from the PIN.")
    )
    assert CheckInTimer.objects.count() == 0
