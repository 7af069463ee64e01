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
from habeas.evidence.tests.test_uploads import declare, send
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
    "/x",
    "/console/login/",
]
# A contact's link that has expired, and a wrong address: the localised error page.
NOT_FOUND = ["/s/expired-link", "/no-such-page/"]


def new_page(browser, live_server, locale: str):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --ignore-scripts` (make test does)")
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        locale=locale,
        base_url=live_server.url,
        bypass_csp=True,
    )


@pytest.fixture
def page(browser, live_server):
    context = new_page(browser, live_server, "ru-RU")
    yield context.new_page()
    context.close()


@pytest.fixture(params=["ru-RU", "en-GB"])
def public_page(request, browser, live_server):
    """A phone in each language: the pages' words, headings and labels differ."""
    context = new_page(browser, live_server, request.param)
    yield context.new_page()
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`)"""
    )


@pytest.mark.parametrize("path", PAGES + NOT_FOUND)
def test_no_serious_or_critical_accessibility_violations(public_page, path):
    page = public_page
    assert page.goto(path).status == (404 if path in NOT_FOUND else 200)
    assert page.evaluate("document.documentElement.lang") == page.evaluate(
        "navigator.language.split('-')[0]"
    ), "the page is in the phone's language"
    violations = serious_violations(page)
    assert violations == [], "\n".join(violations)


def test_the_home_page_with_saved_details_folded_and_the_choices_open(public_page):
    page = public_page
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.click("#save-details")
    page.check("#discreet")
    page.click("#sos-alt")
    page.click("#wipe")
    violations = serious_violations(page)
    assert violations == [], "\n".join(violations)
    page.click("#details-edit")
    page.click("#clear-details")
    violations = serious_violations(page)
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
    # A photo the person sent: the page's evidence table with its links.
    photo = b"\xff\xd8 a photo"
    declare(phone, data=photo)
    send(phone, photo, 0)
    log_in(page, user)
    target = f"/console/cases/{phone.case_id}/" if path == "case" else path
    assert page.goto(target).status == 200
    page.wait_for_load_state("networkidle")
    violations = serious_violations(page)
    assert violations == [], "\n".join(violations)
