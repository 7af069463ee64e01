"""The protester's page: language, the SOS button, the hotline and the hooks the browser uses."""

import json
import re

import pytest
from django.conf import settings

HOME = "/"


def config_of(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no #{element_id} JSON block"
    return json.loads(match.group(1))


def test_home_is_in_russian_by_default(client):
    response = client.get(HOME)
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.text


def test_home_switches_to_english_and_remembers_it_for_a_year(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response.url == HOME
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600

    again = client.get(HOME)
    assert '<html lang="en">' in again.text
    assert again["Content-Language"] == "en"


def test_language_switch_is_a_post_form_to_set_language(client):
    html = client.get(HOME).text
    form = re.search(r'<form class="lang" action="([^"]+)" method="post"', html)
    assert form and form.group(1) == "/i18n/setlang/"
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<button type="submit" name="language" value="en"' in html


def test_home_carries_an_sos_button_with_a_hold_hint(client):
    html = client.get(HOME).text
    button = re.search(r'<button id="sos"[^>]*>(.*?)</button>', html, re.S)
    assert button and "SOS" in button.group(1)
    assert 'aria-describedby="sos-hint"' in button.group(0)
    assert 'id="sos-hint"' in html
    assert config_of(html, "sos-config")["holdMs"] == 1500


def test_home_shows_the_hotline_number_from_settings_as_a_dialable_link(client, settings):
    settings.HABEAS_HOTLINE_PHONE = "+7 (495) 123-45-67"
    html = client.get(HOME).text
    link = re.search(r'<a id="hotline-link"[^>]*href="([^"]+)"', html)
    assert link and link.group(1) == "tel:+74951234567"
    assert "+7 (495) 123-45-67" in html


def test_home_passes_the_poll_interval_and_api_paths_to_its_script(client, settings):
    settings.HABEAS_POLL_MS = 900
    config = config_of(client.get(HOME).text, "sos-config")
    assert config["pollMs"] == 900
    assert config["api"] == {
        "cases": "/api/v1/cases",
        "status": "/api/v1/cases/status",
        "withdraw": "/api/v1/cases/withdraw",
        "forget": "/api/v1/cases/forget",
        "callback": "/api/v1/cases/callback",
        "evidence": "/api/v1/evidence",
    }
    assert config["sw"] == "/sw.js"


def test_home_gives_its_script_translated_strings(client):
    strings = config_of(client.get(HOME).text, "sos-strings")
    assert {"sending", "notYet", "saved", "offline", "fields"} <= set(strings)
    assert set(strings["fields"]) == {
        "full_name",
        "date_of_birth",
        "phone",
        "note",
        "city",
        "location",
        "contacts",
        "details",
    }
    # The app's own words for the API's field codes (a left-out detail of an SOS).
    assert {"born_in_future", "bad_phone", "invalid"} <= set(strings["refusals"])


@pytest.mark.parametrize(
    "hook",
    [
        "sos",
        "sos-alt",
        "sos-alt-confirm",
        "save-details",
        "clear-details",
        "status-screen",
        "status-message",
        "hotline-link",
        "withdraw",
        "withdraw-confirm",
        "start-over",
        "timeline",
    ],
)
def test_home_has_the_stable_hook(client, hook):
    html = client.get(HOME).text
    assert html.count(f'id="{hook}"') == 1


@pytest.mark.parametrize("field", ["full_name", "date_of_birth", "phone", "note"])
def test_every_detail_field_has_a_label(client, field):
    html = client.get(HOME).text
    assert f'<label for="{field}">' in html
    assert f'id="{field}"' in html


def test_date_of_birth_is_a_date_input(client):
    html = client.get(HOME).text
    assert re.search(r'<input id="date_of_birth"[^>]*type="date"', html)


def test_status_message_is_a_polite_live_region(client):
    html = client.get(HOME).text
    assert re.search(r'<p id="status-message"[^>]*aria-live="polite"', html)


def test_status_screen_is_hidden_until_the_script_finds_a_token(client):
    html = client.get(HOME).text
    assert re.search(r'<section id="status-screen"[^>]*hidden', html)


def test_details_section_carries_a_note_about_where_they_are_kept(client):
    html = client.get(HOME).text
    details = re.search(r'<section id="details".*?</section>', html, re.S)
    assert details and '<p class="note">' in details.group(0)
