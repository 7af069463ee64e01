"""Every allowed change of a case's status, in one table.

Services consult this table and nothing else; the console shows only the actions it allows.
Rules of thumb from the field: a release can come before the lawyer arrives (it often does);
nothing happens to a closed case.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import OPEN_STATUSES, EventKind, Status

ACTIVE = OPEN_STATUSES  # every action but taking one needs the case still open


@dataclass(frozen=True)
class Action:
    event: EventKind
    label: str
    allowed_from: frozenset
    to: Status | None = None  # None: the status stays as it is
    # Only the assigned lawyer (or a dispatcher) may do it.
    assignee_only: bool = False
    dispatcher_only: bool = False
    needs_station: bool = False
    # Further inputs, each checked by the service: "reason", "article", "court_date", "lawyer".
    needs: frozenset = frozenset()
    staff: bool = True  # False: done by the detainee with the status token


ACTIONS: dict[str, Action] = {
    "take": Action(
        EventKind.ACCEPTED, _("Take the case"), frozenset({Status.OPEN}), Status.ASSIGNED
    ),
    "assign": Action(
        EventKind.ACCEPTED,
        _("Assign to a lawyer"),
        frozenset({Status.OPEN}),
        Status.ASSIGNED,
        dispatcher_only=True,
        needs=frozenset({"lawyer"}),
    ),
    # A dispatcher hands a taken case to another lawyer (the first left, fell ill, or their
    # account was deactivated); the new lawyer picks up where the case is.
    "reassign": Action(
        EventKind.ACCEPTED,
        _("Give to another lawyer"),
        frozenset({Status.ASSIGNED, Status.LAWYER_ON_SITE}),
        Status.ASSIGNED,
        dispatcher_only=True,
        needs=frozenset({"lawyer"}),
    ),
    "en_route": Action(
        EventKind.LAWYER_EN_ROUTE, _("On my way"), frozenset({Status.ASSIGNED}), assignee_only=True
    ),
    "at_station": Action(
        EventKind.LAWYER_ARRIVED,
        _("At the station"),
        frozenset({Status.ASSIGNED}),
        Status.LAWYER_ON_SITE,
        assignee_only=True,
    ),
    "admitted": Action(
        EventKind.ADMITTED, _("Let in"), frozenset({Status.LAWYER_ON_SITE}), assignee_only=True
    ),
    "refused_entry": Action(
        EventKind.REFUSED_ENTRY,
        _("Refused entry"),
        frozenset({Status.LAWYER_ON_SITE}),
        assignee_only=True,
        needs=frozenset({"reason"}),
    ),
    # What the family reads as fact ("released", "moved"): the lawyer on the case or a
    # dispatcher only, never any lawyer with a login.
    "held_at": Action(
        EventKind.HELD_AT,
        _("Set the police station"),
        ACTIVE,
        assignee_only=True,
        needs_station=True,
    ),
    "transferred": Action(
        EventKind.TRANSFERRED,
        _("Moved to another station"),
        ACTIVE,
        assignee_only=True,
        needs_station=True,
    ),
    "protocol": Action(
        EventKind.PROTOCOL,
        _("Protocol drawn up"),
        ACTIVE,
        assignee_only=True,
        needs=frozenset({"article"}),
    ),
    "released": Action(EventKind.RELEASED, _("Released"), ACTIVE, assignee_only=True),
    "court_date": Action(
        EventKind.COURT_DATE,
        _("Court date"),
        ACTIVE,
        assignee_only=True,
        needs=frozenset({"court_date"}),
    ),
    "note": Action(EventKind.NOTE, _("Add a note"), ACTIVE),
    "close": Action(
        EventKind.CLOSED,
        _("Close the case"),
        ACTIVE,
        Status.CLOSED,
        assignee_only=True,
        needs=frozenset({"outcome"}),
    ),
    "withdraw": Action(EventKind.WITHDRAWN, _("False alarm"), ACTIVE, Status.CLOSED, staff=False),
}

STAFF_ACTIONS = {name: action for name, action in ACTIONS.items() if action.staff}
