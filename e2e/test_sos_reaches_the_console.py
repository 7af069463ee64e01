"""The spine: a phone's SOS reaches a lawyer's live queue, and the phone sees the lawyer coming."""

import re
import time

import pytest
from django.utils import translation
from playwright.sync_api import expect

from conftest import PASSWORD, totp_code
from e2e.helpers import hold
from habeas.cases.models import Case
from habeas.cases.services import open_details
from habeas.cases.status import stage_message
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ru(stage: str) -> str:
    with translation.override("ru"):
        return stage_message(stage)


def log_in(page, user) -> None:
    """Password, then the code the persona's authenticator app shows (the second factor)."""
    page.goto("/console/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page.locator("input[name=code]")).to_be_visible()
    page.fill("input[name=code]", totp_code(user))
    page.locator("form:has(input[name=code]) [type=submit]").click()
    expect(page.locator("#queue")).to_be_attached()


def sos_button(page):
    button = page.locator("#sos")
    expect(button).to_have_accessible_name(re.compile("SOS"))
    return button


def test_an_sos_reaches_the_lawyer_and_the_phone_sees_each_step(
    phone_page, console_page, lawyer_a, stations, worker
):
    Lawyer.objects.filter(user=lawyer_a).update(base_lat=55.76, base_lon=37.61, radius_km=30)
    log_in(console_page, lawyer_a)

    phone_page.goto("/")
    phone_page.fill("#full_name", "Мария Иванова")
    phone_page.fill("#date_of_birth", "1995-04-12")
    phone_page.fill("#phone", "+7 916 555-01-02")
    phone_page.fill("#note", "астма")
    phone_page.click("#save-details")

    sos = sos_button(phone_page)
    expect(sos).to_be_visible()

    # A tap, or a hold cut short, sends nothing: no pocket alerts.
    sos.click()
    hold(phone_page, sos, 500)
    phone_page.wait_for_timeout(800)
    assert Case.objects.count() == 0

    hold(phone_page, sos, 1800)
    expect(phone_page.locator("#status-screen")).to_be_visible()
    expect(phone_page.locator("#status-message")).to_have_text(ru("received"))
    sent_at = time.monotonic()
    expect(phone_page.locator("#hotline-link")).to_have_attribute("href", re.compile(r"^tel:"))

    case = Case.objects.get()
    details = open_details(case.reports.get())
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["location"]["lat"] == pytest.approx(55.7649, abs=1e-3)

    # The lawyer's queue shows it without a reload.
    row = console_page.locator(f'[data-case-id="{case.public_id}"]')
    expect(row).to_be_visible(timeout=5000)
    print(f"\nSOS to console queue: {time.monotonic() - sent_at:.2f} s")
    assert "Мария" not in console_page.locator("#queue").inner_text()

    # The worker offers it to the lawyer on duty nearby, who accepts from the queue.
    offer = console_page.locator("[data-offer-id]")
    expect(offer).to_be_visible(timeout=10000)
    print(f"SOS to offer in the console: {time.monotonic() - sent_at:.2f} s")
    assert Offer.objects.get(case=case).lawyer == lawyer_a
    offer.locator("a").first.click()
    console_page.click("button[name=answer][value=accept]")
    expect(phone_page.locator("#status-message")).to_have_text(ru("lawyer_assigned"), timeout=5000)
    console_page.goto(f"/console/cases/{case.public_id}/")
    expect(console_page.get_by_text("Мария Иванова")).to_be_visible()
    console_page.click("button[value=at_station]")
    expect(phone_page.locator("#status-message")).to_have_text(
        ru("lawyer_at_station"), timeout=5000
    )
    assert Case.objects.get().status == "lawyer_on_site"


def test_the_phone_withdraws_a_false_alarm(phone_page, db):
    phone_page.goto("/")
    hold(phone_page, sos_button(phone_page), 1800)
    expect(phone_page.locator("#status-screen")).to_be_visible()
    phone_page.click("#withdraw")
    phone_page.click("#withdraw-confirm")
    expect(phone_page.locator("#status-message")).to_have_text(ru("withdrawn"), timeout=5000)
    case = Case.objects.get()
    assert case.status == "closed"
    assert case.close_reason == "false_alarm"


def test_keyboard_users_send_an_sos_through_the_confirmation_step(phone_page, db):
    phone_page.goto("/")
    phone_page.focus("#sos-alt")
    phone_page.keyboard.press("Enter")
    phone_page.locator("#sos-alt-confirm").focus()
    phone_page.keyboard.press("Enter")
    expect(phone_page.locator("#status-screen")).to_be_visible()
    assert Case.objects.count() == 1
