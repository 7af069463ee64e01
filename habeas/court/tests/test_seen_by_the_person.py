"""The person's status screen and the family's page show the next hearing (when, which court)
and the decision with the day to appeal by; never the judge or the article."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from habeas.cases import services as cases
from habeas.cases.models import Case
from habeas.court import services as court
from habeas.public.tests.test_watch_page import watch_token


def at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def taken(phone, lawyer_a, settings):
    token = watch_token(phone, settings)
    case = Case.objects.get()
    cases.transition(case.pk, "take", actor=lawyer_a)
    return token, case


def hearing(case, lawyer, days: int):
    return court.record_hearing(
        case,
        by=lawyer,
        starts_at=at(days, 11),
        court="Тверской районный суд",
        address="ул. Цветной бульвар, 25А",
        judge="Иванова А. А.",
        article="ч. 5 ст. 20.2",
    )


def status_of(phone, language: str = "en") -> dict:
    return phone.client.get(
        "/api/v1/cases/status", headers=phone.auth() | {"Accept-Language": language}
    ).json()


def test_before_any_hearing_there_is_no_court_stage(phone, taken):
    assert status_of(phone)["court"] is None


def test_the_next_hearing_is_shown_to_the_person_and_the_family(client, phone, lawyer_a, taken):
    token, case = taken
    hearing(case, lawyer_a, days=2)
    shown = status_of(phone)["court"]
    assert shown["hearing"]["court"] == "Тверской районный суд"
    assert shown["hearing"]["address"] == "ул. Цветной бульвар, 25А"
    assert timezone.localtime(datetime.fromisoformat(shown["hearing"]["at"])) == at(2, 11)
    assert shown["decision"] is None
    page = client.get(f"/s/{token}", headers={"Accept-Language": "en"}).content.decode()
    assert "Court hearing:" in page and "Тверской районный суд" in page
    for hidden in ("Иванова", "20.2"):
        assert hidden not in page and hidden not in str(shown)


def test_the_decision_and_the_day_to_appeal_by_are_shown(client, phone, lawyer_a, taken):
    token, case = taken
    heard = hearing(case, lawyer_a, days=-1)
    decision = court.record_decision(
        heard,
        outcome="fine",
        fine_rub=15000,
        copy_received_on=timezone.localdate(),
        by=lawyer_a,
    )
    shown = status_of(phone, "ru")["court"]
    assert shown["hearing"] is None, "the decided hearing is not the next one"
    assert shown["decision"]["text"] == "Штраф: 15\xa0000 ₽"
    assert shown["decision"]["appeal_by"] == decision.appeal_deadline.isoformat()
    page = client.get(f"/s/{token}", headers={"Accept-Language": "ru"}).content.decode()
    assert "Штраф: 15\xa0000 ₽" in page and "включительно" in page


def test_an_arrest_says_how_long_and_until_when(phone, lawyer_a, taken):
    _token, case = taken
    heard = hearing(case, lawyer_a, days=0)
    court.record_decision(
        heard,
        outcome="arrest",
        arrest_days=10,
        copy_received_on=timezone.localdate(),
        by=lawyer_a,
    )
    text = status_of(phone)["court"]["decision"]["text"]
    assert text.startswith("Administrative arrest: 10 days, until ")
