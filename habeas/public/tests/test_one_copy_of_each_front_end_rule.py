"""Each front-end rule lives in one place: the worker core, the bundle hash, the send loop, the
page head and the language switch."""

import re
from pathlib import Path

import pytest

from habeas.public import bundle

PUBLIC = Path(bundle.__file__).parent
JS = PUBLIC / "static" / "public" / "js"
TEMPLATES = PUBLIC / "templates" / "public"
CORE = TEMPLATES / "worker" / "core.js"


@pytest.fixture
def site_worker(client):
    return client.get("/sw.js").text


@pytest.fixture
def photo_worker(client):
    return client.get("/photo/sw.js").text


def own_part(worker: str) -> str:
    # What a worker adds after the shared core.
    return worker.split(CORE.read_text(), 1)[1]


def test_both_workers_include_the_one_core(site_worker, photo_worker):
    core = CORE.read_text()
    assert core in site_worker
    assert core in photo_worker
    for name in ("keepOffline(", "cachedFirst(", "networkFirst("):
        assert name in own_part(site_worker)
        assert name in own_part(photo_worker)


def test_no_worker_opens_a_cache_to_read_from_it(site_worker, photo_worker):
    # Opening re-creates a cache the panic wipe just deleted; the core reads with caches.match.
    assert "caches.open" not in own_part(site_worker)
    assert "caches.open" not in own_part(photo_worker)
    reads = CORE.read_text().split("function cachedFirst", 1)[1].split("\n}\n", 1)[0]
    assert re.search(r"caches\s*\.match", reads) and "caches.open" not in reads


def test_the_core_is_plain_javascript_with_no_template_tags():
    # Templates include it verbatim, and Biome lints it as it is.
    core = CORE.read_text()
    for tag in ("{{", "{%", "{#"):
        assert tag not in core


def test_a_change_to_the_core_replaces_both_offline_caches():
    assert bundle.WORKER_CORE in bundle.SHELL_TEMPLATES
    assert bundle.WORKER_CORE in bundle.PHOTO_TEMPLATES


def test_the_photo_worker_is_versioned_by_the_same_hasher(photo_worker):
    version = bundle.photo_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'const CACHE = PREFIX + "{version}";' in photo_worker
    assert version != bundle.shell_version()


def test_the_photo_version_changes_when_the_model_changes(monkeypatch, settings):
    settings.DEBUG = True  # debug recomputes on every call instead of once per process
    before = bundle.photo_version()
    real = bundle._read_static
    monkeypatch.setattr(
        bundle, "_read_static", lambda path: real(path) + (b"x" if path.endswith(".bin") else b"")
    )
    assert bundle.photo_version() != before


def test_the_version_is_computed_once_per_process_in_production(monkeypatch, settings):
    settings.DEBUG = False
    first = bundle.shell_version()
    monkeypatch.setattr(bundle, "_read_static", lambda path: b"changed")
    assert bundle.shell_version() == first


def test_only_the_bundle_module_hashes_files():
    hashing = [p.name for p in PUBLIC.glob("*.py") if "hashlib" in p.read_text()]
    assert hashing == ["bundle.py"]


def test_the_send_and_retry_loop_is_written_once():
    # The SOS hands net.js its {key, body}, and the summons and the relative's report their
    # form's body through the request sender built on it; none sends by itself. (The timer
    # arms once and never retries: it asks the person to try again.)
    assert "setTimeout(attempt, options.retryMs)" in (JS / "net.js").read_text()
    assert "H.sender({" in (JS / "sos.js").read_text()
    for page in ("sos.js", "request.js", "relative.js"):
        text = (JS / page).read_text()
        assert "H.sender({" in text or "H.requestSender({" in text
        assert '"Idempotency-Key":' not in text and "fetchWithin(" not in text


@pytest.mark.parametrize("path", ["/summons/", "/timer/"])
def test_pages_load_the_storage_then_the_network_module_first(client, path):
    html = client.get(path).text
    scripts = re.findall(r'<script src="/static/public/js/([\w-]+)\.js" defer>', html)
    assert scripts[:2] == ["store", "net"]


def test_the_pwa_pages_share_one_base_template():
    for name in ("home.html", "summons.html", "timer.html", "watch.html"):
        assert (TEMPLATES / name).read_text().startswith('{% extends "public/base.html" %}')
    for name in ("list.html", "detail.html"):
        text = (TEMPLATES / "guides" / name).read_text()
        assert text.startswith('{% extends "public/base.html" %}')


def test_the_language_switch_is_written_once():
    forms = [
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if "url 'set_language'" in p.read_text()
    ]
    assert forms == ["_lang.html"]


@pytest.mark.parametrize(("path", "back"), [("/", "/"), ("/guides/?q=x", "/guides/?q=x")])
def test_the_language_switch_returns_to_the_page(client, path, back):
    html = client.get(path).text
    assert f'<input type="hidden" name="next" value="{back}">' in html
