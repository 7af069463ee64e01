"""Evidence on the case page: the lawyer on the case sees each file with its hash, downloads
the original (audited), gets a copy with faces covered and no metadata, attaches a file of
their own, and the obstruction record's export carries the hashes."""

import hashlib
import io
import json

import pytest
from PIL import Image
from skimage import data as samples

from conftest import staff_client
from habeas.accounts.models import AuditEntry
from habeas.cases import services
from habeas.evidence.models import Evidence, Uploader
from habeas.evidence.tests.test_uploads import declare, send

from .helpers import case_of


def photo_with_location() -> bytes:
    """A photo of a face carrying EXIF: the camera's make and a GPS block."""
    image = Image.fromarray(samples.astronaut())
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def sent(detainee, lawyer_a):
    """The detainee sent a photo of the scene from the status screen; lawyer_a has the case."""
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    photo = photo_with_location()
    assert declare(detainee, data=photo, filename="scene.jpg").status_code == 201
    assert send(detainee, photo, 0).json()["complete"]
    return photo


def test_the_case_page_lists_the_file_with_its_hash_and_who_sent_it(detainee, lawyer_a, sent):
    page = staff_client(lawyer_a).get(f"/console/cases/{detainee.case_id}/")
    text = page.content.decode()
    assert hashlib.sha256(sent).hexdigest() in text
    assert "scene.jpg" in text
    assert str(Uploader.PERSON.label) in text or "Сам человек" in text


def test_the_original_downloads_whole_and_the_download_is_audited(detainee, lawyer_a, sent):
    item = Evidence.objects.get()
    response = staff_client(lawyer_a).get(f"/console/cases/{detainee.case_id}/evidence/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sent, "metadata and all, for court"
    assert response["Content-Type"] == "application/octet-stream"
    assert "scene.jpg" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(actor=lawyer_a, what__contains="downloaded").get()
    assert entry.case_ref == detainee.case_id


def test_the_copy_for_publication_covers_faces_and_drops_metadata(detainee, lawyer_a, sent):
    item = Evidence.objects.get()
    response = staff_client(lawyer_a).get(
        f"/console/cases/{detainee.case_id}/evidence/{item.pk}/covered.jpg"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert int(response["X-Habeas-Faces-Covered"]) >= 1
    copy = Image.open(io.BytesIO(response.content))
    assert not copy.getexif(), "no camera, no location"
    assert b"PhoneMaker" not in response.content
    assert AuditEntry.objects.filter(actor=lawyer_a, what__contains="faces covered").exists()


def test_a_lawyer_attaches_a_file_from_the_case_page(detainee, lawyer_a):
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    client = staff_client(lawyer_a)
    upload = io.BytesIO(b"%PDF-1.4 protocol")
    upload.name = "протокол.pdf"
    answer = client.post(f"/console/cases/{detainee.case_id}/evidence/", {"file": upload})
    assert answer.status_code == 302
    item = Evidence.objects.get()
    assert item.complete and item.uploader == Uploader.STAFF and item.uploaded_by == lawyer_a
    assert item.kind == "document"
    assert item.sha256 == hashlib.sha256(b"%PDF-1.4 protocol").hexdigest()
    page = client.get(answer["Location"]).content.decode()
    assert item.sha256 in page


def test_a_file_of_a_type_not_taken_is_refused_with_a_message(detainee, lawyer_a):
    services.transition(case_of(detainee).pk, "take", actor=lawyer_a)
    client = staff_client(lawyer_a)
    upload = io.BytesIO(b"MZ\x90\x00")
    upload.name = "tool.exe"
    answer = client.post(
        f"/console/cases/{detainee.case_id}/evidence/", {"file": upload}, follow=True
    )
    assert "PDF" in answer.content.decode()
    assert not Evidence.objects.exists()


def test_the_obstruction_export_carries_the_hashes(detainee, lawyer_a, sent):
    response = staff_client(lawyer_a).get(f"/console/cases/{detainee.case_id}/obstruction.json")
    files = json.loads(response.content)["evidence"]
    assert [f["sha256"] for f in files] == [hashlib.sha256(sent).hexdigest()]
    assert files[0]["type"] == "photo" and files[0]["size"] == len(sent)
