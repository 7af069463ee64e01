"""Read a posted action into the arguments its service needs, and run it.

Two kinds of bad input: a value no form of ours can send (an unknown id, a made-up action) is
a BadInput and answers 400; a field left empty or mistyped is a Missing and goes back to the
case page with a message, the way a form would.
"""

from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext as _

from habeas.accounts.models import Role, User
from habeas.cases.models import Case, RefusalReason
from habeas.cases.transitions import ACTIONS, STAFF_ACTIONS
from habeas.dispatch import services as dispatch
from habeas.lib.articles import normalize_article
from habeas.stations.models import PoliceStation

NOTE_MAX_CHARS = 2000


def done_message(name: str) -> str:
    """What the console says once an action is done, as a sentence ("You took the case.")
    rather than the button's words after "Done:"."""
    said = {
        "take": _("You took the case."),
        "assign": _("The case is assigned."),
        "reassign": _("The case went to another lawyer."),
        "en_route": _("Noted: you are on the way."),
        "at_station": _("Noted: you are at the station."),
        "admitted": _("Noted: you were let in."),
        "refused_entry": _("The refusal of entry is recorded."),
        "held_at": _("The place of detention is recorded."),
        "transferred": _("The transfer is recorded."),
        "protocol": _("The protocol is recorded."),
        "released": _("The release is recorded."),
        "court_date": _("The court date is recorded."),
        "note": _("The note is added."),
        "close": _("You closed the case."),
    }.get(name)
    return said or _("Done: %(action)s.") % {"action": ACTIONS[name].label}


# A bare note without text records nothing; the others may carry one.
NOTE_REQUIRED = frozenset({"note"})
NOTE_OPTIONAL = frozenset({"released", "close", "refused_entry", "protocol", "court_date"})


class BadInput(Exception):
    """Nothing our pages send: answer 400 with this message."""


class Missing(Exception):
    """A field the person left empty or mistyped: tell them and let them try again."""


@dataclass
class Posted:
    name: str
    note: str = ""
    station: PoliceStation | None = None
    lawyer: User | None = None
    inputs: dict = field(default_factory=dict)


def parse_id(raw: str) -> int | None:
    """Read a database id from a form field; None for anything that is not one."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 16 else None


def _station(raw: str) -> PoliceStation:
    if not raw:
        raise Missing(_("Choose a police station first."))
    station = PoliceStation.objects.filter(pk=pk).first() if (pk := parse_id(raw)) else None
    if station is None:
        raise BadInput(_("There is no police station with this id."))
    return station


def _lawyer(raw: str) -> User:
    if not raw:
        raise Missing(_("Choose a lawyer first."))
    lawyers = User.objects.filter(role=Role.LAWYER, is_active=True)
    lawyer = lawyers.filter(pk=pk).first() if (pk := parse_id(raw)) else None
    if lawyer is None:
        raise BadInput(_("There is no active lawyer with this id."))
    return lawyer


def lawyer_from(raw: str) -> User:
    """The active lawyer a form's `lawyer` field names; raise Missing or BadInput."""
    return _lawyer(raw)


def _inputs(needs: frozenset, post: QueryDict) -> dict:
    inputs = {}
    if "reason" in needs:
        reason = post.get("reason", "")
        if not reason:
            raise Missing(_("Choose why the lawyer was refused entry."))
        if reason not in RefusalReason.values:
            raise BadInput(_("Unknown reason: “%(reason)s”.") % {"reason": reason[:40]})
        inputs["reason"] = reason
    if "article" in needs:
        article = normalize_article(post.get("article", ""))
        if article is None:
            raise Missing(_("Enter the article like this: 20.2 ч. 5 (or ч. 5 ст. 20.2)."))
        inputs["article"] = article
    if "outcome" in needs:
        outcome = post.get("outcome", "")
        if not outcome:
            raise Missing(_("Choose how the case ended."))
        inputs["outcome"] = outcome
    if "court_date" in needs:
        try:
            inputs["court_date"] = date.fromisoformat(post.get("court_date", "").strip())
        except ValueError:
            raise Missing(_("Enter the court date.")) from None
    return inputs


def read(post: QueryDict) -> Posted:
    """Check a posted action form; raise BadInput or Missing."""
    name = post.get("action", "")
    if name not in STAFF_ACTIONS:
        raise BadInput(_("Unknown action: “%(action)s”.") % {"action": name[:40]})
    action = ACTIONS[name]
    note = post.get("note", "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise BadInput(
            _("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX_CHARS}
        )
    if name in NOTE_REQUIRED and not note:
        raise Missing(_("Write the note first."))
    posted = Posted(name, note=note, inputs=_inputs(action.needs, post))
    if action.needs_station:
        posted.station = _station(post.get("station", "").strip())
    if "lawyer" in action.needs:
        posted.lawyer = _lawyer(post.get("lawyer", "").strip())
    if name == "released":
        posted.inputs["with_protocol"] = post.get("with_protocol") == "on"
    return posted


def perform(case: Case, posted: Posted, user) -> Case:
    """Run the action through dispatch, which keeps offers in step; raise its errors."""
    return dispatch.act(
        case,
        posted.name,
        user,
        lawyer=posted.lawyer,
        note=posted.note,
        station=posted.station,
        inputs=posted.inputs,
    )
