"""axe-core finds no serious or critical accessibility violation on the public pages.

axe-core comes from npm (package.json) and is injected by the test only; the pages never load
it. The test context bypasses CSP for that injection alone.
"""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/guides/",
    "/guides/police-station/",
    "/summons/",
    "/someone/",
    "/timer/",
    "/photo/",
    "/console/login/",
]


@pytest.fixture
def page(browser, live_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --ignore-scripts` (make test does)")
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="ru-RU",
        base_url=live_server.url,
        bypass_csp=True,
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violations(page, path):
    assert page.goto(path).status == 200
    page.add_script_tag(content=AXE.read_text())
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`)"""
    )
    assert violations == [], "\n".join(violations)


def test_the_check_itself_catches_a_violation(page):
    page.goto("/guides/")
    page.evaluate("document.body.appendChild(document.createElement('button'))")  # no name
    page.add_script_tag(content=AXE.read_text())
    ids = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert "button-name" in ids
