"""Every allowed change of a case's status, in one table.

Services consult this table and nothing else; the console shows only the actions it allows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import EventKind, Status

ACTIVE = frozenset({Status.OPEN, Status.ASSIGNED, Status.LAWYER_ON_SITE})


@dataclass(frozen=True)
class Action:
    event: EventKind
    label: str
    allowed_from: frozenset
    to: Status | None = None  # None: the status stays as it is
    # Only the assigned lawyer (or a dispatcher) may do it.
    assignee_only: bool = False
    needs_station: bool = False
    staff: bool = True  # False: done by the detainee with the status token


ACTIONS: dict[str, Action] = {
    "take": Action(
        EventKind.ACCEPTED, _("Take the case"), frozenset({Status.OPEN}), Status.ASSIGNED
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
    "held_at": Action(EventKind.HELD_AT, _("Set the police station"), ACTIVE, needs_station=True),
    "released": Action(EventKind.RELEASED, _("Released"), ACTIVE, assignee_only=True),
    "note": Action(EventKind.NOTE, _("Add a note"), ACTIVE),
    "close": Action(
        EventKind.CLOSED, _("Close the case"), ACTIVE, Status.CLOSED, assignee_only=True
    ),
    "withdraw": Action(EventKind.WITHDRAWN, _("False alarm"), ACTIVE, Status.CLOSED, staff=False),
}

STAFF_ACTIONS = {name: action for name, action in ACTIONS.items() if action.staff}
