import pytest
from django.test import Client

from conftest import staff_client
from habeas.cases.models import CaseEvent, EventKind
from habeas.cases.services import open_note
from habeas.stations.models import PoliceStation

from .helpers import act, case_of


def messages_on(client, case_id: str) -> str:
    return client.get(f"/console/cases/{case_id}/").content.decode()


def act_and_read(client, case_id: str, action: str) -> str:
    """Press an action in English and return the case page it leads back to."""
    response = act(client, case_id, action, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    return client.get(
        f"/console/cases/{case_id}/", headers={"Accept-Language": "en"}
    ).content.decode()


def test_a_lawyer_takes_a_case_and_the_event_appears(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    response = act(client, detainee.case_id, "take")
    assert response.status_code == 302
    assert response["Location"] == f"/console/cases/{detainee.case_id}/"
    case = case_of(detainee)
    assert case.assigned_lawyer == lawyer_a
    assert case.events.filter(kind=EventKind.ACCEPTED, author=lawyer_a).exists()
    assert 'class="message success"' in messages_on(client, detainee.case_id)
    assert detainee.status().json()["stage"] == "lawyer_assigned"


def test_a_second_lawyer_cannot_take_a_taken_case_and_is_told_who_has_it(
    lawyer_a, lawyer_b, detainee
):
    act(staff_client(lawyer_a), detainee.case_id, "take")
    page = act_and_read(staff_client(lawyer_b), detainee.case_id, "take")
    assert "Anna Lawyer has already taken this case." in page
    assert case_of(detainee).assigned_lawyer == lawyer_a
    assert CaseEvent.objects.filter(kind=EventKind.ACCEPTED).count() == 1


def test_each_step_of_a_lawyer_changes_what_the_detainee_sees(lawyer_a, detainee, stations):
    client = staff_client(lawyer_a)
    station = PoliceStation.objects.get(name="ОВД Тверской")

    act(client, detainee.case_id, "take")
    act(client, detainee.case_id, "en_route")
    assert detainee.status().json()["stage"] == "lawyer_en_route"

    act(client, detainee.case_id, "held_at", station=str(station.pk))
    assert detainee.status().json()["police_station"] == "ОВД Тверской"

    act(client, detainee.case_id, "at_station")
    assert detainee.status().json()["stage"] == "lawyer_at_station"

    act(client, detainee.case_id, "released", note="Отпустили без протокола")
    assert detainee.status().json()["stage"] == "released"

    act(
        client, detainee.case_id, "close", note="Всё закончилось, протокола нет", outcome="released"
    )
    status = detainee.status().json()
    assert status["stage"] == "closed" and status["closed"] is True
    closing = case_of(detainee).events.get(kind=EventKind.CLOSED)
    assert open_note(closing) == "Всё закончилось, протокола нет"
    # How it ended stays for the organisation's counts, after the personal data is gone.
    assert case_of(detainee).outcome == "released"


def test_closing_asks_how_the_case_ended_and_refuses_an_unknown_ending(lawyer_a, detainee):
    client = staff_client(lawyer_a, headers={"Accept-Language": "en"})
    act(client, detainee.case_id, "take")
    missing = act(client, detainee.case_id, "close")
    assert missing.status_code == 302
    assert not case_of(detainee).is_closed
    unknown = client.post(
        f"/console/cases/{detainee.case_id}/act/",
        {"action": "close", "outcome": "abducted by aliens"},
        follow=True,
    )
    assert "Choose how the case ended." in unknown.content.decode()
    assert not case_of(detainee).is_closed


def test_another_lawyer_cannot_say_they_are_at_the_station_but_a_dispatcher_can(
    lawyer_a, lawyer_b, dispatcher, detainee
):
    act(staff_client(lawyer_a), detainee.case_id, "take")

    page = act_and_read(staff_client(lawyer_b), detainee.case_id, "at_station")
    assert "Only the lawyer who took the case, or a dispatcher" in page
    assert detainee.status().json()["stage"] == "lawyer_assigned"

    act(staff_client(dispatcher), detainee.case_id, "at_station")
    assert detainee.status().json()["stage"] == "lawyer_at_station"


def test_a_note_without_text_is_refused_with_a_message(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    response = act(client, detainee.case_id, "note", note="   ")
    assert response.status_code == 302
    assert not case_of(detainee).events.filter(kind=EventKind.NOTE).exists()
    assert 'class="message error"' in messages_on(client, detainee.case_id)


def test_acting_on_a_closed_case_says_it_is_closed(dispatcher, detainee):
    client = staff_client(dispatcher)
    act(client, detainee.case_id, "take")
    act(client, detainee.case_id, "close", note="ложная тревога", outcome="false_alarm")
    act(client, detainee.case_id, "note", note="ещё", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "en"})
    assert "This case is already closed." in page.content.decode()


@pytest.mark.parametrize("action", ["fly_away", "withdraw", ""])
def test_an_unknown_or_detainee_only_action_is_a_400_not_a_500(lawyer_a, detainee, action):
    response = act(staff_client(lawyer_a), detainee.case_id, action)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert case_of(detainee).events.count() == 1


@pytest.mark.parametrize("station", ["999999", "abc", "-1", "1e3", "99999999999999999999", "٣"])
def test_an_unknown_station_id_is_a_400_not_a_500(dispatcher, detainee, stations, station):
    response = act(staff_client(dispatcher), detainee.case_id, "held_at", station=station)
    assert response.status_code == 400
    assert case_of(detainee).police_station is None


def test_setting_a_station_without_choosing_one_asks_to_choose(dispatcher, detainee):
    client = staff_client(dispatcher)
    response = act(client, detainee.case_id, "held_at", station="")
    assert response.status_code == 302
    assert 'class="message error"' in messages_on(client, detainee.case_id)


def test_a_note_longer_than_the_limit_is_a_400(lawyer_a, detainee):
    response = act(staff_client(lawyer_a), detainee.case_id, "note", note="x" * 2001)
    assert response.status_code == 400
    assert not case_of(detainee).events.filter(kind=EventKind.NOTE).exists()


def test_get_on_the_act_url_is_405(lawyer_a, detainee):
    response = staff_client(lawyer_a).get(f"/console/cases/{detainee.case_id}/act/")
    assert response.status_code == 405


def test_acting_needs_a_csrf_token(lawyer_a, detainee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lawyer_a)
    response = act(client, detainee.case_id, "take")
    assert response.status_code == 403
    assert case_of(detainee).assigned_lawyer is None


def test_a_refusal_of_entry_is_recorded_with_its_reason_and_the_detainee_is_told(
    lawyer_a, detainee
):
    client = staff_client(lawyer_a)
    for step in ("take", "at_station"):
        act(client, detainee.case_id, step)
    act(client, detainee.case_id, "refused_entry", reason="fortress", note="Дежурный не пустил")
    assert detainee.status().json()["stage"] == "lawyer_refused"
    page = client.get(f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "en"})
    assert "“Fortress” plan declared" in page.content.decode()


def test_a_protocol_needs_an_article_that_looks_like_one(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    act(client, detainee.case_id, "take")
    act(client, detainee.case_id, "protocol", article="что-то")
    assert not case_of(detainee).events.filter(kind=EventKind.PROTOCOL).exists()
    assert 'class="message error"' in messages_on(client, detainee.case_id)

    act(client, detainee.case_id, "protocol", article="20.2  ч. 5")
    event = case_of(detainee).events.get(kind=EventKind.PROTOCOL)
    assert event.data["article"] == "20.2 ч. 5"


def test_a_court_date_and_a_release_with_protocol_show_in_the_timeline(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    act(client, detainee.case_id, "take")
    act(client, detainee.case_id, "released", with_protocol="on")
    act(client, detainee.case_id, "court_date", court_date="2099-03-01")
    page = client.get(f"/console/cases/{detainee.case_id}/", headers={"Accept-Language": "en"})
    html = page.content.decode()
    assert "with a protocol" in html
    assert "01.03.2099" in html or "03/01/2099" in html
    assert detainee.status().json()["stage"] == "released"


def test_a_reason_that_is_not_on_the_list_is_a_400(lawyer_a, detainee):
    client = staff_client(lawyer_a)
    for step in ("take", "at_station"):
        act(client, detainee.case_id, step)
    assert act(client, detainee.case_id, "refused_entry", reason="bribe").status_code == 400
    assert not case_of(detainee).events.filter(kind=EventKind.REFUSED_ENTRY).exists()
    assert detainee.status().json()["stage"] != "lawyer_refused"
