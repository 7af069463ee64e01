"""From the status screen, the person asks the hotline to call them back."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import ru
from habeas.callbacks.models import CallBack

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_status_screen_puts_the_person_on_the_call_back_list(phone_page):
    phone_page.goto("/")
    phone_page.fill("#full_name", "Мария Иванова")
    phone_page.fill("#phone", "+7 916 555-01-02")
    phone_page.click("#save-details")
    phone_page.locator("#sos-alt").click()
    phone_page.locator("#sos-alt-confirm").click()
    expect(phone_page.locator("#status-screen")).to_be_visible()
    phone_page.click("#callback")
    expect(phone_page.locator("#callback-state")).to_have_text(
        ru("Asked. The hotline will call you back; keep your phone near you.")
    )
    expect(phone_page.locator("#callback")).to_be_hidden()
    assert CallBack.objects.get().state == "waiting"
