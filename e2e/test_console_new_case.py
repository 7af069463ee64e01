"""A hotline operator takes a call and enters it in the console."""

import pytest
from playwright.sync_api import expect

from e2e.test_sos_reaches_the_console import log_in
from habeas.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_operator_enters_a_relatives_call_and_lands_on_the_new_case(
    console_page, operator, stations
):
    page = console_page
    log_in(page, operator)
    page.click("a[href='/console/cases/new/']")
    page.select_option("#id_caller", "relative")
    page.fill("#id_full_name", "Пётр Сидоров")
    page.fill("#id_date_of_birth", "1990-05-06")
    page.select_option("#id_station", label="ОВД Тверской")
    page.fill("#id_note", "задержали у метро Пушкинская в 14:00")
    page.fill("#id_caller_name", "Анна Сидорова")
    page.fill("#id_caller_phone", "+7 916 555-01-07")
    page.click("#new-case [type=submit]")
    case = Case.objects.get()
    expect(page).to_have_url(f"{page.url.split('/console/')[0]}/console/cases/{case.public_id}/")
    assert case.reports.get().channel == "operator"
