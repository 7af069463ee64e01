"""The PWA runs under a strict CSP and tells no third party who uses it."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static" / "public"
PAGES = ["/", "/manifest.webmanifest", "/sw.js", "/summons/", "/help/", "/timer/", "/x"]
SCRIPTS = ["sos", "store", "sms-payload", "status", "details", "request", "timer", "wipe"]


def test_home_is_served_with_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_every_script_on_home_is_a_file_or_json_data(client):
    html = client.get("/").text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert ' src="' in tag or 'type="application/json"' in tag, tag


def test_home_has_no_inline_styles_or_handlers(client):
    html = client.get("/").text
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("path", PAGES)
def test_no_page_references_another_origin(client, path):
    body = client.get(path).content.decode()
    assert "http://" not in body
    assert "https://" not in body
    assert not re.search(r"""(src|href)=["']//""", body)


@pytest.mark.parametrize("name", [f"js/{s}.js" for s in SCRIPTS] + ["css/sos.css"])
def test_static_files_reference_no_other_origin(name):
    text = (STATIC / name).read_text()
    assert "http://" not in text
    assert "https://" not in text
    assert "@import" not in text


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_builds_the_page_without_html_injection(name):
    # Server text (messages, station names) goes in with textContent, never parsed as HTML.
    text = (STATIC / "js" / f"{name}.js").read_text()
    assert "innerHTML" not in text
    assert "insertAdjacentHTML" not in text
    assert "eval(" not in text
    assert "new Function" not in text


def test_home_asks_for_a_same_origin_referrer_policy(client):
    # The site-wide "no-referrer" makes Chromium send "Origin: null" with the language form,
    # which Django's CSRF check refuses; "same-origin" leaks nothing to other sites.
    assert client.get("/")["Referrer-Policy"] == "same-origin"
