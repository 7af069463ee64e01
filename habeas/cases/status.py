"""What the detainee and their family see of a case: stage, message and public timeline."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Case, EventKind, Kind

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


def stage_message(stage: str, *, request: bool = False) -> str:
    """The stage in a sentence; a request for legal aid (REQUEST_KINDS) in its own words:
    nobody is "finding a lawyer" for a consultation next week as for a detainee."""
    if request and stage in REQUEST_MESSAGES:
        return str(REQUEST_MESSAGES[stage])
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


REQUEST_MESSAGES = {
    "received": gettext_lazy(
        "Your request was received. A lawyer will answer within hours, not minutes; "
        "for an emergency, send an SOS."
    ),
    "lawyer_assigned": gettext_lazy("A lawyer took your request and will contact you."),
    "closed": gettext_lazy("The request is closed."),
    "withdrawn": gettext_lazy("The request was withdrawn."),
}

REQUEST_HEADINGS = {
    "received": gettext_lazy("Request received"),
    "lawyer_assigned": gettext_lazy("A lawyer took your request"),
    "closed": gettext_lazy("The request is closed"),
    "withdrawn": gettext_lazy("Request withdrawn"),
}


def stage_heading(stage: str, station: str | None, *, own: bool) -> str:
    """The status screen's heading for this stage: what is happening, in one line.

    `own` words it for the person who sent the SOS ("You were released"); a relative's or a
    witness's screen speaks of the person ("They were released").
    """
    if stage in ("lawyer_at_station", "lawyer_admitted") and station:
        at = {"station": station}
        if stage == "lawyer_at_station":
            return (
                _("Your lawyer is at %(station)s") if own else _("The lawyer is at %(station)s")
            ) % at
        return (
            _("Your lawyer was let in at %(station)s")
            if own
            else _("The lawyer was let in at %(station)s")
        ) % at
    own_words = {
        "received": _("SOS received"),
        "lawyer_assigned": _("A lawyer took your case"),
        "lawyer_en_route": _("A lawyer is on the way"),
        "lawyer_at_station": _("Your lawyer is at the police station"),
        "lawyer_admitted": _("Your lawyer was let in"),
        "lawyer_refused": _("The police are not letting your lawyer in"),
        "released": _("You were released"),
        "closed": _("The case is closed"),
        "withdrawn": _("SOS withdrawn"),
    }
    others_words = {
        "received": _("Report received"),
        "lawyer_assigned": _("A lawyer took the case"),
        "lawyer_en_route": _("A lawyer is on the way"),
        "lawyer_at_station": _("The lawyer is at the police station"),
        "lawyer_admitted": _("The lawyer was let in"),
        "lawyer_refused": _("The police are not letting the lawyer in"),
        "released": _("They were released"),
        "closed": _("The case is closed"),
        "withdrawn": _("The report was withdrawn"),
    }
    return str((own_words if own else others_words)[stage])


def lawyer_name(case: Case) -> str | None:
    """The assigned lawyer as their staff profile names them, so the person can tell the
    police "my lawyer X is coming". Lawyers have no separate display name: the profile's
    name is what they chose to be known by; never the email, which is a login."""
    user = case.assigned_lawyer if case.assigned_lawyer_id else None
    if user is None:
        return None
    return user.get_full_name().strip() or None


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
    # The screen's heading for the stage ("" for a summons, whose page words its own) and the
    # lawyer on the case, once one took it.
    heading: str = ""
    lawyer: str | None = None


def _heading(case: Case, stage: str, station: str | None, *, own: bool) -> str:
    # A request never borrows the SOS's words; a summons's page words its own heading.
    if case.kind == Kind.SUMMONS:
        return ""
    if case.is_request:
        words = REQUEST_HEADINGS.get(stage)
        return str(words) if words else stage_heading(stage, station, own=own)
    return stage_heading(stage, station, own=own)


def public_status(case: Case, *, own: bool = True) -> PublicStatus:
    """Build the family's view: no staff notes, no other reports' details, and no name but
    the lawyer's (the person needs it to say who their lawyer is). `own`: the viewer is the
    person who sent the SOS (see stage_heading)."""
    events = [
        e for e in case.events.select_related("station").order_by("created_at", "id") if e.is_public
    ]
    stage = "received"
    for event in events:
        stage = STAGES.get(event.kind, stage)
    station = case.police_station.name if case.police_station else None
    return PublicStatus(
        case_id=case.public_id,
        status=case.status,
        stage=stage,
        message=stage_message(stage, request=case.is_request),
        closed=case.is_closed,
        police_station=station,
        heading=_heading(case, stage, station, own=own),
        lawyer=lawyer_name(case) if stage not in ("withdrawn", "closed") else None,
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
