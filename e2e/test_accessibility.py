"""axe-core finds no serious or critical accessibility violation on the public pages and
the console's pages of the day (queue, station board, map, case page).

axe-core comes from npm (package.json) and is injected by the test only; the pages never load
it. The test context bypasses CSP for that injection alone.
"""

from pathlib import Path

import pytest

from conftest import DETAINEE_BODY, Phone
from e2e.test_sos_reaches_the_console import log_in
from habeas.cases.models import Case
from habeas.dispatch import services as dispatch
from habeas.lawyers.models import Lawyer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/guides/",
    "/guides/police-station/",
    "/summons/",
    "/help/",
    "/stats/",
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


CONSOLE_PAGES = ["/console/", "/console/stations/", "/console/map/", "case"]


@pytest.mark.parametrize("who", ["dispatcher", "lawyer_a"])
@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_console_pages_of_the_day_have_no_serious_or_critical_violations(
    page, path, who, request, stations
):
    user = request.getfixturevalue(who)
    Lawyer.objects.filter(user__email="anna@lawyers.test").update(base_lat=55.771, base_lon=37.62)
    phone = Phone()
    assert phone.sos(DETAINEE_BODY, key=f"axe-{who}").status_code == 201
    if who == "lawyer_a":
        # The lawyer's own case: its page has the actions, the details and the map.
        dispatch.act(Case.objects.get(public_id=phone.case_id), "take", user)
    log_in(page, user)
    target = f"/console/cases/{phone.case_id}/" if path == "case" else path
    assert page.goto(target).status == 200
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE.read_text())
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`)"""
    )
    assert violations == [], "\n".join(violations)
