"""The service worker keeps the SOS page working offline and updates with every deploy."""

import re
from pathlib import Path

import pytest

from habeas.public import views


@pytest.fixture
def worker(client):
    return client.get("/sw.js")


def shell_of(body: str) -> list[str]:
    match = re.search(r"const SHELL = \[(.*?)\];", body)
    assert match
    return re.findall(r'"([^"]+)"', match.group(1))


def test_worker_is_served_from_the_root_as_javascript(worker):
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")


def test_worker_is_never_taken_from_a_cache(worker):
    assert worker["Cache-Control"] == "no-cache"


def test_worker_precaches_the_page_manifest_styles_script_and_icons(worker):
    shell = shell_of(worker.text)
    assert "/" in shell
    assert "/manifest.webmanifest" in shell
    assert "/static/public/css/sos.css" in shell
    assert "/static/public/js/sos.js" in shell
    assert "/static/public/icons/icon-192.png" in shell
    assert "/static/public/icons/icon-512.png" in shell
    assert "/static/public/icons/maskable-512.png" in shell


def test_every_shell_url_is_served(client, worker):
    for url in shell_of(worker.text):
        assert client.get(url).status_code == 200, url


def test_worker_cache_name_carries_the_shell_version(worker):
    version = views.shell_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'const VERSION = "{version}";' in worker.text


def test_shell_version_changes_when_a_shell_file_changes(monkeypatch, settings):
    settings.DEBUG = True  # debug recomputes on every call instead of once per process
    before = views.shell_version()
    real = views._read_static
    monkeypatch.setattr(
        views, "_read_static", lambda path: real(path) + (b"/* new */" if "sos.js" in path else b"")
    )
    assert views.shell_version() != before


def test_worker_never_caches_the_api(worker):
    assert 'const API = "/api/v1/";' in worker.text
    assert "url.pathname.startsWith(API)) return;" in worker.text


def test_worker_deletes_old_caches_when_it_activates(worker):
    assert 'addEventListener("activate"' in worker.text
    assert "caches.delete" in worker.text


def test_worker_is_registered_by_the_page_script():
    script = Path(views.__file__).parent / "static" / "public" / "js" / "sos.js"
    assert "navigator.serviceWorker.register(config.sw)" in script.read_text()


@pytest.mark.parametrize(
    ("display", "tel"),
    [
        ("+7 800 000-00-00", "tel:+78000000000"),
        ("+7 (495) 123-45-67", "tel:+74951234567"),
        ("8 800 555 35 35", "tel:88005553535"),
    ],
)
def test_hotline_numbers_become_dialable_links(display, tel):
    assert views.tel_href(display) == tel
