"""The evidence resource: a photo, video or document uploaded to a case through a status link.

Resumable on a bad network, in the manner of tus: POST declares the file (its own upload key,
size, SHA-256 and type) and answers with the offset the server has; PATCH sends bytes from
that offset (the `Upload-Offset` header); GET tells the offset after a dropped connection.
The last chunk's answer is the receipt: the SHA-256 the server computed and the time.
Bodies are read as a stream, never whole: the API's small body limit stays for JSON.
"""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from habeas.evidence import services as evidence
from habeas.evidence.models import Evidence

from .cases import StatusToken
from .errors import problem, refused
from .schemas import ErrorOut, In

router = Router(tags=["evidence"])
AUTH = StatusToken()
UPLOAD_KEY = r"^[A-Za-z0-9_-]{16,64}$"


class EvidenceIn(In):
    upload_key: str = Field(
        ..., pattern=UPLOAD_KEY, description="The phone's own key for this file"
    )
    size: int = Field(..., ge=1, description="Bytes")
    sha256: str = Field(..., pattern=r"^[0-9a-fA-F]{64}$", description="Of the whole file, hex")
    content_type: str = Field(..., max_length=100)
    filename: str = Field("", max_length=200)


class EvidenceOut(Schema):
    upload_key: str
    filename: str
    type: str
    size: int
    sha256: str
    offset: int = Field(..., description="Bytes the server has; the next chunk starts here")
    chunk_bytes: int = Field(..., description="How much to send per request")
    complete: bool
    received_at: dt.datetime | None = Field(None, description="When the whole file was checked")


def _out(item: Evidence) -> dict:
    return {
        "upload_key": item.upload_key,
        "filename": evidence.filename(item),
        "type": item.kind,
        "size": item.size,
        "sha256": item.sha256,
        "offset": item.received,
        "chunk_bytes": settings.HABEAS_EVIDENCE_CHUNK_KB * 1024,
        "complete": item.complete,
        "received_at": item.completed_at,
    }


def _answer(status: int, item: Evidence) -> Status:
    return Status(status, _out(item))


# A refusal's status: what the phone should do differs (send less, start again, resume).
STATUS = {
    "file_too_big": 413,
    "too_many_files": 409,
    "key_other_file": 409,
    "wrong_offset": 409,
    "already_complete": 409,
    "case_forgotten": 410,
    "past_the_end": 400,
}


def _refused(exc: evidence.EvidenceRefused):
    # A refusal about a field says so under the field; one about the case is the summary.
    detail = _("The file was not taken.") if "field" in exc.params else ""
    return refused(STATUS.get(exc.code, 422), exc, detail=detail)


def _own(request: HttpRequest, upload_key: str) -> Evidence | None:
    """The upload this status link started; another link's (or case's) is not found."""
    return Evidence.objects.filter(upload_key=upload_key, report=request.auth).first()


NOT_FOUND = _("No such upload for this link.")


@router.post(
    "/evidence",
    url_name="evidence",
    response={
        200: EvidenceOut,
        201: EvidenceOut,
        401: ErrorOut,
        409: ErrorOut,
        410: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    auth=AUTH,
    summary="Declare a file to upload to the case, or find the upload this key started",
)
def declare(request: HttpRequest, payload: EvidenceIn):
    """201 with offset 0 for a new upload; 200 with the stored offset for a known key."""
    report = request.auth
    file = evidence.Declared(**payload.model_dump())
    try:
        item, created = evidence.declare(
            report.case, file, evidence.uploader_for(report.reporter_role), report=report
        )
    except evidence.EvidenceRefused as exc:
        return _refused(exc)
    return _answer(201 if created else 200, item)


@router.get(
    "/evidence",
    url_name="evidence_list",
    response={200: list[EvidenceOut], 401: ErrorOut},
    auth=AUTH,
    summary="The files this status link sent: receipts, and uploads to go on with",
)
def uploads(request: HttpRequest):
    """What the status screen shows again after a reload: the phone keeps no copy."""
    own = Evidence.objects.filter(report=request.auth).order_by("created_at", "pk")
    return Status(200, [_out(item) for item in own])


@router.get(
    "/evidence/{upload_key}",
    response={200: EvidenceOut, 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="Where an upload stands: the offset to resume from, or its receipt",
)
def upload_state(request: HttpRequest, upload_key: str):
    item = _own(request, upload_key)
    if item is None:
        return problem(404, str(NOT_FOUND))
    return _answer(200, item)


@router.patch(
    "/evidence/{upload_key}",
    response={
        200: EvidenceOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        410: ErrorOut,
        422: ErrorOut,
    },
    auth=AUTH,
    summary="Send the file's bytes from Upload-Offset (the body is the raw bytes)",
)
def send_chunk(request: HttpRequest, upload_key: str, response: HttpResponse):
    """200 with the new offset; with the last byte, the receipt. 409 names the right offset
    in its message and in the Upload-Offset header."""
    item = _own(request, upload_key)
    if item is None:
        return problem(404, str(NOT_FOUND))
    response["Upload-Offset"] = str(item.received)
    offset = _header_number(request, "Upload-Offset")
    length = _header_number(request, "Content-Length")
    for name, value in (("Upload-Offset", offset), ("Content-Length", length)):
        if value is None:
            text = _("Give the %(header)s header as a whole number of bytes.") % {"header": name}
            return problem(400, text, name, text, "bad_header")
    try:
        item = evidence.append(item, offset, request, length)
    except evidence.EvidenceRefused as exc:
        if exc.code == "wrong_offset":
            response["Upload-Offset"] = str(exc.params["offset"])
        return _refused(exc)
    response["Upload-Offset"] = str(item.received)
    return _answer(200, item)


def _header_number(request: HttpRequest, name: str) -> int | None:
    raw = request.headers.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) <= 15 else None
