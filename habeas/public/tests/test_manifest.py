"""The web app manifests make the SOS page installable, with icons that exist: the real one,
and the discreet install's, which names nothing a police officer looking at the home screen
would connect with an SOS or the hotline."""

import json
import re
import struct

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.utils import translation

from habeas.public import bundle

BOTH = ["/manifest.webmanifest", "/notes.webmanifest"]


def fetch(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    return json.loads(response.content)


@pytest.fixture(params=BOTH)
def manifest(request, client) -> dict:
    return fetch(client, request.param)


def test_manifest_describes_a_standalone_app_starting_at_home(manifest):
    assert manifest["name"]
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")


@pytest.mark.parametrize("url", BOTH)
def test_manifest_follows_the_chosen_language(client, url):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert json.loads(client.get(url).content)["lang"] == "en"


def test_manifest_lists_192_512_and_maskable_icons(manifest):
    icons = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons


def test_every_manifest_icon_is_a_png_of_its_stated_size(manifest):
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with open(path, "rb") as f:
            head = f.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_manifest_icons_are_served(client, manifest):
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert b"".join(response.streaming_content)[:4] == b"\x89PNG"


@override_settings(HABEAS_ORG_NAME="Правовая помощь")
@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_discreet_manifest_says_nothing_of_sos_lawyers_or_the_organisation(client, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    real = fetch(client, "/manifest.webmanifest")
    discreet = fetch(client, "/notes.webmanifest")
    assert "Правовая помощь" in real["name"], "the real one names the organisation"
    text = json.dumps(discreet, ensure_ascii=False).lower()
    for word in ("sos", "habeas", "правовая помощь", "lawyer", "адвокат", "юрист", "detain"):
        assert word not in text, word
    with translation.override(language):
        assert discreet["name"] == discreet["short_name"] == translation.gettext("Notes")
    assert discreet["theme_color"] != real["theme_color"], "not the SOS red either"
    # Its own id: a separate install, not a rename of the one already on the home screen.
    assert discreet["id"] != real["id"]
    assert discreet["start_url"] == real["start_url"] == "/"


def test_the_discreet_icons_are_not_the_sos_icons():
    real = {path for path, _size, _purpose in bundle.ICONS}
    discreet = {path for path, _size, _purpose in bundle.DISCREET_ICONS}
    assert not real & discreet
    for path in discreet:
        assert "sos" not in path.rsplit("/", 1)[-1]
        with open(finders.find(path), "rb") as f:
            data = f.read()
        for other in real:
            with open(finders.find(other), "rb") as f:
                assert f.read() != data


def installable_pages() -> list[str]:
    from habeas.guides import load_guides

    guide = load_guides("ru", "ru")[0]
    return [
        "/",
        "/summons/",
        "/help/",
        "/someone/",
        "/timer/",
        "/guides/",
        f"/guides/{guide.slug}/",
    ]


@pytest.mark.parametrize("url", installable_pages())
def test_every_page_the_app_is_added_from_can_take_the_discreet_name(client, db, url):
    # The neutral values ride in data-discreet; store.js puts them in place once chosen.
    html = client.get(url).text
    assert re.search(
        r'<link rel="manifest" href="/manifest.webmanifest" data-discreet="/notes.webmanifest">',
        html,
    )
    assert re.search(r'<title data-discreet="[^"]+">', html)
    assert re.search(r'<link rel="icon"[^>]*data-discreet="[^"]*notes-192[^"]*\.png"', html)
    assert re.search(r'<script src="[^"]*/store[^"]*\.js" defer>', html)
