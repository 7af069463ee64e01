"""The summons, timer and wipe pages, and what the SOS page gained: contacts, PIN, SMS, wipe."""

import re

import pytest
from django.conf import settings as django_settings

from .test_home_page import config_of

PAGES = ["/", "/summons/", "/timer/", "/x"]


def get(client, path: str, lang: str):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(path)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_page_renders_in_both_languages(client, path, lang):
    response = get(client, path, lang)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert response["Content-Language"] == lang


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_policy_and_nothing_inline(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    html = response.text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert ' src="' in tag or 'type="application/json"' in tag, tag
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "http://" not in html and "https://" not in html


@pytest.mark.parametrize("path", PAGES)
def test_no_page_nests_a_form_in_a_form(client, path):
    html = client.get(path).text
    depth = 0
    for tag in re.findall(r"<(/?)form\b", html):
        depth += -1 if tag else 1
        assert depth in (0, 1), path


def test_home_links_the_summons_and_timer_pages(client):
    html = client.get("/").text
    assert re.search(r'<a id="summons-link"[^>]*href="/summons/"', html)
    assert re.search(r'<a id="timer-link"[^>]*href="/timer/"', html)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_home_has_three_labelled_contact_slots_of_three_types(client, n):
    html = client.get("/").text
    assert f'<label for="contact-value-{n}">' in html
    pattern = rf'<select id="contact-type-{n}"[^>]*aria-label="[^"]+">(.*?)</select>'
    select = re.search(pattern, html, re.S)
    assert select
    assert re.findall(r'value="(\w+)"', select.group(1)) == ["phone", "email", "telegram"]
    assert html.count(f'id="contact-value-{n}"') == 1
    assert 'id="contact-value-4"' not in html


def test_home_explains_what_a_contact_gets(client):
    html = get(client, "/", "en").text
    assert "Each contact gets a short message with a private link to follow your case." in html


def test_home_offers_a_pin_and_says_the_sos_never_waits_for_it(client):
    html = get(client, "/", "en").text
    assert 'id="pin-set-form"' in html and 'id="pin-unlock-form"' in html
    assert "The SOS button always works" in html


def test_home_offers_sms_with_the_hotline_number_when_there_is_one(client, settings):
    settings.HABEAS_SMS_NUMBER = "+7 (999) 000-00-00"
    html = client.get("/").text
    assert re.search(r'<a id="sms-link"[^>]*href="sms:\+79990000000"', html)
    assert config_of(html, "sos-config")["smsNumber"] == "+79990000000"


def test_home_hides_sms_without_a_number(client, settings):
    settings.HABEAS_SMS_NUMBER = ""
    html = client.get("/").text
    assert 'id="sms-link"' not in html
    assert config_of(html, "sos-config")["smsNumber"] == ""
    assert 'id="offline-panel"' in html


def test_home_has_a_confirmed_wipe_that_leads_to_x(client):
    html = client.get("/").text
    assert re.search(r'<button id="wipe"[^>]*aria-controls="wipe-panel"', html)
    assert re.search(r'<div id="wipe-panel"[^>]*hidden', html)
    assert re.search(r'<a id="wipe-confirm"[^>]*href="/x"', html)
    assert "testserver/x" in html  # the address to type, on this site
    assert config_of(html, "sos-config")["wipe"] == "/x"


def test_home_loads_its_shared_scripts_in_order(client):
    html = client.get("/").text
    scripts = re.findall(
        r'<script src="/static/public/(?:js|vendor/js-sha256)/([\w-]+)(?:\.min)?\.js" defer>', html
    )
    assert scripts == [
        "store",
        "net",
        "sms-payload",
        "status",
        "details",
        "sha256",
        "evidence",
        "sos",
    ]


def test_summons_form_has_its_fields_reasons_and_guides(client):
    html = client.get("/summons/").text
    for field in ("summons-date", "summons-time", "summons-place", "summons-text"):
        assert f'<label for="{field}">' in html
    reasons = re.findall(r'name="reason" value="(\w+)"', html)
    assert reasons == ["witness", "conversation", "metro", "other"]
    assert 'href="/guides/witness/"' in html
    assert 'href="/guides/face-recognition/"' in html
    assert 'id="status-screen"' in html and 'id="details-summary"' in html
    assert config_of(html, "sos-config")["api"]["cases"] == "/api/v1/cases"


def test_summons_date_follows_the_apis_bounds(client):
    html = client.get("/summons/").text
    assert re.search(r'id="summons-date"[^>]*min="\d{4}-\d\d-\d\d" max="\d{4}-\d\d-\d\d"', html)
    assert re.search(r'id="summons-place"[^>]*maxlength="200"', html)


def test_timer_page_names_the_api_and_the_pin_rules(client):
    html = client.get("/timer/").text
    config = config_of(html, "sos-config")
    assert config["timers"] == {
        "arm": "/api/v1/timers",
        "checkin": "/api/v1/timers/checkin",
        "status": "/api/v1/timers/status",
        "delete": "/api/v1/timers/delete",
    }
    assert (config["pinMin"], config["pinMax"]) == (4, 8)
    # The PIN, the duress PIN, the check-in and (since deleting takes the PIN) the deletion.
    assert html.count('pattern="[0-9]{4,8}"') == 4


def test_timer_page_explains_the_server_copy_and_the_duress_pin(client):
    html = get(client, "/timer/", "en").text
    assert "stored sealed (encrypted) until you check in" in html
    assert "duress PIN" in html
    assert 'id="timer-delete"' in html


def test_wipe_page_is_never_cached_tells_no_one_and_runs_its_script(client):
    response = client.get("/x")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"
    scripts = re.findall(r'<script src="/static/public/js/([\w-]+)\.js"', response.text)
    assert scripts == ["store", "wipe"]
    assert 'id="wipe-home" href="/"' in response.text


@pytest.mark.parametrize(
    ("path", "located"), [("/", True), ("/timer/", True), ("/summons/", False)]
)
def test_only_the_pages_that_send_a_location_may_ask_for_it(client, path, located):
    policy = client.get(path)["Permissions-Policy"]
    assert ("geolocation=(self)" in policy) is located
    assert "camera=()" in policy


def test_the_new_pages_refuse_posts(client):
    for path in PAGES:
        assert client.post(path).status_code == 405, path
