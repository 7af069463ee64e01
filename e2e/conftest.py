"""Real Chromium for the browser tests: Debian's /usr/bin/chromium, never skipped."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("HABEAS_CHROMIUM", "/usr/bin/chromium")
# Without these Chromium phones home at start-up; this machine's closed network refuses it.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        # A missing browser is a failure, not a skip: .ci/run installs it; `make test` says how.
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def phone_context(browser, live_server, locale: str):
    """A protester's phone: 390x844, touch, location permitted, asking for `locale`."""
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale=locale,
        permissions=["geolocation"],
        geolocation={"latitude": 55.7649, "longitude": 37.6116, "accuracy": 30},
        base_url=live_server.url,
    )


@pytest.fixture
def phone_page(browser, live_server):
    """A protester's phone in Russian."""
    context = phone_context(browser, live_server, "ru-RU")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=["ru", "en"])
def language_page(request, browser, live_server):
    """The same phone once in Russian and once in English: (language, page)."""
    context = phone_context(browser, live_server, {"ru": "ru-RU", "en": "en-GB"}[request.param])
    page = context.new_page()
    yield request.param, page
    context.close()


@pytest.fixture
def console_page(browser, live_server):
    """A lawyer's laptop."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="ru-RU", base_url=live_server.url
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def worker(live_server, worker_process):
    """`db_worker` in its own process against the test database, as `make run` starts it."""
    return worker_process(HABEAS_BASE_URL=live_server.url)
