"""The duty roster for dispatchers: every lawyer, their load, their area and their turn.

Reads only. Load is dispatch's own definition (habeas.dispatch.load), with one subquery
each, so the page stays one query however many lawyers there are.
"""

from dataclasses import dataclass

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.accounts.models import Role, User
from habeas.dispatch import policy
from habeas.dispatch import services as dispatch
from habeas.dispatch.load import count_per_user, load_annotations
from habeas.lawyers.models import Lawyer
from habeas.notifications.models import ChannelName

from .access import dispatcher_required


@dataclass
class RosterRow:
    user: User
    lawyer: Lawyer | None
    load: int
    capacity: int
    position: int | None  # next in line for a case with no place known yet; None: not eligible
    station_count: int
    radius_km: float | None  # None: no base point, so distance does not limit them
    channels: list[str]

    @property
    def on_duty(self) -> bool:
        return bool(self.lawyer and self.lawyer.on_duty)

    @property
    def full(self) -> bool:
        return self.load >= self.capacity


def _radius_km(lawyer: Lawyer | None) -> float | None:
    if lawyer is None or lawyer.base_lat is None:
        return None
    if lawyer.radius_km:
        return lawyer.radius_km
    # With a base point but no radius the policy applies its default: show what it does.
    return policy.DEFAULT_RADIUS_M / 1000


def positions() -> dict[int, int]:
    """Each on-duty lawyer's turn for a case in everyone's area, by the real policy."""
    anywhere = policy.CaseInfo(id=0, priority=0, created_at=0.0, anywhere=True)
    return {info.id: n for n, info in enumerate(policy.rank(anywhere, dispatch.lawyer_infos()), 1)}


def roster_rows() -> list[RosterRow]:
    """Every active lawyer, on duty first, then by name."""
    stations = count_per_user(Lawyer.stations.through.objects.all(), "lawyer", "lawyer__pk")
    users = (
        User.objects.filter(role=Role.LAWYER, is_active=True)
        .select_related("lawyer")
        .annotate(**load_annotations("pk"), station_count=stations)
        .order_by(F("lawyer__on_duty").desc(nulls_last=True), "last_name", "first_name", "email")
    )
    turn = positions()
    labels = dict(ChannelName.choices)
    rows = []
    for user in users:
        lawyer = getattr(user, "lawyer", None)
        rows.append(
            RosterRow(
                user=user,
                lawyer=lawyer,
                load=user.active + user.offered,
                capacity=lawyer.capacity if lawyer else Lawyer._meta.get_field("capacity").default,
                position=turn.get(user.pk),
                station_count=user.station_count,
                radius_km=_radius_km(lawyer),
                channels=[str(labels[c]) for c in (lawyer.channel_list if lawyer else ["email"])],
            )
        )
    return rows


@never_cache
@dispatcher_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    rows = roster_rows()
    context = {
        "rows": rows,
        "on_duty_count": sum(1 for r in rows if r.on_duty),
        "title": _("Duty roster"),
    }
    return render(request, "console/roster.html", context)
