"""A case's evidence files on the console: the list on the case page, a file staff attach,
the sealed original to download (audited), and a copy of a photo with faces covered and its
metadata gone, for publication. Writes through habeas.evidence.services only."""

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from habeas.accounts import audit
from habeas.cases.models import Case
from habeas.evidence import services as evidence
from habeas.evidence.models import Evidence, Kind, Uploader

from .access import details_required
from .refusals import MESSAGES
from .replies import problem

# A photo is opened whole to cover its faces: bigger ones are not photos a phone takes.
COVER_MAX_BYTES = 40 * 1024 * 1024
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "video/3gpp": "3gp",
    "application/pdf": "pdf",
}


@dataclass
class Listed:
    item: Evidence
    filename: str
    who: str  # who uploaded it: a staff member's name, or the person's role


def files_of(case: Case) -> list[Listed]:
    """The case's files that arrived whole, for those who may see its details."""
    found = []
    for item in (
        Evidence.objects.filter(case=case).exclude(completed_at=None).select_related("uploaded_by")
    ):
        who = str(item.uploaded_by) if item.uploaded_by else item.get_uploader_display()
        found.append(Listed(item, evidence.filename(item), who))
    return found


def for_export(case: Case) -> list[dict]:
    """What a complaint needs of each file: type, size, SHA-256, when it was received."""
    return [
        {
            "type": f.item.kind,
            "size": f.item.size,
            "sha256": f.item.sha256,
            "received_at": f.item.completed_at.isoformat(),
            "uploaded_by": f.item.uploader,
        }
        for f in files_of(case)
    ]


def _file(case: Case, evidence_id: int) -> Evidence:
    """A file of this case that arrived whole."""
    return get_object_or_404(Evidence, pk=evidence_id, case=case, completed_at__isnull=False)


def _attachment(name: str) -> str:
    # RFC 6266: an ASCII fallback and the real name (Cyrillic) in UTF-8.
    fallback = name.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@never_cache
@details_required
@require_GET
def download(request: HttpRequest, case: Case, evidence_id: int) -> HttpResponse:
    """The original, as it arrived (metadata and all, for court), streamed piece by piece."""
    item = _file(case, evidence_id)
    audit.record(request.user, "view", case.public_id, f"evidence {item.pk} downloaded")
    response = StreamingHttpResponse(evidence.read(item), content_type="application/octet-stream")
    response["Content-Length"] = str(item.size)
    name = evidence.filename(item) or f"{case.public_id}-{item.pk}"
    if "." not in name:
        name = f"{name}.{EXTENSIONS.get(item.content_type, 'bin')}"
    response["Content-Disposition"] = _attachment(name)
    return response


@never_cache
@details_required
@require_GET
def covered(request: HttpRequest, case: Case, evidence_id: int) -> HttpResponse:
    """A copy of a photo for publication: faces covered, no location, time or camera."""
    item = _file(case, evidence_id)
    if item.kind != Kind.PHOTO or item.size > COVER_MAX_BYTES:
        return problem(request, _("Only a photo can be given with faces covered."), 400, case=case)
    try:
        from habeas.photos.cover import UnreadablePhoto, scrub
        from habeas.photos.detect import DetectorUnavailable, get_detector

        detector = get_detector()
    except (ImportError, DetectorUnavailable):
        message = _("Covering faces needs the photo support: pip install 'habeas[photos]'.")
        return problem(request, message, 503, case=case)
    try:
        clean = scrub(b"".join(evidence.read(item)), detector)
    except UnreadablePhoto:
        message = _("This photo's format cannot be opened here (HEIC needs converting).")
        return problem(request, message, 422, case=case)
    audit.record(request.user, "view", case.public_id, f"evidence {item.pk} faces covered")
    response = HttpResponse(clean.jpeg, content_type="image/jpeg")
    response["Content-Disposition"] = _attachment(f"{case.public_id}-{item.pk}-covered.jpg")
    # Detectors miss faces: the person publishing must look before they share.
    response["X-Habeas-Faces-Covered"] = str(len(clean.boxes))
    return response


@details_required
@require_POST
def attach(request: HttpRequest, case: Case) -> HttpResponse:
    """A file staff attach to the case: the protocol a lawyer photographed, a court paper."""
    back = redirect(reverse("console:case", args=[case.public_id]) + "#evidence")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return back
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    declared = evidence.Declared(
        upload_key=f"staff-{secrets.token_urlsafe(24)}",
        size=upload.size,
        sha256=digest.hexdigest(),
        content_type=upload.content_type or "",
        filename=upload.name or "",
    )
    try:
        item, _created = evidence.declare(case, declared, Uploader.STAFF, user=request.user)
        evidence.append(item, 0, upload, upload.size)
    except evidence.EvidenceRefused as exc:
        messages.error(request, str(MESSAGES[exc.code]) % exc.params)
        return back
    audit.record(request.user, "change", case.public_id, f"evidence {item.pk} attached")
    messages.success(request, _("The file is attached. SHA-256: %(sha)s") % {"sha": item.sha256})
    return back
