"""New cases never move the queue's rows under the dispatcher's pointer or take their focus."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_sos_reaches_the_console import log_in
from habeas.console.tests.helpers import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_that_would_push_rows_down_waits_behind_n_new_and_focus_stays(
    console_page, dispatcher
):
    older, newer = open_case(), open_case()
    log_in(console_page, dispatcher)
    link = console_page.locator(f'[data-case-id="{newer.public_id}"] a.case-id')
    link.focus()

    # A minor ranks first: shown at once, it would push every row down.
    minor = open_case(name="Петя Сидоров", born=date(2012, 5, 5))
    bar = console_page.locator("#queue-new")
    expect(bar).to_be_visible(timeout=6000)
    # The wording comes from the catalogue ("{n} new — show"); the count is what matters.
    expect(bar.locator("button")).to_have_text(re.compile(r"^\D*1\D*$"))
    card = console_page.locator(f'[data-case-id="{minor.public_id}"]')
    expect(card).to_be_hidden()
    expect(link).to_be_focused()

    bar.locator("button").click()
    expect(card).to_be_visible()
    expect(bar).to_be_hidden()
    order = console_page.locator("ol.cards > [data-case-id]").evaluate_all(
        "cards => cards.map(c => c.dataset.caseId)"
    )
    assert order == [minor.public_id, older.public_id, newer.public_id]


def test_a_case_below_all_shown_ones_simply_appears(console_page, dispatcher):
    open_case()
    log_in(console_page, dispatcher)
    later = open_case()  # the newest waits least: last in dispatch order
    expect(console_page.locator(f'[data-case-id="{later.public_id}"]')).to_be_visible(timeout=6000)
    expect(console_page.locator("#queue-new")).to_be_hidden()
