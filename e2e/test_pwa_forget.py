"""The detainee deletes their own details from the server, from the status screen."""

import re

import pytest
from playwright.sync_api import expect

from habeas.cases.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_status_screen_deletes_the_details_from_the_server(phone_page):
    phone_page.goto("/")
    phone_page.fill("#full_name", "Мария Иванова")
    phone_page.click("#save-details")
    phone_page.locator("#sos-alt").click()
    phone_page.locator("#sos-alt-confirm").click()
    expect(phone_page.locator("#status-screen")).to_be_visible()
    assert Report.objects.get().sealed is not None
    phone_page.click("#forget")
    phone_page.click("#forget-confirm")
    expect(phone_page.locator("#status-conn")).to_have_text(re.compile(".+"))
    expect(phone_page.locator("#forget")).to_be_hidden()
    assert Report.objects.get().sealed is None
