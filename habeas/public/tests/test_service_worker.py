"""The service worker keeps the SOS page working offline and updates with every deploy."""

import re
from pathlib import Path

import pytest

from habeas.guides import load_guides
from habeas.public import bundle, views


@pytest.fixture
def worker(client):
    return client.get("/sw.js")


def list_of(name: str, body: str) -> list[str]:
    match = re.search(rf"const {name} = \[(.*?)\];", body)
    assert match, name
    return re.findall(r'"([^"]+)"', match.group(1))


def shell_of(body: str) -> list[str]:
    return list_of("SHELL", body)


def pages_of(body: str) -> list[str]:
    return list_of("PAGES", body)


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


def test_worker_precaches_the_shared_scripts(worker):
    shell = shell_of(worker.text)
    for name in ("store", "sms-payload", "status", "details"):
        assert f"/static/public/js/{name}.js" in shell


def test_worker_keeps_the_request_timer_and_wipe_pages_offline(worker):
    pages = pages_of(worker.text)
    assert {"/summons/", "/help/", "/timer/", "/x"} <= set(pages)
    for name in ("request", "timer", "wipe"):
        assert f"/static/public/js/{name}.js" in pages
    assert "/static/public/css/guides.css" in pages


def test_worker_lists_the_guide_list_and_every_guide(worker):
    pages = pages_of(worker.text)
    assert "/guides/" in pages
    slugs = {g.slug for g in load_guides("ru", "ru")}
    assert slugs and {f"/guides/{slug}/" for slug in slugs} <= set(pages)
    assert "/guides/police-station/" in pages


def test_worker_lists_english_guides_that_fall_back_to_russian_too(client):
    client.cookies["django_language"] = "en"
    pages = pages_of(client.get("/sw.js").text)
    slugs = {g.slug for g in load_guides("ru", "ru")} | {g.slug for g in load_guides("en", "ru")}
    assert {f"/guides/{slug}/" for slug in slugs} <= set(pages)


def test_every_shell_and_page_url_is_served(client, worker):
    for url in shell_of(worker.text) + pages_of(worker.text):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_worker_names_its_cache_after_the_language_it_was_fetched_in(client, lang):
    client.cookies["django_language"] = lang
    body = client.get("/sw.js").text
    assert f'const LANG = "{lang}";' in body
    assert 'const CACHE = PREFIX + VERSION + "-" + LANG;' in body


def test_shell_version_changes_when_a_guide_changes(monkeypatch, settings, tmp_path):
    settings.DEBUG = True
    guide = tmp_path / "ru" / "ru" / "court.md"
    guide.parent.mkdir(parents=True)
    guide.write_text("---\ntitle: one\n---\nbody")
    monkeypatch.setattr(bundle, "CONTENT_DIR", tmp_path)
    before = bundle.shell_version()
    guide.write_text("---\ntitle: two\n---\nbody")
    assert bundle.shell_version() != before


def test_worker_serves_pages_from_the_cache_when_offline(worker):
    assert "PAGES.includes(url.pathname)" in worker.text
    assert "self.navigator.onLine === false) return cached" in worker.text


def test_worker_never_writes_the_wipe_page_back_into_a_cache(worker):
    assert 'const WIPE = "/x";' in worker.text
    assert "key !== WIPE" in worker.text


def test_worker_sends_a_queued_sos_on_background_sync(worker):
    assert 'addEventListener("sync"' in worker.text
    assert 'event.tag === "sos"' in worker.text
    assert 'const CASES = "/api/v1/cases";' in worker.text
    assert '"Idempotency-Key": pending.key' in worker.text


def test_worker_cache_name_carries_the_shell_version(worker):
    version = bundle.shell_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'const VERSION = "{version}";' in worker.text


def test_shell_version_changes_when_a_shell_file_changes(monkeypatch, settings):
    settings.DEBUG = True  # debug recomputes on every call instead of once per process
    before = bundle.shell_version()
    real = bundle._read_static
    monkeypatch.setattr(
        bundle,
        "_read_static",
        lambda path: real(path) + (b"/* new */" if "sos.js" in path else b""),
    )
    assert bundle.shell_version() != before


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


def test_worker_precaches_the_discreet_manifest_and_its_icons(worker):
    # Chosen offline, the discreet install still finds its name and icon.
    shell = shell_of(worker.content.decode())
    assert "/notes.webmanifest" in shell
    for path, _size, _purpose in bundle.DISCREET_ICONS:
        assert any(url.endswith(path) for url in shell), path
