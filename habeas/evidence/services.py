"""Uploads that survive a bad network: declared, then sent in chunks at an offset, then checked.

A phone declares a file (its upload key, size, SHA-256 and type), then sends its bytes in
one or more chunks, each starting at the offset the server has. A dropped connection keeps
every whole piece that arrived; the phone asks for the offset and goes on from there.
Each piece is sealed as it arrives (AES-GCM, bound to the upload and the piece's place), so
memory holds one piece, whatever the file's size. When the last byte is in, the server
hashes what it stored; a file that does not match its SHA-256 is deleted at once, whole.
"""

import hashlib
import logging
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from habeas.cases.models import Case, EventKind, Status
from habeas.cases.services import record_event
from habeas.lib.refusals import Refusal
from habeas.lib.sealing import keyring, open_sealed, seal

from .models import Evidence, Kind, Uploader

log = logging.getLogger("habeas.evidence")

PURPOSE = "evidence"
# One sealed piece: what a request holds in memory at a time, and what a drop can cost.
PIECE_BYTES = 1024 * 1024
# What a phone may send: photos, video and PDF documents (a summons, a protocol), by type.
TYPES = {
    "image/jpeg": Kind.PHOTO,
    "image/png": Kind.PHOTO,
    "image/webp": Kind.PHOTO,
    "image/heic": Kind.PHOTO,
    "image/heif": Kind.PHOTO,
    "video/mp4": Kind.VIDEO,
    "video/quicktime": Kind.VIDEO,
    "video/webm": Kind.VIDEO,
    "video/3gpp": Kind.VIDEO,
    "application/pdf": Kind.DOCUMENT,
}


class EvidenceRefused(Refusal):
    CODES = frozenset(
        {
            "file_too_big",  # over HABEAS_EVIDENCE_MAX_MB
            "file_empty",
            "bad_type",
            "bad_sha256",
            "too_many_files",  # the case holds HABEAS_EVIDENCE_MAX_FILES already
            "key_other_file",  # the upload key names another file
            "wrong_offset",  # the chunk does not start where the stored bytes end
            "past_the_end",  # the chunk runs past the declared size
            "hash_mismatch",  # the bytes that arrived are not the declared file
            "case_forgotten",  # the case's personal data was destroyed
            "already_complete",
        }
    )


def storage():
    return storages["evidence"]


def max_bytes() -> int:
    return settings.HABEAS_EVIDENCE_MAX_MB * 1024 * 1024


def _piece_purpose(evidence_id: int, index: int) -> str:
    # The piece's place is bound in: pieces cannot be reordered, swapped between uploads or
    # dropped from the middle without the file failing to open.
    return f"{PURPOSE}:{evidence_id}:{index}"


@dataclass(frozen=True)
class Declared:
    upload_key: str
    size: int
    sha256: str
    content_type: str
    filename: str = ""


def declare(
    case: Case, file: Declared, uploader: str, *, user=None, report=None
) -> tuple[Evidence, bool]:
    """Start an upload, or find the one this key started; (evidence, created).

    The same key with the same size and hash, from the same status link, is the same file
    (a retry or a resume); anything else is refused, so one file's bytes never continue
    another's and one link never takes over another's upload.
    """
    if case.status == Status.CLOSED and case.purge_after is None:
        raise EvidenceRefused("case_forgotten")
    sha = file.sha256.lower()
    existing = Evidence.objects.filter(upload_key=file.upload_key).first()
    if existing is not None:
        same = (case.pk, file.size, sha, report.pk if report else None)
        if (existing.case_id, existing.size, existing.sha256, existing.report_id) != same:
            raise EvidenceRefused("key_other_file", field="upload_key")
        return existing, False
    if file.size <= 0:
        raise EvidenceRefused("file_empty", field="size")
    if file.size > max_bytes():
        raise EvidenceRefused("file_too_big", field="size", mb=settings.HABEAS_EVIDENCE_MAX_MB)
    kind = TYPES.get(file.content_type.lower())
    if kind is None:
        raise EvidenceRefused("bad_type", field="content_type")
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise EvidenceRefused("bad_sha256", field="sha256")
    if Evidence.objects.filter(case=case).count() >= settings.HABEAS_EVIDENCE_MAX_FILES:
        raise EvidenceRefused("too_many_files", n=settings.HABEAS_EVIDENCE_MAX_FILES)
    evidence = Evidence.objects.create(
        case=case,
        upload_key=file.upload_key,
        kind=kind,
        content_type=file.content_type.lower(),
        size=file.size,
        sha256=sha,
        sealed=seal({"filename": file.filename[:200]}, PURPOSE),
        uploader=uploader,
        uploaded_by=user,
        report=report,
    )
    return evidence, True


def _read_exactly(stream, size: int) -> bytes:
    """Up to `size` bytes; fewer only when the stream ends (the phone's connection dropped)."""
    parts, left = [], size
    while left > 0:
        try:
            chunk = stream.read(left)
        except OSError:  # the server's way of saying the client went away mid-body
            break
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def append(evidence: Evidence, offset: int, stream, length: int) -> Evidence:
    """Store `length` bytes read from `stream` at `offset`; finish the upload with its last.

    Piece by piece: each whole piece is sealed, written and counted before the next is read,
    so a connection that drops keeps what arrived. Two requests racing for one offset: the
    first to count its piece wins; the other's piece is deleted and it is refused.
    """
    if evidence.complete:
        raise EvidenceRefused("already_complete")
    if offset != evidence.received:
        raise EvidenceRefused("wrong_offset", field="Upload-Offset", offset=evidence.received)
    if offset + length > evidence.size:
        raise EvidenceRefused("past_the_end", field="Upload-Offset", size=evidence.size)
    ring = keyring()
    left = length
    while left > 0:
        wanted = min(PIECE_BYTES, left)
        data = _read_exactly(stream, wanted)
        if not data:
            break
        index = len(evidence.pieces)
        name = f"{evidence.case_id}/{evidence.pk}/{index:06d}-{secrets.token_hex(4)}"
        blob = ring.seal_bytes(data, _piece_purpose(evidence.pk, index))
        name = storage().save(name, ContentFile(blob))
        pieces = [*evidence.pieces, name]
        counted = Evidence.objects.filter(pk=evidence.pk, received=evidence.received).update(
            received=F("received") + len(data), pieces=pieces
        )
        if not counted:
            storage().delete(name)
            evidence.refresh_from_db()
            raise EvidenceRefused("wrong_offset", field="Upload-Offset", offset=evidence.received)
        evidence.received += len(data)
        evidence.pieces = pieces
        left -= len(data)
        if len(data) < wanted:
            break  # the stream ended early: keep what came, the phone resumes from here
    if evidence.received == evidence.size:
        _finish(evidence)
    return evidence


def read(evidence: Evidence) -> Iterator[bytes]:
    """The file's bytes, piece by piece, opened with the data keys."""
    ring = keyring()
    for index, name in enumerate(evidence.pieces):
        with storage().open(name, "rb") as f:
            blob = f.read()
        yield ring.open_bytes(blob, _piece_purpose(evidence.pk, index))


def _finish(evidence: Evidence) -> None:
    digest = hashlib.sha256()
    for piece in read(evidence):
        digest.update(piece)
    if digest.hexdigest() != evidence.sha256:
        # Another file's bytes, or a truncated or altered one: nothing half-stored remains.
        delete(evidence)
        raise EvidenceRefused("hash_mismatch", field="sha256")
    now = timezone.now()
    with transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(completed_at=now)
        record_event(
            evidence.case,
            EventKind.EVIDENCE,
            data={
                "evidence": evidence.pk,
                "type": evidence.kind,
                "size": evidence.size,
                "sha256": evidence.sha256,
            },
        )
    evidence.completed_at = now
    log.info(
        "case %s: evidence %s received (%s bytes)", evidence.case_id, evidence.pk, evidence.size
    )


def filename(evidence: Evidence) -> str:
    if evidence.sealed is None:
        return ""
    return open_sealed(evidence.sealed, PURPOSE).get("filename", "")


def delete(evidence: Evidence) -> None:
    """Remove the sealed pieces from storage, then the row."""
    _delete_pieces(evidence.pieces)
    Evidence.objects.filter(pk=evidence.pk).delete()


def _delete_pieces(names: Iterable[str]) -> None:
    for name in names:
        try:
            storage().delete(name)
        except OSError:
            log.warning("evidence piece could not be deleted; the sweep tries again")


def forget_evidence(sender, case_id: int, **kwargs) -> None:
    """With a case's personal data go its files: a face, a protocol or a summons names them."""
    for evidence in Evidence.objects.filter(case_id=case_id):
        delete(evidence)


def drop_abandoned() -> int:
    """Delete uploads that stopped before their last byte long ago; return how many."""
    hours = settings.HABEAS_EVIDENCE_INCOMPLETE_HOURS
    stale = Evidence.objects.filter(
        completed_at=None, created_at__lt=timezone.now() - timedelta(hours=hours)
    )
    count = 0
    for evidence in stale:
        delete(evidence)
        count += 1
    return count


def reseal_pieces() -> tuple[int, int]:
    """Re-encrypt the pieces of whole files under the current key (key rotation); return
    (pieces re-encrypted, uploads in progress left under an older key).

    A whole file no longer changes, so each piece is written anew, the row pointed at the new
    names, then the old pieces deleted. An upload still arriving is left alone: its row
    changes with every chunk.
    """
    ring = keyring()
    done = 0
    for item in Evidence.objects.exclude(completed_at=None).iterator():
        old = list(item.pieces)
        names = []
        for index, name in enumerate(old):
            with storage().open(name, "rb") as f:
                blob = f.read()
            if ring.key_id_of(blob) == ring.current:
                names.append(name)
                continue
            purpose = _piece_purpose(item.pk, index)
            fresh = ring.seal_bytes(ring.open_bytes(blob, purpose), purpose)
            names.append(
                storage().save(f"{name.split('-')[0]}-{secrets.token_hex(4)}", ContentFile(fresh))
            )
            done += 1
        if names != old:
            Evidence.objects.filter(pk=item.pk).update(pieces=names)
            _delete_pieces(n for n in old if n not in names)
    left = sum(
        1
        for item in Evidence.objects.filter(completed_at=None).exclude(received=0)
        if any(_piece_key(name) != ring.current for name in item.pieces)
    )
    return done, left


def _piece_key(name: str) -> str:
    with storage().open(name, "rb") as f:
        return keyring().key_id_of(f.read(32))


def uploader_for(role: str) -> str:
    """Who uploads, from the role of the report whose status link they hold."""
    return {"relative": Uploader.RELATIVE, "witness": Uploader.WITNESS}.get(role, Uploader.PERSON)
