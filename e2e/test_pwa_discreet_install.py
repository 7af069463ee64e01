"""The discreet install: chosen in the app, every page names the neutral manifest, title and
icon, so a phone's home screen shows "Notes", not SOS or the hotline; the wipe forgets it.

Chromium's own reading of the page's manifest (DevTools' Page.getAppManifest) is what an
"Add to home screen" would install, so that is what is checked, not only the link."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def installed_as(page) -> dict:
    """The manifest Chromium would install from this page: its address and its name."""
    cdp = page.context.new_cdp_session(page)
    try:
        found = cdp.send("Page.getAppManifest")
    finally:
        cdp.detach()
    return {"url": found["url"], "name": found.get("manifest", {}).get("name", "")}


def shows(page) -> dict:
    return page.evaluate(
        """() => ({
            title: document.title,
            icon: document.querySelector("link[rel=icon]").href,
            manifest: document.querySelector("link[rel=manifest]").href,
        })"""
    )


def test_the_discreet_choice_renames_what_would_be_installed_on_every_page(language_page):
    language, page = language_page
    with translation.override(language):
        notes = gettext("Notes")
        done = gettext(
            'Done: added to the home screen now, the app is called "Notes". If it is there '
            "already under its own name, remove it and add it again."
        )
        undone = gettext("The app will be added to the home screen under its own name again.")
    page.goto("/")
    plain = shows(page)
    assert plain["manifest"].endswith("/manifest.webmanifest")
    assert installed_as(page)["url"].endswith("/manifest.webmanifest")

    page.check("#discreet")
    expect(page.locator("#discreet-state")).to_have_text(done)
    assert shows(page) == {
        "title": notes,
        "icon": plain["icon"].replace("icon-192", "notes-192"),
        "manifest": plain["manifest"].replace("manifest.webmanifest", "notes.webmanifest"),
    }
    manifest = installed_as(page)
    assert manifest["url"].endswith("/notes.webmanifest")
    assert manifest["name"] == notes

    # Kept on the phone: the next visit, and a guide the app may be added from, say the same.
    for path in ("/", "/guides/"):
        page.goto(path)
        expect(page).to_have_title(notes)
        assert installed_as(page)["url"].endswith("/notes.webmanifest")
    page.goto("/")
    expect(page.locator("#discreet")).to_be_checked()

    page.uncheck("#discreet")
    expect(page.locator("#discreet-state")).to_have_text(undone)
    assert shows(page) == plain
    page.reload()
    assert shows(page) == plain


def test_the_panic_wipe_forgets_the_discreet_choice(phone_page):
    page = phone_page
    page.goto("/")
    page.check("#discreet")
    assert page.evaluate("localStorage.getItem('habeas.discreet')") == "true"
    page.goto("/x")
    expect(page.locator("body")).to_have_attribute("data-wiped", "1", timeout=15000)
    page.goto("/")
    assert page.evaluate("localStorage.getItem('habeas.discreet')") is None
    expect(page.locator("#discreet")).not_to_be_checked()
    assert installed_as(page)["url"].endswith("/manifest.webmanifest")
