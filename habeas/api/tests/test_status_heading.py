"""The status screen's heading follows the case, and names the lawyer once one took it."""

import re

import pytest

from conftest import DETAINEE_BODY
from habeas.cases.models import Case
from habeas.dispatch import services as dispatch
from habeas.stations.models import PoliceStation

CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")


def status(phone, language: str = "en") -> dict:
    response = phone.client.get(
        "/api/v1/cases/status", headers={**phone.auth(), "Accept-Language": language}
    )
    assert response.status_code == 200
    return response.json()


def step(phone, action: str, lawyer, **kwargs) -> None:
    dispatch.act(Case.objects.get(public_id=phone.case_id), action, lawyer, **kwargs)


def test_the_heading_follows_each_stage_and_names_the_station(detainee, lawyer_a, stations):
    tverskoy = PoliceStation.objects.get(name="ОВД Тверской")
    first = status(detainee)
    assert first["heading"] == "SOS received"
    assert first["lawyer"] is None

    step(detainee, "take", lawyer_a)
    assert status(detainee)["heading"] == "A lawyer took your case"
    step(detainee, "en_route", lawyer_a)
    assert status(detainee)["heading"] == "A lawyer is on the way"
    step(detainee, "held_at", lawyer_a, station=tverskoy)
    step(detainee, "at_station", lawyer_a)
    assert status(detainee)["heading"] == "Your lawyer is at ОВД Тверской"
    step(detainee, "released", lawyer_a)
    assert status(detainee)["heading"] == "You were released"


def test_the_lawyer_who_took_the_case_is_named_so_the_person_can_say_who_is_coming(
    detainee, lawyer_a
):
    step(detainee, "take", lawyer_a)
    step(detainee, "en_route", lawyer_a)
    body = status(detainee)
    assert body["lawyer"] == "Anna Lawyer"
    # The profile's name, never the login.
    assert "anna@lawyers.test" not in str(body)


def test_a_lawyer_without_a_name_in_their_profile_is_not_named_by_their_email(detainee, lawyer_a):
    lawyer_a.first_name = lawyer_a.last_name = ""
    lawyer_a.save()
    step(detainee, "take", lawyer_a)
    body = status(detainee)
    assert body["heading"] == "A lawyer took your case"
    assert body["lawyer"] is None


@pytest.mark.parametrize(
    ("action", "english"),
    [
        (None, "SOS received"),
        ("take", "A lawyer took your case"),
        ("en_route", "A lawyer is on the way"),
    ],
)
def test_the_heading_is_in_the_readers_language(detainee, lawyer_a, action, english):
    if action:
        step(detainee, "take", lawyer_a)
    if action == "en_route":
        step(detainee, "en_route", lawyer_a)
    assert status(detainee, "en")["heading"] == english
    russian = status(detainee, "ru")["heading"]
    assert CYRILLIC.search(russian) and russian != english


def test_a_relatives_screen_speaks_of_the_person_not_to_them(phone, lawyer_a):
    body = {
        **DETAINEE_BODY,
        "reporter_role": "relative",
        "reporter": {"name": "Ольга", "relation": "мама"},
    }
    assert phone.sos(body).status_code == 201
    assert status(phone)["heading"] == "Report received"
    step(phone, "take", lawyer_a)
    step(phone, "released", lawyer_a)
    assert status(phone)["heading"] == "They were released"


def test_a_withdrawn_sos_says_so_and_names_no_lawyer(detainee, lawyer_a):
    step(detainee, "take", lawyer_a)
    body = detainee.withdraw().json()
    assert body["heading"] == "SOS withdrawn" or CYRILLIC.search(body["heading"])
    assert body["lawyer"] is None
    assert status(detainee)["heading"] == "SOS withdrawn"


def test_a_summons_keeps_its_own_words(phone):
    from django.utils import timezone

    body = {"kind": "summons", "summons": {"date": timezone.localdate().isoformat()}}
    assert phone.sos(body).status_code == 201
    assert status(phone)["heading"] == ""
