"""The anonymous install count: the worker's first install reports once; a reload, another
visit or an update of the worker does not; after the panic wipe the phone is new again."""

import time

import pytest
from playwright.sync_api import expect

from e2e.test_pwa_offline import wait_until_offline_ready
from habeas.public import bundle
from habeas.stats.models import InstallDay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def installs() -> int:
    return sum(InstallDay.objects.values_list("count", flat=True))


def wait_for_installs(n: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while installs() != n and time.monotonic() < deadline:
        time.sleep(0.1)
    assert installs() == n


def stays(n: int, seconds: float = 2) -> None:
    """Nothing more arrives in a while (a report would come within milliseconds here)."""
    time.sleep(seconds)
    assert installs() == n


def test_the_first_install_reports_once_and_a_reload_or_second_visit_does_not(phone_page):
    page = phone_page
    reports = []
    page.context.on(
        "request", lambda r: reports.append(r) if r.url.endswith("/api/v1/installs") else None
    )
    page.goto("/")
    wait_until_offline_ready(page)
    wait_for_installs(1)
    # What the worker sent: an empty POST, no cookie, no referrer.
    [sent] = reports
    assert sent.method == "POST" and not sent.post_data
    headers = sent.all_headers()
    assert "cookie" not in headers and "referer" not in headers

    page.reload()
    expect(page.locator("#sos")).to_be_visible()
    page.goto("/guides/")
    second = page.context.new_page()  # a second visit in the same browser
    second.goto("/")
    expect(second.locator("#sos")).to_be_visible()
    stays(1)
    assert len(reports) == 1


def test_an_update_of_the_worker_does_not_report_again(phone_page, monkeypatch):
    page = phone_page
    page.goto("/")
    wait_until_offline_ready(page)
    wait_for_installs(1)
    [old] = page.evaluate("caches.keys()")
    # A deploy: the worker's version changes, the browser installs the new worker and its
    # cache beside the old one, which the new worker then drops.
    monkeypatch.setattr(bundle, "shell_version", lambda: "after-a-deploy")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_function(
        "(old) => caches.keys().then((names) => names.length === 1 && names[0] !== old"
        " && names[0].includes('after-a-deploy'))",
        arg=old,
        timeout=20000,
    )
    stays(1)


def test_after_the_panic_wipe_the_next_visit_counts_as_a_first_install(phone_page):
    page = phone_page
    page.goto("/")
    wait_until_offline_ready(page)
    wait_for_installs(1)
    page.goto("/x")
    expect(page.locator("body")).to_have_attribute("data-wiped", "1", timeout=15000)
    assert page.evaluate("caches.keys()") == []
    stays(1)
    page.goto("/")
    wait_until_offline_ready(page)
    wait_for_installs(2)
