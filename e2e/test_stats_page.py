"""The open statistics on a 390 px phone: readable, accessible, from our own origin only, and
nothing left behind on the phone (no cookie, no storage, no service worker)."""

from pathlib import Path

import pytest
from django.core.cache import cache

from habeas.stats.tests.crafting import cases, event, refused, station

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def figures():
    """Six stations with long names, some small enough to be hidden, refusals at half."""
    cache.clear()
    for i in range(6):
        place = station(f"ОМВД России по району Очень-Длинное-Название-{i}", "москва")
        made = cases(2 + 3 * i, held=place)
        for case in made[:5]:
            event(case, "lawyer_en_route", 15 + i)
            if i % 2:
                refused(case, place, "fortress", 40 + i)
    yield
    cache.clear()


def test_the_page_fits_a_phone_and_asks_only_our_own_origin(phone_page, live_server, figures):
    foreign, violations = [], []
    phone_page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    phone_page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    assert phone_page.goto("/stats/").status == 200
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.get_by_role("heading", name="Открытая статистика").is_visible()
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    charts = phone_page.locator("svg.chart")
    assert charts.count() == 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone_page.get_by_text("< 5").first.is_visible()
    phone_page.get_by_role("link", name="English").click()
    assert phone_page.get_by_role("heading", name="Detentions by day").is_visible()
    assert foreign == [] and violations == []


def test_reading_the_page_leaves_nothing_on_the_phone(phone_page, figures):
    phone_page.goto("/stats/")
    phone_page.get_by_role("link", name="English").click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.context.cookies() == []
    stored = phone_page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            workers: (await navigator.serviceWorker.getRegistrations()).length,
            caches: (await caches.keys()).length,
        })"""
    )
    assert stored == {"local": 0, "session": 0, "workers": 0, "caches": 0}


def test_the_page_has_no_serious_accessibility_violation(browser, live_server, figures):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --ignore-scripts` (make test does)")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    for path in ("/stats/?lang=ru", "/stats/?lang=en"):
        assert page.goto(path).status == 200
        page.add_script_tag(content=AXE.read_text())
        found = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                 .filter(v => v.impact === "serious" || v.impact === "critical")
                 .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(", ")})`)"""
        )
        assert found == [], "\n".join(found)
    context.close()
