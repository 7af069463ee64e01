"""What the detainee and their family see of a case: stage, message and public timeline."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from .models import Case, EventKind

# Events that move the story forward; the last one of these sets the stage shown.
STAGES = {
    EventKind.REPORTED: "received",
    EventKind.ACCEPTED: "lawyer_assigned",
    EventKind.LAWYER_EN_ROUTE: "lawyer_en_route",
    EventKind.LAWYER_ARRIVED: "lawyer_at_station",
    EventKind.ADMITTED: "lawyer_admitted",
    EventKind.REFUSED_ENTRY: "lawyer_refused",
    EventKind.RELEASED: "released",
    EventKind.CLOSED: "closed",
    EventKind.WITHDRAWN: "withdrawn",
}


def stage_message(stage: str) -> str:
    return {
        "received": _("Your SOS was received. We are finding a lawyer."),
        "lawyer_assigned": _("A lawyer has taken your case."),
        "lawyer_en_route": _("The lawyer is on the way."),
        "lawyer_at_station": _("The lawyer is at the station."),
        "lawyer_admitted": _("The lawyer has been let in."),
        "lawyer_refused": _(
            "The police refused the lawyer entry. It is recorded as evidence; we keep trying."
        ),
        "released": _("Released."),
        "closed": _("The case is closed."),
        "withdrawn": _("The SOS was withdrawn as a false alarm."),
    }[stage]


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    label: str
    at: datetime
    station: str | None


@dataclass(frozen=True)
class PublicStatus:
    case_id: str
    status: str
    stage: str
    message: str
    closed: bool
    police_station: str | None
    events: list[PublicEvent]


def public_status(case: Case) -> PublicStatus:
    """Build the family's view: no staff notes, no names, no other reports' details."""
    events = [
        e for e in case.events.select_related("station").order_by("created_at", "id") if e.is_public
    ]
    stage = "received"
    for event in events:
        stage = STAGES.get(event.kind, stage)
    return PublicStatus(
        case_id=case.public_id,
        status=case.status,
        stage=stage,
        message=stage_message(stage),
        closed=case.is_closed,
        police_station=case.police_station.name if case.police_station else None,
        events=[
            PublicEvent(
                kind=e.kind,
                label=str(EventKind(e.kind).label),
                at=e.created_at,
                station=e.station.name if e.station else None,
            )
            for e in events
        ],
    )
