"""The web app manifest makes the SOS page installable, with icons that exist."""

import json
import struct

import pytest
from django.contrib.staticfiles import finders


@pytest.fixture
def manifest(client) -> dict:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    return json.loads(response.content)


def test_manifest_describes_a_standalone_app_starting_at_home(manifest):
    assert manifest["name"]
    assert manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")


def test_manifest_follows_the_chosen_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert json.loads(client.get("/manifest.webmanifest").content)["lang"] == "en"


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
