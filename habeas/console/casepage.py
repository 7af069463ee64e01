"""Gather what the case page shows: opened reports, nearby stations, timeline and actions.

Everything here reads; writes go through habeas.cases.services.transition in the act view.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from habeas.cases import services
from habeas.cases.models import Case, CaseEvent, EventKind
from habeas.cases.transitions import ACTIONS
from habeas.lib.sealing import SealError
from habeas.stations.models import PoliceStation
from habeas.stations.services import NearbyStation, nearest

NEAREST_SHOWN = 3
# A closing or release note records the outcome; a bare note without text records nothing.
NOTE_OPTIONAL = frozenset({"close", "released"})
NOTE_REQUIRED = frozenset({"note"})


@dataclass
class OpenedReport:
    report: object
    person: dict
    location: dict | None
    nearby: list[NearbyStation]
    sealed_ok: bool = True


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    note: str


@dataclass
class ActionForm:
    name: str
    label: str
    note: str  # "", "optional" or "required"
    note_label: str = ""
    needs_station: bool = False


@dataclass
class StationChoices:
    nearby: list[NearbyStation] = field(default_factory=list)
    others: list[PoliceStation] = field(default_factory=list)


def open_report(report) -> OpenedReport:
    """Open one report; a blob that will not open is shown as such, not as a server error."""
    try:
        details = services.open_details(report)
    except SealError:
        return OpenedReport(report, {}, None, [], sealed_ok=False)
    person = dict(details.get("person") or {})
    person["date_of_birth"] = _parsed(person.get("date_of_birth"), date.fromisoformat)
    location = details.get("location")
    nearby = []
    if location:
        location = dict(location)
        location["captured_at"] = _parsed(location.get("captured_at"), datetime.fromisoformat)
        nearby = nearest(location["lat"], location["lon"], NEAREST_SHOWN)
    return OpenedReport(report, person, location, nearby)


def _parsed(value, parse):
    """Sealed details keep dates as ISO text; show a date when it parses, the text otherwise."""
    if not value:
        return None
    try:
        return parse(value)
    except (TypeError, ValueError):
        return value


def timeline(case: Case) -> list[TimelineEntry]:
    entries = []
    for event in case.events.select_related("author", "station"):
        try:
            note = services.open_note(event)
        except SealError:
            note = _("(this note cannot be opened)")
        entries.append(TimelineEntry(event, str(EventKind(event.kind).label), note))
    return entries


def _note_label(name: str) -> str:
    if name == "close":
        return _("Closing note: how did it end?")
    if name in NOTE_REQUIRED:
        return _("Note for the team (not shown to the family)")
    return _("Note (optional)")


def action_forms(case: Case, user) -> list[ActionForm]:
    """The buttons this user may press now, in the order of the transitions table."""
    forms = []
    for name in services.allowed_actions(case, user):
        action = ACTIONS[name]
        note = "required" if name in NOTE_REQUIRED else "optional" if name in NOTE_OPTIONAL else ""
        label = _note_label(name) if note else ""
        forms.append(ActionForm(name, str(action.label), note, label, action.needs_station))
    return forms


def station_choices(reports: list[OpenedReport], case: Case) -> StationChoices:
    """Nearest stations to the person first, then every other station by name."""
    nearby: list[NearbyStation] = []
    for opened in reports:
        if opened.nearby:
            nearby = opened.nearby
            break
    else:
        if case.lat_coarse is not None and case.lon_coarse is not None:
            nearby = nearest(case.lat_coarse, case.lon_coarse, NEAREST_SHOWN)
    near_ids = [n.station.pk for n in nearby]
    others = list(PoliceStation.objects.exclude(pk__in=near_ids).order_by("name"))
    return StationChoices(nearby, others)


def case_context(case: Case, user) -> dict:
    """Everything the case page's live part renders."""
    reports = [open_report(r) for r in case.reports.order_by("created_at", "id")]
    forms = action_forms(case, user)
    needs_stations = any(f.needs_station for f in forms)
    return {
        "case": case,
        "reports": reports,
        "timeline": timeline(case),
        "actions": forms,
        "stations": station_choices(reports, case) if needs_stations else None,
    }
