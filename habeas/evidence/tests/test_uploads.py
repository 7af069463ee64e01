"""A file sent to a case through the status link: declared, sent in chunks, checked, sealed.

The detainee's phone (the `detainee` persona) uploads a photo of the protocol; the network
drops mid-file and the upload resumes; wrong bytes, wrong offsets and oversized files are
refused with a message on the field, and nothing half-stored remains.
"""

import hashlib
import io
import json
import secrets

import pytest

from habeas.cases.models import CaseEvent, EventKind
from habeas.evidence import services as evidence
from habeas.evidence.models import Evidence
from habeas.lib.sealing import SealError

PHOTO = secrets.token_bytes(3 * evidence.PIECE_BYTES + 12345)  # pieces, and a short last one


def declare(phone, data: bytes = PHOTO, key: str = "protocol-photo-0001", **extra):
    body = {
        "upload_key": key,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "content_type": "image/jpeg",
        "filename": "протокол Иванова.jpg",
        **extra,
    }
    return phone.client.post(
        "/api/v1/evidence", json.dumps(body), content_type="application/json", headers=phone.auth()
    )


def send(phone, data: bytes, offset: int, key: str = "protocol-photo-0001", **headers):
    return phone.client.generic(
        "PATCH",
        f"/api/v1/evidence/{key}",
        data,
        content_type="application/offset+octet-stream",
        headers={**phone.auth(), "Upload-Offset": str(offset), **headers},
    )


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_photo_sent_in_two_chunks_arrives_sealed_with_a_receipt(detainee, evidence_store):
    started = declare(detainee)
    assert started.status_code == 201, started.content
    assert started.json()["offset"] == 0
    half = 2 * evidence.PIECE_BYTES
    first = send(detainee, PHOTO[:half], 0)
    assert first.status_code == 200, first.content
    assert first.json()["offset"] == half and not first.json()["complete"]
    assert first["Upload-Offset"] == str(half)
    last = send(detainee, PHOTO[half:], half)
    assert last.status_code == 200, last.content
    receipt = last.json()
    assert receipt["complete"] and receipt["received_at"]
    assert receipt["sha256"] == hashlib.sha256(PHOTO).hexdigest()

    item = Evidence.objects.get()
    assert b"".join(evidence.read(item)) == PHOTO
    assert evidence.filename(item) == "протокол Иванова.jpg"
    # Sealed at rest: neither the bytes nor the file name are in storage or the database.
    files = stored_files(evidence_store)
    assert len(files) == len(item.pieces) == 4
    for path in files:
        raw = path.read_bytes()
        assert PHOTO[:64] not in raw and PHOTO[half : half + 64] not in raw
        assert "Иванова".encode() not in raw
    assert "Иванова".encode() not in bytes(item.sealed)
    event = CaseEvent.objects.get(kind=EventKind.EVIDENCE)
    assert event.data["sha256"] == receipt["sha256"] and event.data["size"] == len(PHOTO)


def test_a_dropped_connection_keeps_what_arrived_and_the_upload_resumes(detainee):
    declare(detainee)
    # The phone meant to send everything; the connection died after a piece and a bit.
    cut = evidence.PIECE_BYTES + 1000
    item = evidence.append(Evidence.objects.get(), 0, io.BytesIO(PHOTO[:cut]), len(PHOTO))
    assert item.received == cut
    # Asked again (the same key, or GET), the server says where to go on from.
    again = declare(detainee)
    assert again.status_code == 200 and again.json()["offset"] == cut
    state = detainee.client.get("/api/v1/evidence/protocol-photo-0001", headers=detainee.auth())
    assert state.json()["offset"] == cut
    done = send(detainee, PHOTO[cut:], cut)
    assert done.json()["complete"]
    assert b"".join(evidence.read(Evidence.objects.get())) == PHOTO


def test_a_chunk_at_the_wrong_offset_is_refused_and_told_where_to_start(detainee, settings):
    declare(detainee)
    send(detainee, PHOTO[:1000], 0)
    wrong = send(detainee, PHOTO[500:2000], 500, **{"Accept-Language": "en"})
    assert wrong.status_code == 409
    assert wrong["Upload-Offset"] == "1000"
    error = wrong.json()["errors"][0]
    assert error["field"] == "Upload-Offset" and error["code"] == "wrong_offset"
    assert "1000" in error["message"]
    assert Evidence.objects.get().received == 1000, "nothing of the refused chunk was kept"


def test_another_files_bytes_fail_the_hash_and_nothing_is_kept(detainee, evidence_store):
    declare(detainee)
    other = secrets.token_bytes(len(PHOTO))
    send(detainee, PHOTO[:1000], 0)
    finished = send(detainee, other[1000:], 1000, **{"Accept-Language": "ru"})
    assert finished.status_code == 422
    error = finished.json()["errors"][0]
    assert (error["field"], error["code"]) == ("sha256", "hash_mismatch")
    assert "SHA-256" in error["message"] and "не" in error["message"], "in Russian"
    assert not Evidence.objects.exists()
    assert stored_files(evidence_store) == []


def test_the_same_key_for_another_file_is_refused(detainee):
    declare(detainee)
    other = declare(detainee, data=b"another file")
    assert other.status_code == 409
    assert other.json()["errors"][0]["code"] == "key_other_file"


@pytest.mark.parametrize(
    ("change", "status", "field", "code"),
    [
        ({"size": 201 * 1024 * 1024}, 413, "size", "file_too_big"),
        ({"content_type": "application/x-msdownload"}, 422, "content_type", "bad_type"),
        ({"sha256": "nothex"}, 422, "sha256", "bad_form"),
        ({"upload_key": "short"}, 422, "upload_key", "bad_form"),
        ({"size": 0}, 422, "size", "too_small"),
        ({"extra": 1}, 422, "extra", "unknown_field"),
    ],
)
def test_bad_declarations_get_a_message_on_their_field(detainee, change, status, field, code):
    answer = declare(detainee, **change)
    assert answer.status_code == status, answer.content
    error = answer.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message"]
    assert not Evidence.objects.exists()


def test_a_chunk_past_the_declared_size_is_refused(detainee):
    declare(detainee, data=b"x" * 100)
    answer = send(detainee, b"x" * 101, 0)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "past_the_end"


def test_missing_headers_are_named(detainee):
    declare(detainee)
    answer = detainee.client.generic(
        "PATCH", "/api/v1/evidence/protocol-photo-0001", b"abc", headers=detainee.auth()
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Upload-Offset"


def test_another_link_cannot_see_or_continue_an_upload(detainee, phone):
    declare(detainee)
    phone.sos({"kind": "detention"})
    assert send(phone, PHOTO[:10], 0).status_code == 404
    got = phone.client.get("/api/v1/evidence/protocol-photo-0001", headers=phone.auth())
    assert got.status_code == 404
    assert declare(phone).status_code == 409, "another case's key is not taken over"
    assert (
        phone.client.post("/api/v1/evidence", "{}", content_type="application/json").status_code
        == 401
    )


def test_a_case_holds_a_bounded_number_of_files(detainee, settings):
    settings.HABEAS_EVIDENCE_MAX_FILES = 2
    for n in range(2):
        assert (
            declare(detainee, data=bytes([n]) * 10, key=f"file-number-{n:08d}").status_code == 201
        )
    refused = declare(detainee, data=b"z" * 10, key="file-number-00000009")
    assert refused.status_code == 409
    assert "2" in refused.json()["detail"]


def test_the_files_go_with_the_cases_personal_data(detainee, evidence_store):
    from habeas.cases.services import forget_details

    declare(detainee)
    send(detainee, PHOTO, 0)
    item = Evidence.objects.get()
    assert stored_files(evidence_store)
    forget_details(item.case_id)
    assert not Evidence.objects.exists()
    assert stored_files(evidence_store) == []


def test_uploads_left_unfinished_are_dropped_after_a_while(detainee, settings, evidence_store):
    from datetime import timedelta

    from django.utils import timezone

    declare(detainee)
    send(detainee, PHOTO[:1000], 0)
    assert evidence.drop_abandoned() == 0
    Evidence.objects.update(created_at=timezone.now() - timedelta(hours=49))
    assert evidence.drop_abandoned() == 1
    assert stored_files(evidence_store) == []


def test_a_piece_moved_to_another_place_does_not_open(detainee):
    declare(detainee)
    send(detainee, PHOTO, 0)
    item = Evidence.objects.get()
    item.pieces = [item.pieces[1], item.pieces[0], *item.pieces[2:]]
    with pytest.raises(SealError):
        b"".join(evidence.read(item))


def test_the_workers_pulse_drops_abandoned_uploads_once_an_hour(detainee, evidence_store):
    from datetime import timedelta

    from django.utils import timezone

    from habeas.ops.pulse import Pulse

    declare(detainee)
    send(detainee, PHOTO[:1000], 0)
    Evidence.objects.update(created_at=timezone.now() - timedelta(hours=49))
    Pulse("worker-test").tick()
    assert not Evidence.objects.exists()
    assert stored_files(evidence_store) == []


def test_the_link_lists_its_own_files_for_the_status_screen(detainee, phone):
    declare(detainee)
    send(detainee, PHOTO, 0)
    declare(detainee, data=b"half", key="video-in-progress-01", content_type="video/mp4")
    listed = detainee.client.get("/api/v1/evidence", headers=detainee.auth()).json()
    assert [(f["filename"], f["complete"]) for f in listed] == [
        ("протокол Иванова.jpg", True),
        ("протокол Иванова.jpg", False),
    ]
    assert listed[0]["received_at"] and listed[0]["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    phone.sos({"kind": "detention"})
    assert phone.client.get("/api/v1/evidence", headers=phone.auth()).json() == []
