"""The panic wipe: /x, or the confirmed button, leaves no Habeas data in the browser."""

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import hold
from habeas.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED = """async () => ({
    local: localStorage.length,
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    databases: (await indexedDB.databases()).map((d) => d.name),
})"""


def fill_details(page) -> None:
    page.fill("#full_name", "Мария Иванова")
    page.fill("#date_of_birth", "1995-04-12")
    page.fill("#contact-value-1", "+7 916 555-01-03")
    page.click("#save-details")


def offline_ready(page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => caches.match('/x').then(Boolean)", timeout=20000)


def assert_wiped(page) -> None:
    expect(page.locator("body")).to_have_attribute("data-wiped", "1", timeout=15000)
    assert page.evaluate(STORED) == {"local": 0, "caches": [], "workers": 0, "databases": []}
    assert "csrftoken" not in page.evaluate("document.cookie")


def test_typing_x_wipes_details_case_caches_and_worker_after_an_sos(phone_page):
    page = phone_page
    page.goto("/")
    fill_details(page)
    offline_ready(page)
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    before = page.evaluate(STORED)
    assert before["local"] >= 2  # the details and the case's token
    assert before["caches"] and before["workers"] == 1 and "habeas" in before["databases"]

    page.goto("/x")
    assert_wiped(page)
    expect(page.locator("#wipe-home")).to_have_attribute("href", "/")
    # The phone forgets; the hotline's case stays.
    assert Case.objects.count() == 1


def test_the_wipe_button_asks_first(phone_page):
    page = phone_page
    page.goto("/")
    fill_details(page)
    offline_ready(page)
    page.click("#wipe")
    expect(page.locator("#wipe-panel")).to_be_visible()
    page.click("#wipe-cancel")
    expect(page.locator("#wipe-panel")).to_be_hidden()
    assert page.evaluate("localStorage.getItem('habeas.details')")

    page.click("#wipe")
    page.click("#wipe-confirm")
    expect(page).to_have_url(re.compile(r"/x$"))
    assert_wiped(page)


def test_the_wipe_works_offline(phone_page):
    page = phone_page
    page.goto("/")
    fill_details(page)
    offline_ready(page)
    page.context.set_offline(True)
    page.goto("/x")
    assert_wiped(page)


def test_after_a_wipe_the_start_page_is_blank(phone_page):
    page = phone_page
    page.goto("/")
    fill_details(page)
    page.goto("/x")
    expect(page.locator("body")).to_have_attribute("data-wiped", "1", timeout=15000)
    page.click("#wipe-home")
    expect(page.locator("#sos")).to_be_visible()
    expect(page.locator("#full_name")).to_have_value("")
    expect(page.locator("#contact-value-1")).to_have_value("")
