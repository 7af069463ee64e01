"""Ask for legal help: a request, not an SOS, sent with the saved details and followed in its
own words; the server's refusal is shown at the field."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import ru
from habeas.cases.models import Case, Kind
from habeas.cases.services import open_details

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_court_request_goes_with_the_saved_details_and_reads_as_a_request(phone_page):
    page = phone_page
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.click("#save-details")
    page.click("#request-link")
    expect(page.locator("#details-summary")).to_contain_text("Мария Иванова")
    hearing = timezone.localdate() + dt.timedelta(days=1)
    page.check("#kind-court")
    page.fill("#request-date", hearing.isoformat())
    page.fill("#request-time", "11:00")
    page.fill("#request-place", "Тверской районный суд")
    page.fill("#request-text", "Протокол по ч. 5 ст. 20.2")
    page.click("#request-send")

    expect(page.locator("#status-screen")).to_be_visible()
    expect(page.locator("#request-screen")).to_be_hidden()
    expect(page.locator("#status-title")).to_have_text(ru("Request received"))
    expect(page.locator("#status-message")).to_contain_text(ru("Your request was received."))
    case = Case.objects.get()
    assert case.kind == Kind.COURT and case.is_request
    assert timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") == f"{hearing} 11:00"
    details = open_details(case.reports.get())
    assert details["request"] == {
        "date": hearing.isoformat(),
        "time": "11:00",
        "place": "Тверской районный суд",
        "text": "Протокол по ч. 5 ст. 20.2",
    }
    assert details["person"]["full_name"] == "Мария Иванова"

    # The request never stands between the person and the SOS button.
    page.goto("/")
    expect(page.locator("#sos-screen")).to_be_visible()


def test_the_server_refusing_the_date_is_shown_at_the_field(phone_page):
    page = phone_page
    page.goto("/help/")
    page.check("#kind-appeal")
    # Past the browser's own bounds, as an older browser would let through.
    page.evaluate("document.getElementById('request-date').removeAttribute('max')")
    page.fill("#request-date", (timezone.localdate() + dt.timedelta(days=400)).isoformat())
    page.click("#request-send")
    errors = page.locator("#request-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text(ru("Date"))
    expect(errors).to_contain_text(ru("The request's date is more than a year ahead."))
    expect(page.locator("#request-date")).to_have_attribute("aria-invalid", "true")
    assert Case.objects.count() == 0
