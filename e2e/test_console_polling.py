"""The console's live pages poll through one helper: conditional requests, and a hidden tab that
asks rarely and catches up the moment it is shown."""

import time
from pathlib import Path

import pytest

from e2e.test_sos_reaches_the_console import log_in
from habeas.console.tests.helpers import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONSOLE_JS = (
    Path(__file__).resolve().parents[1] / "habeas" / "console" / "static" / "console" / "js"
)

# Makes the tab look hidden or shown to the page, as switching tabs would.
SET_HIDDEN = """hidden => {
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def polls_of(page, url: str) -> list:
    polls = []
    page.on("response", lambda r: polls.append(r) if r.url.endswith(url) else None)
    return polls


def test_the_queue_and_the_case_page_poll_through_the_one_helper():
    for name in ("queue.js", "case.js"):
        text = (CONSOLE_JS / name).read_text()
        assert "HabeasConsole.poll({" in text
        assert "fetch(" not in text and "If-None-Match" not in text


def within_one_minute(seconds: float) -> None:
    """Wait, if need be, until the next `seconds` fall inside one clock minute: the queue's
    ETag names the minute (so "5 min ago" ages), and a poll across it is rightly a 200."""
    left = 60 - time.time() % 60
    if left < seconds:
        time.sleep(left + 0.2)


def test_the_queue_asks_with_its_etag_and_an_unchanged_queue_costs_a_304(console_page, dispatcher):
    within_one_minute(15)  # logging in, loading the page and two ticks
    log_in(console_page, dispatcher)
    url = console_page.locator("#queue").get_attribute("data-url")
    polls = polls_of(console_page, url)
    console_page.wait_for_timeout(3500)  # two ticks of 1.5 s
    assert polls, "the queue never polled"
    assert all(p.request.headers.get("if-none-match") for p in polls)
    assert {p.status for p in polls} == {304}


def test_a_hidden_case_page_stops_asking_and_asks_at_once_when_shown(console_page, dispatcher):
    case = open_case()
    log_in(console_page, dispatcher)
    console_page.goto(f"/console/cases/{case.public_id}/")
    url = console_page.locator("#case-live").get_attribute("data-url")
    console_page.evaluate(SET_HIDDEN, True)
    console_page.wait_for_timeout(500)  # a request already on its way may land first
    polls = polls_of(console_page, url)
    console_page.wait_for_timeout(4000)  # a hidden tab asks on every tenth tick only
    assert polls == []
    console_page.evaluate(SET_HIDDEN, False)
    console_page.wait_for_timeout(700)  # well under one tick
    assert len(polls) == 1
