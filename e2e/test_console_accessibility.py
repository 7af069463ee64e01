"""axe-core finds no serious or critical violation on any console page, on a phone and a
laptop, in Russian and English: the queue of a busy day (200 cases), the case page (a lawyer's
and a dispatcher's), the offer, roster, outbox, summons, call-backs, new case, profile, staff,
the station board and map, the login and every two-factor page.

Each test logs one persona in once and walks its pages; the failure lists every page's
violations at once, so one run shows all there is to fix.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, totp_code
from e2e.test_accessibility import AXE
from e2e.test_sos_reaches_the_console import log_in
from habeas.accounts import invitations
from habeas.accounts.models import Role, SealedTOTPDevice, User
from habeas.callbacks import services as callbacks
from habeas.cases import services as cases
from habeas.cases.models import Case, Kind, Origin
from habeas.dispatch import services as dispatch
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import Message, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
LOCALES = ["ru-RU", "en-US"]
QUEUE_CASES = 200
CHECK = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(" "))})`)"""


@pytest.fixture(params=list(VIEWPORTS))
def size(request) -> str:
    return request.param


@pytest.fixture(params=LOCALES)
def locale(request) -> str:
    return request.param


@pytest.fixture
def page(browser, live_server, size, locale):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --ignore-scripts` (make test does)")
    context = browser.new_context(
        viewport=VIEWPORTS[size],
        is_mobile=size == "phone",
        has_touch=size == "phone",
        locale=locale,
        base_url=live_server.url,
        bypass_csp=True,  # for axe's injection only; the pages never load it
    )
    yield context.new_page()
    context.close()


def violations(page, path: str, status: int = 200) -> list[str]:
    response = page.goto(path)
    # The page itself, not a login page it redirected to.
    assert response.status == status, f"{path}: {response.status}"
    assert page.url.endswith(path), f"{path} went to {page.url}"
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE.read_text())
    return [f"{path}: {v}" for v in page.evaluate(CHECK)]


def walk(page, paths: list[str]) -> None:
    found = [v for path in paths for v in violations(page, path)]
    assert found == [], "\n".join(found)


def sos(n: int, **person) -> Case:
    intake = cases.Intake(
        person=cases.Person(**person) if person else cases.Person(),
        location=cases.Location(55.7649 + n * 1e-4, 37.6116, 25),
    )
    return dispatch.receive_sos(intake, idempotency_key=f"a11y-case-{n:05d}").case


def person(n: int) -> dict:
    return {
        "full_name": f"Человек Номер{n}",
        "date_of_birth": date(1990, 1, 1) + timedelta(days=n),
        "phone": "+7 000 555-00-00",
    }


@pytest.fixture
def busy_day(stations, lawyer_a, lawyer_b, dispatcher):
    """200 open cases, as on the day: minors, a duress PIN, a timer, escalated ones, offers,
    a lawyer's own case with a relative's report, a summons, a call-back, a dead message."""
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.76, base_lon=37.61, radius_km=30)
    made = [sos(n, **person(n)) for n in range(QUEUE_CASES - 20)]
    made += [sos(n) for n in range(QUEUE_CASES - 20, QUEUE_CASES)]  # no saved details
    minor = {"full_name": "Петя Младший", "date_of_birth": date.today() - timedelta(days=15 * 365)}
    made.append(sos(QUEUE_CASES, **minor))
    Case.objects.filter(pk=made[1].pk).update(origin=Origin.DURESS, priority=5)
    Case.objects.filter(pk=made[2].pk).update(origin=Origin.TIMER, priority=5)
    Case.objects.filter(pk__in=[c.pk for c in made[3:8]]).update(escalated_at=timezone.now())
    # Lawyer B off duty, so the offer is A's.
    Lawyer.objects.filter(user=lawyer_b).update(on_duty=False)
    offer = dispatch.offer_next(made[10].pk)
    own = dispatch.act(made[0], "take", lawyer_a)
    relative = cases.Intake(
        person=cases.Person(
            full_name=person(0)["full_name"], date_of_birth=person(0)["date_of_birth"]
        ),
        reporter_role="relative",
        reporter=cases.Reporter(name="Мама", phone="+7 000 555-11-22", relation="мама"),
    )
    dispatch.receive_sos(relative, idempotency_key="a11y-relative-0001")
    name_only = cases.Intake(person=cases.Person(full_name=person(4)["full_name"]))
    dispatch.receive_sos(name_only, idempotency_key="a11y-name-only-0001")  # a possible match
    summons = cases.Intake(
        kind=Kind.SUMMONS,
        person=cases.Person(full_name="Вызванный Свидетель"),
        summons=cases.Summons(date=date.today() + timedelta(days=3), time="10:00", place="ОВД"),
    )
    dispatch.receive_sos(summons, idempotency_key="a11y-summons-0001")
    callbacks.request(made[20].reports.first())
    Message.objects.create(
        channel="email", dedupe_key="a11y-dead", state=State.DEAD, last_error="550 no such user"
    )
    return {"own": own, "open": made[4], "offer": offer}


def test_a_dispatchers_pages(page, busy_day, dispatcher):
    log_in(page, dispatcher)
    walk(
        page,
        [
            "/console/",
            "/console/?page=2",
            f"/console/cases/{busy_day['own'].public_id}/",
            f"/console/cases/{busy_day['open'].public_id}/",
            "/console/roster/",
            "/console/outbox/",
            "/console/requests/",
            "/console/figures/",
            "/console/callbacks/",
            "/console/cases/new/",
            "/console/profile/",
            "/console/stations/",
            "/console/map/",
        ],
    )


def test_a_lawyers_pages(page, busy_day, lawyer_a):
    log_in(page, lawyer_a)
    walk(
        page,
        [
            "/console/",
            f"/console/cases/{busy_day['own'].public_id}/",
            f"/console/cases/{busy_day['open'].public_id}/",  # details hidden
            f"/console/offers/{busy_day['offer'].pk}/",
            "/console/requests/",
            "/console/profile/",
            "/console/stations/",
            "/console/map/",
        ],
    )


def test_an_administrators_staff_page(page, admin, lawyer_a):
    invitations.issue(User.objects.create_user(email="new@lawyers.test", role=Role.LAWYER))
    log_in(page, admin)
    walk(page, ["/console/staff/", "/console/"])


def test_the_login_and_two_factor_pages(page, lawyer_a, settings):
    # django-otp waits after a wrong code; the right one comes at once here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    found = violations(page, "/console/login/")
    page.fill("input[name=username]", lawyer_a.email)
    page.fill("input[name=password]", "wrong password")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    found += violations_here(page, "login, wrong password")
    page.fill("input[name=username]", lawyer_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile("/console/two-factor/"))
    found += violations_here(page, "two-factor")
    page.fill("input[name=code]", "000000")
    page.locator("form:has(input[name=code]) [type=submit]").click()
    found += violations_here(page, "two-factor, wrong code")
    page.fill("input[name=code]", totp_code(lawyer_a))
    page.locator("form:has(input[name=code]) [type=submit]").click()
    page.wait_for_url(re.compile("/console/$"))
    # New recovery codes, from the profile: shown once.
    page.goto("/console/profile/")
    page.locator("form[action$='recovery-codes/'] [type=submit]").click()
    found += violations_here(page, "recovery codes")
    found += violations(page, "/console/welcome/no-such-invitation/", status=410)
    assert found == [], "\n".join(found)


def test_the_welcome_and_setup_pages(page, db):
    newcomer = User.objects.create_user(email="nina@lawyers.test", role=Role.LAWYER)
    token = invitations.issue(newcomer)
    found = violations(page, f"/console/welcome/{token}/")
    strong = "long enough to be a real passphrase 7"
    page.fill("input[name=new_password1]", strong)
    page.fill("input[name=new_password2]", strong)
    page.locator("form:has(input[name=new_password1]) [type=submit]").click()
    page.wait_for_url(re.compile("/console/two-factor/setup/"))
    found += violations_here(page, "setup")
    device = SealedTOTPDevice.objects.get(user=newcomer)
    device.confirmed = True  # only to compute the code the app would show
    page.fill("input[name=code]", _code(device))
    page.locator("form:has(input[name=code]) [type=submit]").click()
    found += violations_here(page, "setup, recovery codes")
    assert found == [], "\n".join(found)


def _code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def violations_here(page, label: str) -> list[str]:
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE.read_text())
    return [f"{label}: {v}" for v in page.evaluate(CHECK)]


@pytest.mark.parametrize("size", ["phone"])
@pytest.mark.parametrize("locale", ["ru-RU"])
def test_the_sweep_itself_reports_a_violation(page):
    page.goto("/console/login/")
    page.evaluate("document.querySelector('main').appendChild(document.createElement('button'))")
    assert any("button-name" in v for v in violations_here(page, "login"))
