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
    page.click("#details-edit")
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
    # Nothing saved, nothing to fold: the form stays open for the next person to fill.
    expect(page.locator("#details-form")).to_be_visible()
    expect(page.locator("#details-edit")).to_be_hidden()


def test_saved_details_fold_into_one_line_and_open_on_demand(language_page):
    language, page = language_page
    page.goto("/")
    expect(page.locator("#details-edit")).to_be_hidden()
    page.fill("#full_name", "Мария Иванова")
    page.fill("#phone", "+7 916 555-01-02")
    page.click("#save-details")

    # Folded: one line, and nothing of the details shows to whoever holds the phone.
    edit = page.locator("#details-edit")
    with translation.override(language):
        expect(edit).to_have_text(gettext("Details saved · edit"))
        expect(page.locator("#details-state")).to_have_text(gettext("Saved on this phone only."))
    expect(edit).to_be_focused()
    expect(edit).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#details-form")).to_be_hidden()
    assert "Мария" not in page.inner_text("body")

    # Still folded on the next visit; opened on demand, then folded again by Save.
    page.reload()
    expect(page.locator("#details-form")).to_be_hidden()
    edit.click()
    expect(edit).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#full_name")).to_be_focused()
    expect(page.locator("#full_name")).to_have_value("Мария Иванова")
    page.fill("#phone", "+7 916 555-01-03")
    page.click("#save-details")
    expect(page.locator("#details-form")).to_be_hidden()
    assert "555-01-03" in page.evaluate("localStorage.getItem('habeas.details')")

    # A link to "#details" (as the other pages' "Change my details") opens the form.
    page.goto("/#details")
    expect(page.locator("#details-form")).to_be_visible()
