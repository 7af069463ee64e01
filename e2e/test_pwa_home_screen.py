"""The home screen for 30 seconds on a 390x844 phone: the SOS first and above the fold even
at 200 % text, every other way in one tap below it, and "Clear" asks before it deletes."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEIGHT = 844
TILES = [
    "guides-link",
    "relative-link",
    "summons-link",
    "request-link",
    "timer-link",
    "photo-link",
    "wipe-link",
]


@pytest.fixture(params=["ru", "en"])
def language_page(request, browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
        locale={"ru": "ru-RU", "en": "en-GB"}[request.param],
        base_url=live_server.url,
    )
    page = context.new_page()
    yield request.param, page
    context.close()


def bottom(page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    return box["y"] + box["height"]


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_the_sos_is_above_the_fold_and_the_tiles_directly_under_it(language_page, text_size):
    language, page = language_page
    page.goto("/")
    # As the phone's "large text" setting does: every rem doubles (CSSOM, which the CSP allows).
    page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
    page.evaluate("window.scrollTo(0, 0)")
    assert bottom(page, "#sos") <= HEIGHT, f"the SOS drops below the fold at {text_size}"
    # The tiles come before "My details" and each leads where its words say.
    order = page.evaluate(
        "[...document.querySelectorAll('#sos, .tiles, #details')].map((e) => e.id || 'tiles')"
    )
    assert order == ["sos", "tiles", "details"]
    for tile in TILES:
        expect(page.locator(f"#{tile}")).to_be_visible()
    with translation.override(language):
        expect(page.locator("#photo-link")).to_have_text(gettext("Safe photo"))
    page.click("#photo-link")
    expect(page).to_have_url(f"{page.url.split('/photo')[0]}/photo/")


def test_clear_asks_before_it_deletes_the_saved_details(phone_page):
    page = phone_page
    page.goto("/")
    page.fill("#full_name", "Мария Иванова")
    page.click("#save-details")
    stored = "localStorage.getItem('habeas.details')"
    assert page.evaluate(stored)
    page.click("#clear-details")
    expect(page.locator("#clear-panel")).to_be_visible()
    expect(page.locator("#clear-cancel")).to_be_focused()
    page.click("#clear-cancel")
    expect(page.locator("#clear-panel")).to_be_hidden()
    assert page.evaluate(stored), "cancel keeps them"
    expect(page.locator("#full_name")).to_have_value("Мария Иванова")
    page.click("#clear-details")
    page.click("#clear-confirm")
    expect(page.locator("#full_name")).to_have_value("")
    assert not page.evaluate(stored)
