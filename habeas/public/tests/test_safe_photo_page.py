"""The Safe photo page and its worker: strict policy, no other origin, nothing to post to."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client


@pytest.fixture
def page(client: Client):
    response = client.get("/photo/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response


def test_the_page_carries_its_own_script_only_and_no_face_finder_tag(page):
    html = page.content.decode()
    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    assert scripts == ["/static/public/js/safe-photo.js"]
    # The 1.3 MB face finder is added by the page's script after the page is painted: a tag
    # for it, deferred or not, would load and start it before the picker answers.
    assert "face-api.js" not in html.split('id="photo-config"', 1)[0]
    config = json.loads(re.search(r'id="photo-config"[^>]*>(.*?)</script>', html, re.S)[1])
    assert config["detector"] == "/static/public/vendor/face-api/face-api.js"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html), "inline script"


def test_the_sos_page_does_not_carry_the_face_finder(client: Client):
    assert b"face-api" not in client.get("/").content


def test_the_page_is_served_under_the_strict_policy_with_no_extensions(page):
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy


def test_the_model_is_named_by_static_urls_and_strings_are_translated(page):
    html = page.content.decode()
    config = json.loads(re.search(r'id="photo-config"[^>]*>(.*?)</script>', html, re.S)[1])
    assert config["model"]["weights"].endswith("tiny_face_detector_model.bin")
    assert config["sw"] == "/photo/sw.js" and config["scope"] == "/photo/"
    strings = json.loads(re.search(r'id="photo-strings"[^>]*>(.*?)</script>', html, re.S)[1])
    assert "some faces may be missed" in strings["check"]


def test_the_page_has_nothing_to_post_to(page):
    assert b"<form" not in page.content and b"method=" not in page.content


def test_the_worker_precaches_the_page_and_the_model_and_is_never_cached(client: Client):
    response = client.get("/photo/sw.js")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", body)[1])
    assert "/photo/" in files
    assert any(f.endswith("tiny_face_detector_model.bin") for f in files)
    assert any(f.endswith("face-api.js") for f in files)
    assert re.search(r'const CACHE = PREFIX \+ "[0-9a-f]{12}";', body)


def test_the_worker_hands_scripts_to_the_page_as_a_stream(client: Client):
    # Answered with the cached response itself, face-api (1.3 MB) is compiled on the page's
    # main thread; as a stream, off it (bench.lighthouse shows the difference). The style and
    # the model go as they are.
    body = client.get("/photo/sw.js").content.decode()
    assert 'const SCRIPTS = FILES.filter((path) => path.endsWith(".js"));' in body
    assert "new Response(response.body," in body
    assert "event.respondWith(cachedFirst(request, CACHE).then(streamed));" in body


STATIC = Path(__file__).resolve().parents[2] / "public" / "static" / "public"


@pytest.mark.parametrize("path", ["/photo/", "/photo/sw.js"])
def test_neither_the_page_nor_its_worker_names_another_origin(client: Client, path):
    body = client.get(path).content.decode()
    assert "http://" not in body and "https://" not in body
    assert not re.search(r"""(src|href)=["']//""", body)


@pytest.mark.parametrize("name", ["js/safe-photo.js", "css/safe-photo.css"])
def test_the_pages_own_files_name_no_other_origin_and_build_no_html(name):
    text = (STATIC / name).read_text()
    assert "http" not in text and "@import" not in text
    assert "innerHTML" not in text and "eval(" not in text


def test_the_script_never_sends_anything_but_the_models_two_files():
    text = (STATIC / "js" / "safe-photo.js").read_text()
    assert re.findall(r"fetch\(([^)]*)\)", text) == ["cfg.model.manifest", "cfg.model.weights"]
    # Its one script element is the face finder, named by the page's config.
    assert re.findall(r"await addScript\(([^)]*)\)", text) == ["cfg.detector"]
    for sender in ("XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "method:"):
        assert sender not in text


def test_the_vendored_detector_is_the_pinned_version_with_its_licence():
    vendor = STATIC / "vendor" / "face-api"
    assert "@vladmandic/face-api 1.7.15" in (vendor / "VERSION").read_text()
    assert "MIT" in (vendor / "LICENSE").read_text()
    total = sum(p.stat().st_size for p in vendor.iterdir())
    assert total < 2_000_000, "keep the page's download small"
