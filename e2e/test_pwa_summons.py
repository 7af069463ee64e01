"""A summons: the form sends it with the saved details, then follows the case like an SOS."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import ru
from habeas.cases import services as cases
from habeas.cases.models import Case
from habeas.cases.services import open_details

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_details(page) -> None:
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.fill("#phone", "+7 916 555-01-02")
    page.fill("#contact-value-1", "+7 916 555-01-03")
    page.click("#save-details")


def fill_summons(page, date: dt.date) -> None:
    page.fill("#summons-date", date.isoformat())
    page.fill("#summons-time", "10:30")
    page.fill("#summons-place", "ОМВД по Тверскому району, каб. 12")
    page.fill("#summons-text", "Повестка о явке для допроса в качестве свидетеля")
    page.check("#reason-metro")


def test_a_summons_goes_with_the_saved_details_and_shows_its_status(phone_page):
    page = phone_page
    save_details(page)
    page.click("#summons-link")
    expect(page.locator("#details-summary")).to_contain_text("Мария Иванова")
    expect(page.locator("a[href='/guides/witness/']").first).to_be_visible()
    expect(page.locator("a[href='/guides/face-recognition/']").first).to_be_visible()
    date = timezone.localdate() + dt.timedelta(days=3)
    fill_summons(page, date)
    page.click("#summons-send")

    expect(page.locator("#status-screen")).to_be_visible()
    expect(page.locator("#summons-screen")).to_be_hidden()
    case = Case.objects.get()
    assert case.kind == "summons"
    details = open_details(case.reports.get())
    assert details["summons"] == {
        "date": date.isoformat(),
        "time": "10:30",
        "place": "ОМВД по Тверскому району, каб. 12",
        "text": "Повестка о явке для допроса в качестве свидетеля",
        "reason": "metro",
    }
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["contacts"] == [{"phone": "+7 916 555-01-03"}]

    # A summons never stands between the person and the SOS button.
    page.goto("/")
    expect(page.locator("#sos-screen")).to_be_visible()
    expect(page.locator("#status-screen")).to_be_hidden()


def test_the_server_refusing_the_date_is_shown_at_the_field(phone_page):
    page = phone_page
    page.goto("/summons/")
    # Past the browser's own bounds, as an older browser would let through.
    page.evaluate("document.getElementById('summons-date').removeAttribute('min')")
    fill_summons(page, timezone.localdate() - dt.timedelta(days=60))
    page.click("#summons-send")
    errors = page.locator("#summons-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text(ru("Date"))
    expect(page.locator("#summons-date")).to_have_attribute("aria-invalid", "true")
    assert Case.objects.count() == 0


def test_a_summons_sent_offline_goes_once_when_back_online(phone_page):
    page = phone_page
    page.goto("/summons/")
    fill_summons(page, timezone.localdate() + dt.timedelta(days=1))
    page.context.set_offline(True)
    page.click("#summons-send")
    expect(page.locator("#summons-state")).to_have_text(
        ru(
            "Not sent yet: no connection. It will be sent when the phone is back online "
            "(keep this page open), or press Send again."
        )
    )
    key = page.evaluate("JSON.parse(localStorage.getItem('habeas.summons.pending')).key")
    page.click("#summons-send")  # pressing again reuses the key
    page.context.set_offline(False)
    expect(page.locator("#status-screen")).to_be_visible(timeout=15000)
    page.wait_for_timeout(2000)
    assert Case.objects.get().reports.get().idempotency_key == cases.stored_key_of(key)
