"""The status screen says what is happening: its heading follows the stage, it names the
lawyer, and it shows the three things to say to the police without opening a guide."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from e2e.helpers import hold
from habeas.cases.models import Case
from habeas.dispatch import services as dispatch
from habeas.lib.sealing import open_sealed
from habeas.notifications.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def language_page(language_page, settings):
    settings.DEBUG = True  # every notification channel has somewhere to go (the demo file)
    return language_page


def words(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_the_heading_names_the_stage_and_the_lawyer_and_withdrawal_tells_them(
    language_page, lawyer_a
):
    language, page = language_page
    page.goto("/")
    hold(page, page.locator("#sos"))
    title = page.locator("#status-title")
    expect(title).to_have_text(words(language, "SOS received"))
    phrases = page.locator("#say-to-police")
    expect(phrases).to_be_visible()
    expect(phrases).to_contain_text("статьёй 51 Конституции")
    expect(phrases).to_contain_text("Без адвоката ничего подписывать не буду.")
    expect(page.locator("#say-lawyer")).to_have_text("Мне нужен адвокат.")
    expect(page.locator("#status-lawyer")).to_be_hidden()

    case = Case.objects.get()
    dispatch.act(case, "take", lawyer_a)
    dispatch.act(Case.objects.get(), "en_route", lawyer_a)
    expect(title).to_have_text(words(language, "A lawyer is on the way"))
    with translation.override(language):
        lawyer_line = gettext("Lawyer: %(name)s") % {"name": "Anna Lawyer"}
    expect(page.locator("#status-lawyer")).to_have_text(lawyer_line)
    expect(page.locator("#say-lawyer")).to_have_text(
        "Мне нужен адвокат. Мой адвокат — Anna Lawyer."
    )
    # The three phrases are on the first screens of a phone, not behind a link.
    assert phrases.bounding_box()["y"] < 844 * 2

    page.click("#withdraw")
    page.click("#withdraw-confirm")
    expect(title).to_have_text(words(language, "SOS withdrawn"))
    expect(page.locator("#status-lawyer")).to_be_hidden()
    told = Message.objects.filter(recipient=lawyer_a, dedupe_key__startswith="withdrawn:")
    assert told.exists()
    assert case.public_id in open_sealed(told.first().sealed, "outbox")["subject"]


def test_the_status_screen_with_a_lawyer_phrases_and_left_out_details_passes_axe(
    browser, live_server, lawyer_a
):
    from e2e.test_accessibility import AXE

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="ru-RU",
        base_url=live_server.url,
        bypass_csp=True,  # for the test's own axe-core only; the page never loads it
    )
    page = context.new_page()
    page.goto("/")
    refused = {"full_name": "Мария Иванова", "date_of_birth": "2999-01-01"}
    page.evaluate("(d) => localStorage.setItem('habeas.details', JSON.stringify(d))", refused)
    page.reload()
    hold(page, page.locator("#sos"))
    expect(page.locator("#dropped-notice")).to_be_visible()
    dispatch.act(Case.objects.get(), "take", lawyer_a)
    expect(page.locator("#status-lawyer")).to_be_visible()
    page.add_script_tag(content=AXE.read_text())
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`)"""
    )
    context.close()
    assert violations == [], "\n".join(violations)
