"""Evidence from the phone: a summons with a photo of the paper, a photo sent from the SOS's
status screen, and a video whose upload survives the connection dropping mid-file.

The phone hashes each file itself; the receipt on the screen is the hash the server checked.
"""

import datetime as dt
import hashlib
import re
import secrets

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from e2e.helpers import hold
from e2e.test_pwa_summons import fill_summons
from habeas.cases.models import Case
from habeas.evidence import services as evidence
from habeas.evidence.models import Evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_file(name: str, mime: str, size: int) -> dict:
    return {"name": name, "mimeType": mime, "buffer": secrets.token_bytes(size)}


def stored(item: Evidence) -> bytes:
    return b"".join(evidence.read(item))


def receipt_of(page, name: str):
    return page.locator("#evidence-list li.received", has_text=name)


def test_a_summons_goes_with_a_photo_of_the_paper(language_page):
    language, page = language_page
    photo = a_file("povestka.jpg", "image/jpeg", 180_000)
    page.goto("/summons/")
    fill_summons(page, timezone.localdate() + dt.timedelta(days=3))
    page.set_input_files("#summons-files", files=[photo])
    page.click("#summons-send")

    expect(page.locator("#status-screen")).to_be_visible()
    receipt = receipt_of(page, "povestka.jpg")
    expect(receipt).to_be_visible(timeout=15000)
    sha = hashlib.sha256(photo["buffer"]).hexdigest()
    expect(receipt.locator("code.hash")).to_have_text(sha)
    with translation.override(language):
        head = gettext("%(name)s: received at %(time)s. SHA-256:").split("%(time)s")[0]
    assert head % {"name": "povestka.jpg"} in receipt.inner_text()

    item = Evidence.objects.get()
    assert item.case == Case.objects.get(kind="summons")
    assert (item.kind, item.uploader, item.sha256) == ("photo", "person", sha)
    assert stored(item) == photo["buffer"]


def test_a_photo_sent_from_the_sos_status_screen(phone_page):
    page = phone_page
    page.goto("/")
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()
    doc = a_file("protocol.pdf", "application/pdf", 40_000)
    page.set_input_files("#evidence-input", files=[doc])
    receipt = receipt_of(page, "protocol.pdf")
    sha = hashlib.sha256(doc["buffer"]).hexdigest()
    expect(receipt.locator("code.hash")).to_have_text(sha)
    assert Evidence.objects.get().kind == "document"
    # The phone keeps no copy: after a reload the receipt comes from the server again.
    page.reload()
    expect(receipt_of(page, "protocol.pdf").locator("code.hash")).to_have_text(sha)


def test_a_refused_file_says_why_in_the_phones_language(phone_page):
    page = phone_page
    page.goto("/")
    hold(page, page.locator("#sos"))
    page.set_input_files(
        "#evidence-input", files=[a_file("tool.exe", "application/x-msdownload", 10)]
    )
    failed = page.locator("#evidence-list li.failed")
    with translation.override("ru"):
        expect(failed).to_contain_text(
            gettext("Only photos, videos and PDF documents can be sent.")
        )
    assert not Evidence.objects.exists()


def test_an_upload_cut_off_mid_file_goes_on_once_the_phone_is_back_online(phone_page, settings):
    settings.HABEAS_EVIDENCE_CHUNK_KB = 64  # many requests for one file, so one can be cut
    page = phone_page
    page.goto("/")
    hold(page, page.locator("#sos"))
    expect(page.locator("#status-screen")).to_be_visible()

    # The fourth chunk never arrives: the network went at that moment.
    sent = {"chunks": 0}

    def cut_the_fourth(route):
        sent["chunks"] += 1
        if sent["chunks"] == 4:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r"/api/v1/evidence/[\w-]+$"), cut_the_fourth)
    video = a_file("zaderzhanie.mp4", "video/mp4", 1_000_000)
    page.set_input_files("#evidence-input", files=[video])
    with translation.override("ru"):
        waiting = gettext("%(name)s: no connection, %(pct)s sent. It goes on by itself.")
    waiting_start = waiting.split("%(pct)s")[0] % {"name": "zaderzhanie.mp4"}
    line = page.locator("#evidence-list li")
    expect(line).to_contain_text(waiting_start)
    page.context.set_offline(True)
    page.unroute(re.compile(r"/api/v1/evidence/[\w-]+$"))
    item = Evidence.objects.get()
    assert item.received == 3 * 64 * 1024, "three chunks arrived before the cut"
    assert not item.complete

    page.context.set_offline(False)
    receipt = receipt_of(page, "zaderzhanie.mp4")
    expect(receipt.locator("code.hash")).to_have_text(
        hashlib.sha256(video["buffer"]).hexdigest(), timeout=40000
    )
    item.refresh_from_db()
    assert item.complete
    assert stored(item) == video["buffer"], "one file, whole, from where it stopped"
