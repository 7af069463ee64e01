"""Gather what the case page shows: opened reports, nearby stations, timeline and actions.

Everything here reads; writes go through acting.perform, called by the act view. Personal
data (reports' details, staff notes) is opened only for those dispatch.may_see_details lets
see it; everyone else gets the routing envelope and a line saying why.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from habeas.accounts.models import Role, User
from habeas.cases import merging
from habeas.cases import services as cases
from habeas.cases.models import (
    Case,
    CaseEvent,
    CaseOutcome,
    EventKind,
    Origin,
    RefusalReason,
    Status,
)
from habeas.cases.transitions import ACTIONS
from habeas.court import services as court
from habeas.court.models import Outcome
from habeas.dispatch import services as dispatch
from habeas.dispatch.load import load_annotations
from habeas.dispatch.models import Offer
from habeas.lawyers.models import Lawyer
from habeas.lib import geo
from habeas.lib.sealing import SealError
from habeas.stations.models import PoliceStation
from habeas.stations.services import NearbyStation, nearest

from .acting import NOTE_OPTIONAL, NOTE_REQUIRED

NEAREST_SHOWN = 3

# Shown beside the next step: the other one-tap steps, and at the door the refusal (with its
# reason), which is as likely as being let in. Everything else a lawyer needs later in a case,
# or rarely (protocol, court date, a move, closing, notes, release before arrival), is folded
# under "More actions": the first screen of a phone holds the person, the place and the step.
AT_THE_DOOR = frozenset({"refused_entry"})


@dataclass
class OpenedReport:
    report: object
    person: dict
    location: dict | None
    nearby: list[NearbyStation]
    sealed_ok: bool = True
    summons: dict | None = None  # date, time, place, reason (label), text
    # A relative or witness who reported: name, phone, telegram, email, relation.
    reporter: dict | None = None


# Why the police want the person, as the summons form asks it.
SUMMONS_REASONS = {
    "witness": gettext_lazy("As a witness"),
    "conversation": gettext_lazy("To a “conversation”"),
    "metro": gettext_lazy("After a stop in the metro"),
    "other": gettext_lazy("Other"),
}


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    note: str
    facts: list[str] = field(default_factory=list)


@dataclass
class Wait:
    label: str
    took: timedelta


@dataclass
class ActionForm:
    name: str
    label: str
    note: str  # "", "optional" or "required"
    note_label: str = ""
    needs_station: bool = False
    # Further inputs the service checks: "reason", "article", "court_date", "lawyer".
    needs: frozenset = frozenset()

    @property
    def one_tap(self) -> bool:
        return not (self.note or self.needs_station or self.needs or self.name == "released")


@dataclass
class StationChoices:
    nearby: list[NearbyStation] = field(default_factory=list)
    others: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, address


def open_report(report) -> OpenedReport:
    """Open one report; a blob that will not open is shown as such, not as a server error."""
    try:
        details = cases.open_details(report)
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
    summons = details.get("summons")
    if summons:
        summons = dict(summons)
        summons["date"] = _parsed(summons.get("date"), date.fromisoformat)
        summons["reason"] = SUMMONS_REASONS.get(summons.get("reason"), SUMMONS_REASONS["other"])
    reporter = {k: v for k, v in (details.get("reporter") or {}).items() if v} or None
    return OpenedReport(
        report, person, location, nearby, summons=summons or None, reporter=reporter
    )


def _parsed(value, parse):
    """Sealed details keep dates as ISO text; show a date when it parses, the text otherwise."""
    if not value:
        return None
    try:
        return parse(value)
    except (TypeError, ValueError):
        return value


def _facts(event: CaseEvent, names: dict[int, str]) -> list[str]:
    """Say what an event's data records: who was offered it, why entry was refused, and so on."""
    data = event.data if isinstance(event.data, dict) else {}
    facts = []
    # A lawyer who took the case is already its author; a dispatcher's "assign" names another.
    if "lawyer" in data and data["lawyer"] != event.author_id and event.kind != EventKind.WITHDRAWN:
        facts.append(names.get(data["lawyer"], "?"))
    if "reason" in data and data["reason"] in RefusalReason.values:
        facts.append(str(RefusalReason(data["reason"]).label))
    if "article" in data:
        facts.append(_("KoAP art. %(article)s") % {"article": data["article"]})
    if "court_date" in data:
        when = _parsed(data["court_date"], date.fromisoformat)
        facts.append(
            formats.date_format(when, "SHORT_DATE_FORMAT") if isinstance(when, date) else when
        )
    # Merge and split name the other case by its public id: the envelope, nobody's name.
    facts += [data[k] for k in ("from", "into", "to") if isinstance(data.get(k), str)]
    if "from_lawyer" in data:
        facts.append(_("instead of %(lawyer)s") % {"lawyer": names.get(data["from_lawyer"], "?")})
    if "lawyer_left" in data:
        lawyer = names.get(data["lawyer_left"], "?")
        facts.append(
            _("%(lawyer)s no longer works here: give the case to another lawyer")
            % {"lawyer": lawyer}
        )
    if data.get("outcome") in CaseOutcome.values and event.kind == EventKind.CLOSED:
        facts.append(str(CaseOutcome(data["outcome"]).label))
    if event.kind == EventKind.WITHDRAWN and "lawyer_stage" in data:
        # The person called it off while a lawyer had the case: the lawyer was told at once.
        lawyer = {"lawyer": names.get(data.get("lawyer"), "?")}
        facts.append(
            {
                "en_route": _("after %(lawyer)s set out; told at once"),
                "at_station": _("after %(lawyer)s reached the station; told at once"),
            }.get(data["lawyer_stage"], _("after %(lawyer)s took the case; told at once"))
            % lawyer
        )
    if "with_protocol" in data:
        facts.append(_("with a protocol") if data["with_protocol"] else _("without a protocol"))
    return facts


# A court decision already recorded says how the case ended; the lawyer confirms it.
FROM_DECISION = {
    Outcome.FINE: CaseOutcome.FINE,
    Outcome.ARREST: CaseOutcome.ARREST,
    Outcome.COMPULSORY_WORK: CaseOutcome.COMPULSORY_WORK,
    Outcome.DISMISSED: CaseOutcome.DISMISSED,
    Outcome.WARNING: CaseOutcome.OTHER,
    Outcome.RETURNED: CaseOutcome.PROTOCOL,
}


def suggested_outcome(case: Case) -> str:
    decision = court.latest_decision(case)
    return FROM_DECISION.get(decision.outcome, "") if decision else ""


def sealed_report(report) -> OpenedReport:
    """A report shown by its envelope only (channel, who reported, when): nothing is opened."""
    return OpenedReport(report, {}, None, [])


def timeline(events: list[CaseEvent], open_notes: bool = True) -> list[TimelineEntry]:
    lawyer_ids = {
        e.data[key]
        for e in events
        if isinstance(e.data, dict)
        for key in ("lawyer", "from_lawyer", "lawyer_left")
        if key in e.data
    }
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=lawyer_ids)}
    entries = []
    for event in events:
        try:
            note = cases.open_note(event) if open_notes else ""
        except SealError:
            note = _("(this note cannot be opened)")
        label = str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind
        entries.append(TimelineEntry(event, label, note, _facts(event, names)))
    return entries


def waits(case: Case, events: list[CaseEvent]) -> list[Wait]:
    """Measure the waits that matter, for the steps that have happened.

    SOS → first offer and SOS → a lawyer took it; at the station → let in or refused entry,
    counted from the first arrival (a refusal is evidence of obstruction, and so is its delay).
    """
    first: dict[str, datetime] = {}
    for event in events:
        first.setdefault(event.kind, event.created_at)
    found = []
    if EventKind.OFFERED in first:
        found.append(Wait(_("SOS → first offer"), first[EventKind.OFFERED] - case.created_at))
    if EventKind.ACCEPTED in first:
        found.append(Wait(_("SOS → a lawyer took it"), first[EventKind.ACCEPTED] - case.created_at))
    if (arrived := first.get(EventKind.LAWYER_ARRIVED)) is not None:
        door = (EventKind.ADMITTED, EventKind.REFUSED_ENTRY)
        entry = next((e for e in events if e.kind in door and e.created_at >= arrived), None)
        if entry is not None:
            label = (
                _("At the station → let in")
                if entry.kind == EventKind.ADMITTED
                else _("At the station → refused entry")
            )
            found.append(Wait(label, entry.created_at - arrived))
    return found


def _note_label(name: str) -> str:
    if name == "close":
        return _("Closing note: how did it end?")
    if name in NOTE_REQUIRED:
        return _("Note for the team (not shown to the family)")
    return _("Note (optional)")


def action_forms(case: Case, user) -> list[ActionForm]:
    """The buttons this user may press now, in the order of the transitions table."""
    forms = []
    for name in cases.allowed_actions(case, user):
        if name == "take" and dispatch.take_refusal(case, user) is not None:
            continue  # waiting for another lawyer's answer, off duty or full
        action = ACTIONS[name]
        note = "required" if name in NOTE_REQUIRED else "optional" if name in NOTE_OPTIONAL else ""
        label = _note_label(name) if note else ""
        forms.append(
            ActionForm(name, str(action.label), note, label, action.needs_station, action.needs)
        )
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
    # Ids, names and addresses only: the directory holds thousands, drawn on every poll.
    others = list(
        PoliceStation.objects.exclude(pk__in=near_ids)
        .order_by("name")
        .values_list("pk", "name", "address")
    )
    return StationChoices(nearby, others)


@dataclass(frozen=True)
class LawyerChoice:
    """One lawyer in an "assign" picker: what the option says, and no more."""

    user_id: int
    name: str
    on_duty: bool
    load: int
    capacity: int


def lawyer_choices() -> list[LawyerChoice]:
    """Active lawyers for "assign": those on duty first, each with their load as dispatch
    counts it (open cases and pending offers). Plain rows, not model objects: a protest day's
    300 lawyers and their accounts were 600 objects on every queue page."""
    rows = (
        Lawyer.objects.filter(user__is_active=True, user__role=Role.LAWYER)
        .annotate(**load_annotations("user_id"))
        .annotate(load=F("active") + F("offered"))
        .order_by("-on_duty", "user__last_name", "user__first_name", "user__email")
        .values_list(
            "user_id",
            "user__first_name",
            "user__last_name",
            "user__email",
            "on_duty",
            "load",
            "capacity",
        )
    )
    return [
        # As User.__str__ names them: the full name, else the email.
        LawyerChoice(uid, f"{first} {last}".strip() or email, on_duty, load, capacity)
        for uid, first, last, email, on_duty, load, capacity in rows
    ]


@dataclass
class Who:
    """The person, as the first screen shows them: each field from the first report giving it
    (the person's own reports first), so a relative's report fills what a bare SOS lacked."""

    full_name: str = ""
    date_of_birth: object = None
    phone: str = ""
    note: str = ""

    @property
    def known(self) -> bool:
        return any((self.full_name, self.date_of_birth, self.phone, self.note))


@dataclass
class Where:
    """The station the case is at (held there, or only the nearest to the phone) and how far it
    is from where the phone last was."""

    station: PoliceStation | None = None
    known: bool = False
    distance_m: float | None = None


def who(reports: list[OpenedReport]) -> Who:
    own_first = sorted(reports, key=lambda r: r.report.reporter_role != "self")
    found = Who()
    for field_name in ("full_name", "date_of_birth", "phone", "note"):
        for opened in own_first:
            if value := opened.person.get(field_name):
                setattr(found, field_name, value)
                break
    return found


def where(case: Case, reports: list[OpenedReport]) -> Where:
    station = case.place
    if station is None:
        return Where()
    located = [r.location for r in reports if r.location]
    distance = None
    if located:
        last = located[-1]
        distance = geo.distance_m(last["lat"], last["lon"], station.lat, station.lon)
    return Where(station, case.place_is_known, distance)


def _next_names(case: Case, events: list[CaseEvent], user) -> tuple[str, ...]:
    """The step the case waits for, best first: what the lawyer (or dispatcher) does now."""
    kinds = [e.kind for e in events]

    def since(kind: str, start: str) -> bool:  # `kind` recorded after the last `start`
        last = max((i for i, k in enumerate(kinds) if k == start), default=-1)
        return kind in kinds[last + 1 :]

    if case.status == Status.OPEN:
        return ("assign", "take") if user.is_dispatcher else ("take",)
    if case.status == Status.ASSIGNED:
        on_way = since(EventKind.LAWYER_EN_ROUTE, EventKind.ACCEPTED)
        return ("at_station",) if on_way else ("en_route", "at_station")
    if case.status == Status.LAWYER_ON_SITE:
        if since(EventKind.ADMITTED, EventKind.LAWYER_ARRIVED):
            return ("released", "close")
        return ("admitted",)
    return ()


def arranged(case: Case, events: list[CaseEvent], forms: list[ActionForm], user) -> dict:
    """Split the forms into the one next step, the other common ones, and the rarer ones."""
    by_name = {f.name: f for f in forms}
    step = next((by_name[n] for n in _next_names(case, events, user) if n in by_name), None)
    rest = [f for f in forms if f is not step]
    at_door = case.status == Status.LAWYER_ON_SITE
    common = [f for f in rest if f.one_tap or (at_door and f.name in AT_THE_DOOR)]
    return {
        "next_step": step,
        "common_actions": common,
        "rare_actions": [f for f in rest if f not in common],
    }


def case_context(case: Case, user) -> dict:
    """Everything the case page's live part renders; `details` says whether it opened any."""
    details = dispatch.may_see_details(user, case)
    show = open_report if details else sealed_report
    reports = [show(r) for r in case.reports.order_by("created_at", "id")]
    events = list(case.events.select_related("author", "station"))
    forms = action_forms(case, user)
    needs = frozenset().union(*(f.needs for f in forms))
    offers = list(Offer.objects.pending().filter(case=case).select_related("lawyer"))
    # Merging and splitting are a dispatcher's; the matches read only keyed indexes and the
    # envelope, never the sealed reports, so showing them opens nothing.
    sorting = user.is_dispatcher and not case.is_closed
    return {
        "case": case,
        "details": details,
        "duress": case.origin == Origin.DURESS,
        "who": who(reports) if details else None,
        "where": where(case, reports),
        **arranged(case, events, forms, user),
        "reports": reports,
        "timeline": timeline(events, open_notes=details),
        "waits": waits(case, events),
        "actions": forms,
        "stations": station_choices(reports, case) if any(f.needs_station for f in forms) else None,
        "lawyers": lawyer_choices() if "lawyer" in needs else None,
        "reasons": RefusalReason.choices,
        "case_outcomes": CaseOutcome.choices if "outcome" in needs else None,
        "suggested_outcome": suggested_outcome(case) if "outcome" in needs else "",
        "offers": offers,
        "my_offer": next((o for o in offers if o.lawyer_id == user.pk), None),
        "matches": merging.possible_matches(case) if sorting else [],
        "can_split": sorting and len(reports) > 1,
    }
