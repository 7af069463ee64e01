import re

import pytest

from conftest import staff_client
from habeas.lawyers.models import Lawyer
from habeas.stations.models import PoliceStation

EN = {"Accept-Language": "en"}


def form(**changes) -> dict:
    data = {
        "capacity": "4",
        "stations": [],
        "base_lat": "",
        "base_lon": "",
        "radius_km": "",
        "languages": "ru",
        "channels": ["email"],
        "telegram_chat_id": "",
        "phone": "",
    }
    return data | changes


def field_errors(html: str, field: str) -> list[str]:
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def test_a_lawyer_sees_their_profile_filled_in(lawyer_a, stations):
    tverskoy = PoliceStation.objects.get(name="ОВД Тверской")
    lawyer = Lawyer.objects.get(user=lawyer_a)
    lawyer.capacity = 5
    lawyer.telegram_chat_id = "4242"
    lawyer.save()
    lawyer.stations.set([tverskoy])
    html = staff_client(lawyer_a).get("/console/profile/").content.decode()
    assert re.search(r'name="capacity" value="5"', html)
    assert re.search(rf'<option value="{tverskoy.pk}" selected>ОВД Тверской', html)
    assert 'value="4242"' in html
    assert re.search(r'type="checkbox" name="channels" value="email"[^>]*checked', html)


def test_a_lawyer_saves_stations_base_point_languages_and_channels(lawyer_a, stations):
    ids = list(PoliceStation.objects.values_list("pk", flat=True)[:2])
    client = staff_client(lawyer_a)
    response = client.post(
        "/console/profile/",
        form(
            capacity="6",
            stations=[str(i) for i in ids],
            base_lat="55.7558",
            base_lon="37.6173",
            radius_km="10",
            languages="RU, en",
            channels=["telegram", "email"],
            telegram_chat_id=" 4242 ",
            phone="+7 900 111-22-33",
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/console/profile/"
    lawyer = Lawyer.objects.get(user=lawyer_a)
    assert lawyer.capacity == 6
    assert sorted(lawyer.stations.values_list("pk", flat=True)) == sorted(ids)
    assert (lawyer.base_lat, lawyer.base_lon, lawyer.radius_km) == (55.7558, 37.6173, 10)
    assert lawyer.languages == "ru,en"
    assert lawyer.channel_list == ["email", "telegram"]
    assert lawyer.telegram_chat_id == "4242"
    assert 'class="message success"' in client.get("/console/profile/").content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": "0"}, "capacity", "Enter a number of cases from 1 to 20."),
        ({"capacity": "many"}, "capacity", "Enter a whole number."),
        ({"stations": ["999999"]}, "stations", "There is no police station with id 999999."),
        ({"stations": ["ovd"]}, "stations", "Select a valid choice."),
        (
            {"radius_km": "10"},
            "radius_km",
            "A radius needs a base point: give its coordinates.",
        ),
        ({"base_lat": "55.7"}, "base_lat", "Give both latitude and longitude, or neither."),
        ({"base_lat": "95", "base_lon": "37"}, "base_lat", "These coordinates are out of range."),
        (
            {"base_lat": "55", "base_lon": "37", "radius_km": "900"},
            "radius_km",
            "Enter a radius from 1 to 500 km.",
        ),
        ({"languages": "русский"}, "languages", "Enter language codes separated by commas"),
        ({"channels": []}, "channels", "This field is required."),
        ({"channels": ["pigeon"]}, "channels", "Select a valid choice."),
        ({"channels": ["telegram"]}, "telegram_chat_id", "Telegram needs your chat id."),
        ({"channels": ["sms"]}, "phone", "SMS needs your phone number."),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    lawyer_a, stations, changes, field, message
):
    response = staff_client(lawyer_a).post("/console/profile/", form(**changes), headers=EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert any(message in error for error in field_errors(html, field)), html
    assert 'role="alert"' in html
    assert Lawyer.objects.get(user=lawyer_a).capacity == 3


def test_the_roster_service_speaks_the_lawyers_language(lawyer_a):
    response = staff_client(lawyer_a).post(
        "/console/profile/", form(capacity="0"), headers={"Accept-Language": "ru"}
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "capacity")


def test_a_dispatcher_has_no_coverage_form_but_can_turn_on_notifications(dispatcher, settings):
    settings.HABEAS_VAPID_PUBLIC_KEY = "BPublicKeyForTheTest"
    client = staff_client(dispatcher)
    html = client.get("/console/profile/").content.decode()
    assert 'name="capacity"' not in html
    assert 'id="push-enable"' in html
    assert client.post("/console/profile/", form()).status_code == 403


def test_the_push_button_carries_the_vapid_key_and_its_endpoints(lawyer_a, settings):
    settings.HABEAS_VAPID_PUBLIC_KEY = "BPublicKeyForTheTest"
    html = staff_client(lawyer_a).get("/console/profile/").content.decode()
    push = re.search(r'<div id="push"[^>]*>', html, re.S).group(0)
    assert 'data-key="BPublicKeyForTheTest"' in push
    assert 'data-url="/console/push/subscribe/"' in push
    assert 'data-worker="/console/sw.js"' in push and 'data-scope="/console/"' in push
    assert 'name="csrfmiddlewaretoken"' in html[html.index('<div id="push"') :]
    assert '<script src="/static/console/js/profile.js" defer>' in html


def test_without_a_vapid_key_there_is_no_push_button(lawyer_a, settings):
    settings.HABEAS_VAPID_PUBLIC_KEY = ""
    html = staff_client(lawyer_a).get("/console/profile/", headers=EN).content.decode()
    assert 'id="push-enable"' not in html
    assert "Web Push is not set up on this server." in html


def test_the_profile_page_has_no_inline_script_or_style(lawyer_a, settings):
    settings.HABEAS_VAPID_PUBLIC_KEY = "BPublicKeyForTheTest"
    html = staff_client(lawyer_a).get("/console/profile/").content.decode()
    assert "<script>" not in html and "<style" not in html
    assert " style=" not in html and " onclick=" not in html


def test_anonymous_visitors_are_sent_to_log_in(stranger):
    response = stranger.get("/console/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/console/login/")
