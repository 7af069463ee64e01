"""A relative reports someone who was detained, on a phone, and follows the case."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import ru
from habeas.cases.models import Case
from habeas.cases.services import open_details
from habeas.dispatch import services as dispatch
from habeas.stations.models import PoliceStation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_relative_reports_a_detention_with_no_hold_and_gets_a_status_link(
    phone_page, stations, lawyer_a
):
    station = PoliceStation.objects.get(name="ОВД Тверской")
    page = phone_page
    page.goto("/")
    page.click("#relative-link")
    page.fill("#rel-full_name", "Мария Иванова")
    page.fill("#rel-date_of_birth", "1995-04-12")
    page.fill("#rel-where", "у метро Пушкинская, около 14:00")
    page.fill("#rel-station", station.name)
    page.fill("#rep-name", "Ольга Иванова")
    page.fill("#rep-relation", "мама")
    page.fill("#rep-phone", "+7 916 555-01-09")
    page.click("#relative-send")
    expect(page.locator("#status-screen")).to_be_visible()
    expect(page.locator("#status-title")).to_have_text(ru("Report received"))

    report = Case.objects.get().reports.get()
    assert report.reporter_role == "relative"
    details = open_details(report)
    assert details["person"]["full_name"] == "Мария Иванова"
    assert details["reporter"]["phone"] == "+7 916 555-01-09"
    assert details["reporter"]["relation"] == "мама"
    assert "Пушкинская" in details["person"]["note"]
    # Routed by the station named: the case's nearest station is that one.
    assert Case.objects.get().near_station == station

    # The relative's status link follows the case: here the lawyer reaches the station.
    case = Case.objects.get()
    dispatch.act(case, "take", lawyer_a)
    dispatch.act(case, "at_station", lawyer_a)
    expect(page.locator("#status-screen")).to_have_attribute(
        "data-stage", "lawyer_at_station", timeout=10000
    )


def test_a_refused_report_names_the_field_and_nothing_is_stored(phone_page):
    page = phone_page
    page.goto("/someone/")
    page.fill("#rel-full_name", "Мария Иванова")
    page.fill("#rel-date_of_birth", "2999-01-01")
    page.click("#relative-send")
    expect(page.locator("#relative-errors")).to_be_visible()
    expect(page.locator("#relative-errors-list li")).to_have_count(1)
    expect(page.locator("#relative-errors-list li")).to_contain_text(ru("Their date of birth"))
    assert not Case.objects.exists()
