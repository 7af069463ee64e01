"""An SOS is never held back: saved details the hotline refuses are left out of it at once,
and once it is out the person is told which, in the page's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from e2e.helpers import hold
from habeas.cases.models import Case
from habeas.cases.services import open_details

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Saved by hand or by an older page: the form's own checks never saw them.
REFUSED = {
    "full_name": "Мария Иванова",
    "date_of_birth": "2999-01-01",
    "phone": "звоните маме",
    "note": "астма",
    "city": "Москва",
    "contacts": [{"phone": "+7 916 555-01-03"}],
}


def words(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_an_sos_with_a_future_birth_date_and_a_bad_phone_goes_out_at_once(language_page):
    language, page = language_page
    answers = []
    page.on(
        "response",
        lambda r: answers.append(r.status) if r.url.endswith("/api/v1/cases") else None,
    )
    page.goto("/")
    page.evaluate("(d) => localStorage.setItem('habeas.details', JSON.stringify(d))", REFUSED)
    page.reload()
    hold(page, page.locator("#sos"))

    expect(page.locator("#status-screen")).to_be_visible()
    # No question was asked on the way: one refusal, one case, no "send without" panel.
    expect(page.locator("#send-errors")).to_be_hidden()
    assert answers == [422, 201]
    report = Case.objects.get().reports.get()
    details = open_details(report)
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["person"]["note"] == "астма"
    assert not details["person"].get("date_of_birth") and not details["person"].get("phone")
    assert details["contacts"] == [{"phone": "+7 916 555-01-03"}]

    notice = page.locator("#dropped-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(
        words(
            language, "Your SOS was sent without these details, which the hotline could not accept:"
        )
    )
    items = page.locator("#dropped-list li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_text(
        f"{words(language, 'Date of birth')}: {words(language, 'the date is in the future')}"
    )
    expect(items.nth(1)).to_have_text(
        f"{words(language, 'Phone')}: "
        f"{words(language, 'only digits, spaces, +, ( ) and - are allowed')}"
    )
    text = notice.inner_text()
    if language == "ru":
        assert "Date of birth" not in text and "future" not in text
    else:
        assert not any("а" <= ch <= "я" for ch in text.lower())

    # The notice stays with the case after a reload.
    page.reload()
    expect(page.locator("#dropped-notice")).to_be_visible()
    expect(page.locator("#dropped-list li")).to_have_count(2)
