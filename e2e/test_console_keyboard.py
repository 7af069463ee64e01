"""The console by keyboard alone: from the queue's first row to a submitted step, the
"N new — show" button, and the focus kept through the queue's live refresh.

Every element the Tab key lands on must be visible and show that it has the focus: a
dispatcher working by keyboard never loses track of where they are.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_sos_reaches_the_console import log_in
from habeas.cases.models import Case, CaseEvent
from habeas.console.tests.helpers import open_case
from habeas.dispatch import services as dispatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
FIRST_ROW = "#queue ol.cards > li:not([hidden]) a.case-id"
WHERE_FOCUS_IS = """(selector) => {
  const a = document.activeElement;
  const box = a.getBoundingClientRect();
  const style = getComputedStyle(a);
  return {
    at: a.matches(selector),
    visible: box.width > 0 && box.height > 0,
    ring: style.outlineStyle !== "none" || style.boxShadow !== "none",
    what: `${a.tagName.toLowerCase()}#${a.id}.${a.className}`,
  };
}"""


@pytest.fixture(params=list(VIEWPORTS))
def size(request) -> str:
    return request.param


@pytest.fixture(params=["ru-RU", "en-US"])
def page(browser, live_server, size, request):
    context = browser.new_context(
        viewport=VIEWPORTS[size], locale=request.param, base_url=live_server.url
    )
    yield context.new_page()
    context.close()


def tab_to(page, selector: str, *, back: bool = False, most: int = 80) -> int:
    """Press Tab (or Shift+Tab) until the focus is on `selector`; return how many presses.

    Fails on a focus stop that cannot be seen or shows no focus ring.
    """
    for presses in range(1, most + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        where = page.evaluate(WHERE_FOCUS_IS, selector)
        assert where["visible"], f"Tab landed on something hidden: {where['what']}"
        if where["at"]:
            # Chromium draws its ring for :focus-visible; our CSS must not have taken it away.
            assert where["ring"], f"no focus ring on {where['what']}"
            return presses
    raise AssertionError(f"{selector} not reached in {most} presses of Tab")


def test_tab_to_the_first_row_open_it_and_assign_it_with_enter(page, dispatcher, lawyer_a):
    first, _second = open_case(), open_case()
    log_in(page, dispatcher)
    tab_to(page, FIRST_ROW)
    assert page.evaluate("document.activeElement.textContent") == first.public_id
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/console/cases/{first.public_id}/$"))

    # The next step (assign) is reached, its lawyer chosen and the form sent, all by keys.
    tab_to(page, ".next-step select[name=lawyer]")
    page.keyboard.press("ArrowDown")  # the first lawyer on the list
    tab_to(page, ".next-step button[value=assign]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages .success")).to_be_visible()
    assert Case.objects.get(pk=first.pk).assigned_lawyer == lawyer_a


def test_a_lawyer_sends_the_next_step_and_a_folded_one_with_enter(page, lawyer_a):
    case = dispatch.act(open_case(), "take", lawyer_a)
    log_in(page, lawyer_a)
    page.goto(f"/console/cases/{case.public_id}/")
    tab_to(page, ".next-step button[value=en_route]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages .success")).to_be_visible()
    assert CaseEvent.objects.filter(case=case, kind="lawyer_en_route").exists()

    # "More actions" opens from the keyboard, and Enter in a field sends its form.
    tab_to(page, "#more-actions > summary")
    page.keyboard.press("Enter")
    tab_to(page, "#article-protocol")
    page.keyboard.type("20.2 ч. 5")
    page.keyboard.press("Enter")
    expect(page.locator(".messages .success")).to_be_visible()
    protocol = CaseEvent.objects.get(case=case, kind="protocol")
    assert protocol.data["article"] == "20.2 ч. 5"


def test_n_new_show_by_keyboard_brings_the_focus_to_the_first_new_case(page, dispatcher):
    open_case(), open_case()
    log_in(page, dispatcher)
    tab_to(page, FIRST_ROW)
    focused = page.evaluate("document.activeElement.textContent")

    # A minor ranks first: it would push every row down, so it waits behind the button.
    minor = open_case(name="Петя Сидоров", born=date(2012, 5, 5))
    show = page.locator("#queue-new button")
    expect(show).to_be_visible(timeout=6000)
    # The refresh kept the focus where it was.
    assert page.evaluate("document.activeElement.textContent") == focused
    tab_to(page, "#queue-new button", back=True, most=20)
    page.keyboard.press("Enter")
    expect(page.locator(f'[data-case-id="{minor.public_id}"]')).to_be_visible()
    expect(show).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent") == minor.public_id


def test_the_focus_stays_on_its_row_through_each_refresh(page, dispatcher):
    open_case(), open_case()
    log_in(page, dispatcher)
    tab_to(page, FIRST_ROW)
    tab_to(page, "#queue ol.cards > li:nth-child(2) a.case-id")
    second = page.evaluate("document.activeElement.textContent")
    for _ in range(2):
        later = open_case()  # the newest waits least: it appears below, the list refreshes
        expect(page.locator(f'[data-case-id="{later.public_id}"]')).to_be_visible(timeout=6000)
        assert page.evaluate("document.activeElement.textContent") == second
    # And the keyboard goes on from there, to the row below (past its tick box).
    assert tab_to(page, "#queue ol.cards > li:nth-child(3) a.case-id", most=3) <= 2
