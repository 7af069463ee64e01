"""Trusted contacts: up to three, kept with the details on the phone, sent with the SOS."""

import json

import pytest
from playwright.sync_api import expect

from e2e.helpers import hold, ru
from habeas.cases.models import Case
from habeas.cases.services import open_details

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_three_contacts_are_kept_on_the_phone_and_sent_with_the_sos(phone_page):
    page = phone_page
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.fill("#contact-value-1", "+7 916 555-01-03")
    page.select_option("#contact-type-2", "email")
    page.fill("#contact-value-2", "brother@example.org")
    page.select_option("#contact-type-3", "telegram")
    page.fill("#contact-value-3", "123456789")
    page.click("#save-details")
    expect(page.locator("#details-state")).to_have_text(ru("Saved on this phone only."))

    page.reload()
    expect(page.locator("#contact-type-2")).to_have_value("email")
    expect(page.locator("#contact-value-2")).to_have_value("brother@example.org")
    expect(page.locator("#contact-type-3")).to_have_value("telegram")
    expect(page.locator("#contact-value-3")).to_have_attribute("inputmode", "numeric")

    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    details = open_details(Case.objects.get().reports.get())
    assert details["contacts"] == [
        {"phone": "+7 916 555-01-03"},
        {"email": "brother@example.org"},
        {"telegram": "123456789"},
    ]


def test_a_contact_of_the_wrong_shape_is_not_saved(phone_page):
    page = phone_page
    page.goto("/")
    page.select_option("#contact-type-1", "telegram")
    page.fill("#contact-value-1", "@maria")
    page.click("#save-details")
    assert page.evaluate("localStorage.getItem('habeas.details')") is None
    assert page.evaluate("document.getElementById('contact-value-1').validity.valid") is False


def test_a_contact_the_server_refuses_is_left_out_and_named_after_the_sos_is_out(phone_page):
    page = phone_page
    page.goto("/")
    # Saved by an older version of the page, before it checked the shape.
    bad = {
        "full_name": "Мария Иванова",
        "contacts": [{"phone": "+7 916 555-01-03"}, {"email": "nope"}],
    }
    page.evaluate("(d) => localStorage.setItem('habeas.details', JSON.stringify(d))", bad)
    page.reload()
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    notice = page.locator("#dropped-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(ru("Trusted contact %(n)s") % {"n": 2})
    expect(page.locator("#contact-value-2")).to_have_attribute("aria-invalid", "true")
    assert open_details(Case.objects.get().reports.get())["contacts"] == [
        {"phone": "+7 916 555-01-03"}
    ]
    # The phone keeps what the person saved: they fix it, the app does not guess.
    assert json.loads(page.evaluate("localStorage.getItem('habeas.details')")) == bad
