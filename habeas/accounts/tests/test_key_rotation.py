"""Rotation: the newest key seals, all keys open, and after re-encryption the old key can go."""

import base64
import os

import pytest
from django.core.management import call_command

from conftest import DETAINEE_BODY
from habeas.cases.models import CaseEvent, Report
from habeas.cases.services import open_details, open_note
from habeas.lib.sealing import Keyring


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}"


@pytest.fixture
def old_key(settings) -> str:
    key = new_key("old")
    settings.HABEAS_DATA_KEYS = key
    return key


def test_after_rotation_everything_opens_without_the_old_key(old_key, phone, dispatcher, settings):
    from habeas.cases import services

    assert phone.sos(DETAINEE_BODY).status_code == 201
    report = Report.objects.get()
    services.transition(report.case_id, "note", actor=dispatcher, note="звонила мама")
    assert Keyring.key_id_of(bytes(report.sealed)) == "old"

    settings.HABEAS_DATA_KEYS = f"{new_key('new')},{old_key}"
    assert open_details(Report.objects.get())["person"]["full_name"] == "Мария Иванова"
    call_command("rotate_keys", verbosity=0)
    call_command("rotate_keys", verbosity=0)  # a second run finds nothing to do

    settings.HABEAS_DATA_KEYS = settings.HABEAS_DATA_KEYS.split(",")[0]  # retire the old key
    report = Report.objects.get()
    assert Keyring.key_id_of(bytes(report.sealed)) == "new"
    assert open_details(report)["person"]["full_name"] == "Мария Иванова"
    assert open_note(CaseEvent.objects.get(kind="note")) == "звонила мама"
    assert phone.status().status_code == 200


def test_new_data_is_sealed_with_the_first_key(old_key, phone, settings):
    settings.HABEAS_DATA_KEYS = f"{new_key('new')},{old_key}"
    phone.sos(DETAINEE_BODY)
    assert Keyring.key_id_of(bytes(Report.objects.get().sealed)) == "new"


def test_rotation_re_seals_evidence_files_and_says_which_uploads_must_wait(
    old_key, phone, settings, evidence_store
):
    import io

    from habeas.evidence import services as evidence
    from habeas.evidence.models import Evidence
    from habeas.evidence.tests.test_uploads import PHOTO, declare, send

    phone.sos(DETAINEE_BODY)
    declare(phone)
    send(phone, PHOTO, 0)
    declare(phone, data=b"half of a video", key="video-in-progress-01", content_type="video/mp4")
    send(phone, b"half", 0, key="video-in-progress-01")
    before = {p.name for p in evidence_store.rglob("*") if p.is_file()}

    settings.HABEAS_DATA_KEYS = f"{new_key('new')},{old_key}"
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "1 uploads in progress still use an older key" in out.getvalue()

    settings.HABEAS_DATA_KEYS = settings.HABEAS_DATA_KEYS.split(",")[0]  # retire the old key
    whole = Evidence.objects.exclude(completed_at=None).get()
    assert b"".join(evidence.read(whole)) == PHOTO
    assert evidence.filename(whole) == "протокол Иванова.jpg"
    after = {p.name for p in evidence_store.rglob("*") if p.is_file()}
    assert not ({n.rsplit("/", 1)[-1] for n in whole.pieces} & before), "rewritten"
    assert len(after) == len(whole.pieces) + 1, "the old pieces are gone; the upload's stays"
