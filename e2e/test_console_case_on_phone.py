"""A lawyer's case page on a phone: who, where and the next step on the first screen.

The numbers printed are the measurement the layout was changed for (docs/triage.md): on a
390×844 phone the person's name used to start 1,954 px down a 2,940 px page, below every
action form; now it is at 377 px of 1,876, with the next step on the first screen too.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_sos_reaches_the_console import log_in
from habeas.cases import services as cases
from habeas.cases.models import Case, Origin
from habeas.dispatch import services as dispatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PERSON = cases.Person(
    full_name="Мария Иванова",
    date_of_birth=date(1995, 4, 12),
    phone="+7 916 555-01-02",
    note="астма, ингалятор в рюкзаке",
)


@pytest.fixture(params=["ru-RU", "en-US"])
def locale(request) -> str:
    return request.param


def context_page(browser, live_server, viewport, locale):
    context = browser.new_context(
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
        locale=locale,
        base_url=live_server.url,
    )
    return context, context.new_page()


def lawyers_case(lawyer, origin: str = Origin.SOS) -> Case:
    intake = cases.Intake(person=PERSON, location=cases.Location(55.7649, 37.6116, 25))
    opened = dispatch.receive_sos(intake, idempotency_key=f"phone-page-{origin}-0001")
    if origin != Origin.SOS:
        # As timers.services records a timer answered with the duress PIN.
        Case.objects.filter(pk=opened.case.pk).update(origin=origin)
    return dispatch.act(Case.objects.get(pk=opened.case.pk), "take", lawyer)


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["y"] + box["height"]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_page_starts_with_who_then_where_then_the_next_step(
    browser, live_server, lawyer_a, stations, locale, viewport
):
    case = lawyers_case(lawyer_a)
    context, page = context_page(browser, live_server, viewport, locale)
    try:
        log_in(page, lawyer_a)
        page.goto(f"/console/cases/{case.public_id}/")
        who = page.locator("#who")
        expect(who.locator(".person-name")).to_have_text("Мария Иванова")
        expect(who.locator(".person-born")).to_have_text("12.04.1995")
        expect(who.locator("a.phone")).to_have_attribute("href", "tel:+79165550102")
        expect(who.locator(".person-note")).to_have_text("астма, ингалятор в рюкзаке")
        expect(page.locator("#where .station-name")).to_have_text("ОВД Тверской")
        expect(page.locator("#where .distance")).to_be_visible()
        step = page.locator(".next-step button[value=en_route]")
        expect(step).to_be_visible()

        order = [
            top(page, "#who .person-name"),
            top(page, "#who a.phone"),
            top(page, "#who .person-note"),
            top(page, "#where .station-name"),
            top(page, ".next-step"),
        ]
        assert order == sorted(order)
        # All of it on the first screen, without scrolling.
        assert bottom(page, ".next-step") <= viewport["height"]
        height = page.evaluate("document.documentElement.scrollHeight")
        size = f"{viewport['width']}×{viewport['height']}"
        print(f"\n{locale} {size}: page {height} px, name at {order[0]:.0f} px")

        # The rarer steps are folded, one tap away.
        more = page.locator("details#more-actions")
        for action in ("protocol", "court_date", "transferred", "close"):
            expect(more.locator(f"button[value={action}]")).to_be_hidden()
        more.locator("summary").click()
        expect(more.locator("button[value=protocol]")).to_be_visible()

    finally:
        context.close()


def test_a_duress_sos_shows_the_warning_where_the_phone_would_be(
    browser, live_server, lawyer_a, stations, locale
):
    case = lawyers_case(lawyer_a, Origin.DURESS)
    context, page = context_page(browser, live_server, PHONE, locale)
    try:
        log_in(page, lawyer_a)
        page.goto(f"/console/cases/{case.public_id}/")
        warning = page.locator("#who .duress-warning")
        expect(warning).to_be_visible()
        assert bottom(page, "#who .duress-warning") <= PHONE["height"]
        expect(page.locator("a[href^='tel:+7916']")).to_have_count(0)
        assert "555-01-02" not in page.locator("main").inner_text()
    finally:
        context.close()


def test_an_opened_more_actions_stays_open_when_the_case_changes(
    browser, live_server, lawyer_a, dispatcher, stations
):
    case = lawyers_case(lawyer_a)
    context, page = context_page(browser, live_server, PHONE, "ru-RU")
    try:
        log_in(page, lawyer_a)
        page.goto(f"/console/cases/{case.public_id}/")
        page.locator("details#more-actions summary").click()
        # Someone else changes the case: the live part is swapped in.
        dispatch.act(Case.objects.get(pk=case.pk), "note", dispatcher, note="Мама едет")
        expect(page.locator("#timeline [data-event=note]")).to_be_visible(timeout=6000)
        expect(page.locator("details#more-actions")).to_have_attribute("open", "")
    finally:
        context.close()
