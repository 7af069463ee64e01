"""Offline: the guides open with no network, and an SOS held offline reaches the hotline once."""

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from e2e.helpers import hold, ru
from habeas.cases import services as cases
from habeas.cases.models import Case, Report
from habeas.cases.services import open_details
from habeas.guides import get_guide
from habeas.lib import smscodec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATION_GUIDE = "/guides/police-station/"


def wait_until_offline_ready(page) -> None:
    """Wait for the worker to be active with the station guide in its cache."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "(url) => caches.match(url).then(Boolean)", arg=STATION_GUIDE, timeout=20000
    )


def queue_offline_and_close(page) -> str:
    """Hold SOS with no network, then close the page: the SOS waits on the phone. Its key."""
    page.goto("/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    hold(page, page.locator("#sos"))
    expect(page.locator("#offline-panel")).to_be_visible()
    key = page.evaluate("JSON.parse(localStorage.getItem('habeas.pending')).key")
    page.close()
    return key


def station_title() -> str:
    return get_guide("ru", "police-station", "ru").title


def test_the_guides_open_offline_after_one_visit(phone_page):
    page = phone_page
    page.goto("/")
    wait_until_offline_ready(page)

    page.context.set_offline(True)
    # Really offline: the API, which the worker never answers, is out of reach.
    probe = "fetch('/api/v1/cases/status').then(() => 'online', () => 'offline')"
    assert page.evaluate(probe) == "offline"
    page.reload()
    expect(page.locator("#sos")).to_be_visible()
    page.click("#guides-link")
    page.locator(".guide-list a", has_text=station_title()).first.click()
    expect(page.locator("article.guide h1")).to_have_text(station_title())
    expect(page).to_have_url(re.compile(STATION_GUIDE + "$"))


def test_after_an_sos_the_station_guide_opens_offline(phone_page):
    page = phone_page
    page.goto("/")
    wait_until_offline_ready(page)
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()

    page.context.set_offline(True)
    page.click("#guide-now")
    expect(page.locator("article.guide h1")).to_have_text(station_title())


def test_an_sos_held_offline_waits_offers_sms_and_is_sent_once_online(phone_page, settings):
    settings.HABEAS_SMS_NUMBER = "+7 999 000-00-00"
    page = phone_page
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.fill("#date_of_birth", "1995-04-12")
    page.click("#save-details")
    wait_until_offline_ready(page)

    page.context.set_offline(True)
    hold(page, page.locator("#sos"))
    expect(page.locator("#send-state")).to_have_text(
        ru("Not sent yet — will keep trying every few seconds.")
    )
    panel = page.locator("#offline-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(ru("Not sent yet — will send."))
    assert Case.objects.count() == 0

    # One key for the app's retries, the worker's Background Sync and the SMS.
    pending = page.evaluate("JSON.parse(localStorage.getItem('habeas.pending'))")
    assert re.fullmatch(r"[A-Za-z0-9]{12}", pending["key"])
    for_worker = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("habeas", 1);
            open.onsuccess = () => {
                const get = open.result.transaction("kv").objectStore("kv").get("pending");
                get.onsuccess = () => { resolve(get.result); open.result.close(); };
            };
        })"""
    )
    assert for_worker == pending

    expect(page.locator("#sms-link")).to_have_attribute("href", re.compile(r"body=H1%20"))
    href = page.locator("#sms-link").get_attribute("href")
    assert href.startswith("sms:+79990000000?&body=H1%20")
    payload = smscodec.parse(unquote(href.split("body=", 1)[1]))
    assert payload is not None
    # The SMS carries the key's public reference, never the key that opens the status page.
    assert payload.reference == smscodec.reference(pending["key"])
    assert pending["key"] not in unquote(href)
    assert payload.lat == pytest.approx(55.7649, abs=1e-4)
    assert payload.lon == pytest.approx(37.6116, abs=1e-4)
    assert payload.date_of_birth.isoformat() == "1995-04-12"
    assert payload.full_name == "Мария Иванова"

    page.context.set_offline(False)
    expect(page.locator("#status-screen")).to_be_visible(timeout=15000)
    expect(panel).to_be_hidden()
    # Long enough for any late retry by the page or the worker to land.
    page.wait_for_timeout(4000)
    assert Case.objects.count() == 1
    report = Report.objects.get()
    assert report.idempotency_key == cases.stored_key_of(pending["key"])
    assert open_details(report)["person"]["full_name"] == "Мария Иванова"
    assert page.evaluate("localStorage.getItem('habeas.pending')") is None


def test_an_sos_queued_offline_is_sent_when_the_app_opens_again(phone_page):
    key = queue_offline_and_close(phone_page)

    page = phone_page.context.new_page()
    phone_page.context.set_offline(False)
    page.goto("/")
    expect(page.locator("#status-screen")).to_be_visible(timeout=15000)
    page.wait_for_timeout(3000)
    assert Case.objects.count() == 1
    assert Report.objects.get().idempotency_key == cases.stored_key_of(key)


def test_the_worker_waits_out_a_429_and_sends_the_sos_all_the_same(phone_page):
    """Found in security round 2: Background Sync gave up on a 429, ignoring Retry-After."""
    context = phone_page.context
    key = queue_offline_and_close(phone_page)

    refused = []

    def limited_once(route):
        if not refused:
            refused.append(route.request.url)
            route.fulfill(status=429, headers={"Retry-After": "1"}, json={"detail": "later"})
        else:
            route.continue_()

    context.route("**/api/v1/cases", limited_once)
    context.set_offline(False)
    worker = context.service_workers[0]
    worker.evaluate("sendPending().then(() => true)")
    assert refused, "the first try met the limit"
    assert Report.objects.get().idempotency_key == cases.stored_key_of(key)


def test_the_worker_sends_the_queued_sos_with_no_page_open(phone_page):
    # What Background Sync runs. Chromium fires "sync" from the real network state, which
    # Playwright's offline emulation does not change, so the test calls the handler itself.
    context = phone_page.context
    key = queue_offline_and_close(phone_page)

    context.set_offline(False)
    worker = context.service_workers[0]
    worker.evaluate("sendPending().then(() => true)")
    assert Report.objects.get().idempotency_key == cases.stored_key_of(key)

    # The page, opened later, still holds the SOS: its retry finds the same case.
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#status-screen")).to_be_visible(timeout=15000)
    assert Case.objects.count() == 1


def test_without_an_sms_number_there_is_no_sms_button(phone_page, settings):
    settings.HABEAS_SMS_NUMBER = ""
    page = phone_page
    page.goto("/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    hold(page, page.locator("#sos"))
    expect(page.locator("#offline-panel")).to_be_visible()
    assert page.locator("#sms-link").count() == 0
    expect(page.locator("#offline-panel a[href^='tel:']")).to_be_visible()


@pytest.mark.parametrize(
    ("location", "person", "expected"),
    [
        (
            {"lat": 55.76491234, "lon": 37.61159},
            {"full_name": "Мария Иванова", "date_of_birth": "1995-04-12"},
            "H1 k7Pq2Xz9Lm3W 55.7649,37.6116 19950412 Мария Иванова",
        ),
        (None, {"full_name": "Мария Иванова"}, "H1 k7Pq2Xz9Lm3W - - Мария Иванова"),
        ({"lat": -33.5, "lon": -70.25}, None, "H1 k7Pq2Xz9Lm3W -33.5000,-70.2500 -"),
        (None, {"date_of_birth": "2001-01-02"}, "H1 k7Pq2Xz9Lm3W - 20010102"),
        (
            None,
            {"full_name": "  «Маша»  Иванова-Петрова (дочь) 2 "},
            "H1 k7Pq2Xz9Lm3W - - Маша Иванова-Петрова дочь 2",
        ),
        (None, {"full_name": "  Jean  O'Brien\tJr. "}, "H1 k7Pq2Xz9Lm3W - - Jean O'Brien Jr."),
        (None, {"full_name": "12 Ёлкина"}, "H1 k7Pq2Xz9Lm3W - - Ёлкина"),
    ],
)
def test_the_sms_payload_is_what_the_server_reads(phone_page, location, person, expected):
    page = phone_page
    page.goto("/")
    built = page.evaluate("([l, p]) => Habeas.smsPayload('k7Pq2Xz9Lm3W', l, p)", [location, person])
    assert built == expected
    parsed = smscodec.parse(built)
    assert parsed is not None and parsed.reference == "k7Pq2Xz9Lm3W"
    parts = expected.split(" ", 4)
    assert parsed.full_name == (parts[4] if len(parts) == 5 else "")


def test_a_long_name_still_makes_a_payload_the_server_reads(phone_page):
    page = phone_page
    page.goto("/")
    built = page.evaluate("Habeas.smsPayload('k7Pq2Xz9Lm3W', null, {full_name: 'Я'.repeat(150)})")
    parsed = smscodec.parse(built)
    assert parsed is not None and parsed.full_name == "Я" * 100


def test_the_page_computes_the_same_sms_reference_as_the_server(phone_page):
    page = phone_page
    page.goto("/")
    keys = ["k7Pq2Xz9Lm3W", "AAAAAAAAAAAA", "z9y8x7w6v5u4"]
    made = page.evaluate("(keys) => Promise.all(keys.map(Habeas.smsReference))", keys)
    assert made == [smscodec.reference(key) for key in keys]
