"""Once the lawyer records the hearing and the decision, the person's status screen and the
family's page show when and where, what was decided, and the day to appeal by."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import hold, ru
from habeas.cases.models import Case
from habeas.court import services as court
from habeas.dispatch import services as dispatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hearing_at(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=11))


def test_the_person_sees_the_hearing_then_the_decision(phone_page, lawyer_a):
    page = phone_page
    page.goto("/")
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    expect(page.locator("#status-hearing")).to_be_hidden()
    case = Case.objects.get()
    dispatch.act(case, "take", lawyer_a)
    heard = court.record_hearing(
        case,
        by=lawyer_a,
        starts_at=hearing_at(0),
        court="Тверской районный суд",
        judge="Иванова А. А.",
    )
    hearing = page.locator("#status-hearing")
    expect(hearing).to_contain_text("Тверской районный суд", timeout=10000)
    expect(hearing).to_contain_text("11:00")
    expect(page.locator("#status-screen")).not_to_contain_text("Иванова")

    court.record_decision(
        heard, outcome="arrest", arrest_days=10, copy_received_on=timezone.localdate(), by=lawyer_a
    )
    decision = page.locator("#status-decision")
    expect(decision).to_contain_text(ru("Administrative arrest"), timeout=10000)
    expect(decision).to_contain_text("10")
    expect(hearing).to_be_hidden()
