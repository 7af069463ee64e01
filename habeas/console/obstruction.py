"""A case's obstruction record: each time its lawyer came to a police station, demanded to
see the person, was refused (and why) and was finally let in — what a lawyer attaches to a
complaint. A printable page and a JSON export, for those who may see the case's details;
each export is audited."""

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.accounts import audit
from habeas.cases import services as cases
from habeas.cases.models import Case, CaseEvent, EventKind, RefusalReason

from . import evidence
from .access import details_required

KINDS = (EventKind.LAWYER_ARRIVED, EventKind.REFUSED_ENTRY, EventKind.ADMITTED)


@dataclass
class Refusal:
    at: datetime
    reason: str  # RefusalReason's label, in the reader's language
    reason_code: str
    note: str  # the lawyer's own words: the officer's name or badge, what was said


@dataclass
class Visit:
    station: str
    arrived_at: datetime | None  # the lawyer said they were at the station and asked to enter
    refusals: list[Refusal] = field(default_factory=list)
    admitted_at: datetime | None = None
    lawyer: str = ""

    @property
    def waited(self) -> timedelta | None:
        """From the demand to enter until let in, or until now while still kept out."""
        if self.arrived_at is None:
            return None
        return (self.admitted_at or timezone.now()) - self.arrived_at


def visits(case: Case) -> list[Visit]:
    """The case's visits in order: an arrival opens one, refusals and the admission join it."""
    events = (
        CaseEvent.objects.filter(case=case, kind__in=KINDS)
        .select_related("station", "author")
        .order_by("created_at", "pk")
    )
    place = case.place.name if case.place else ""
    found: list[Visit] = []
    for event in events:
        if event.kind == EventKind.LAWYER_ARRIVED or not found:
            station = event.station.name if event.station else place
            found.append(
                Visit(
                    station=station,
                    arrived_at=event.created_at if event.kind == EventKind.LAWYER_ARRIVED else None,
                    lawyer=str(event.author) if event.author else "",
                )
            )
        visit = found[-1]
        data = event.data if isinstance(event.data, dict) else {}
        if event.kind == EventKind.REFUSED_ENTRY:
            code = data.get("reason", "")
            label = RefusalReason(code).label if code in RefusalReason.values else code
            visit.refusals.append(
                Refusal(event.created_at, str(label), code, cases.open_note(event))
            )
        elif event.kind == EventKind.ADMITTED and visit.admitted_at is None:
            visit.admitted_at = event.created_at
    return found


def opened_record(what: str):
    """A view of a case's record: for those who may see its details, each look audited as
    `what`; the view gets the case and its visits."""

    def decorate(view):
        @never_cache
        @details_required
        @require_GET
        @wraps(view)
        def wrapped(request: HttpRequest, case: Case) -> HttpResponse:
            audit.record(request.user, "view", case.public_id, what)
            return view(request, case, visits(case))

        return wrapped

    return decorate


@opened_record("obstruction record")
def record(request: HttpRequest, case: Case, found: list[Visit]) -> HttpResponse:
    context = {
        "case": case,
        "visits": found,
        "files": evidence.files_of(case),
        "title": _("Obstruction record"),
    }
    return render(request, "console/obstruction.html", context)


@opened_record("obstruction record exported")
def record_json(request: HttpRequest, case: Case, found: list[Visit]) -> HttpResponse:
    body = {
        "case": case.public_id,
        "exported_at": timezone.now().isoformat(),
        "visits": [
            asdict(v)
            | {"waited_minutes": round(v.waited.total_seconds() / 60) if v.waited else None}
            for v in found
        ],
        # The files sent to the case, by their hashes: what the complaint attaches.
        "evidence": evidence.for_export(case),
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="obstruction-{case.public_id}.json"'
    return response
