"""Several cases in one action: a lawyer takes a station's waiting cases ("Take all here"),
a dispatcher gives several cases to one lawyer ("Assign several", from the queue's
checkboxes or a station's row on the board).

Both call one dispatch verb, which applies the single action's rules to each case; this
module reads the form and says what happened: how many, which cases were left and why, and
what stopped the batch.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from habeas.cases.models import Case, Status
from habeas.dispatch import services as dispatch
from habeas.lib.refusals import Refusal
from habeas.stations.models import PoliceStation

from . import acting, refusals
from .access import dispatcher_required, safe_next, staff_required
from .replies import problem

# A page of the queue is 50 cases; more ids than a few pages' worth is no form of ours.
MAX_CASES = 200


def _station(raw: str) -> PoliceStation | None:
    pk = acting.parse_id(raw)
    return PoliceStation.objects.filter(pk=pk).first() if pk else None


def _tell(request: HttpRequest, batch: dispatch.Batch, done_text: str) -> None:
    """Put what the batch did on the next page: done, then each case left, then the stop."""
    if batch.done:
        messages.success(request, done_text)
    if batch.refused:
        now = Case.objects.select_related("assigned_lawyer").in_bulk(
            list(batch.refused), field_name="public_id"
        )
        for public_id, refusal in batch.refused.items():
            why = refusals.explain(refusal, now[public_id], request.user)
            messages.warning(request, _("%(case)s: %(why)s") % {"case": public_id, "why": why})
    if batch.stopped is not None:
        stop = refusals.explain_alone(batch.stopped)
        left = ngettext(
            "%(n)d case is still waiting.", "%(n)d cases are still waiting.", batch.left
        ) % {"n": batch.left}
        messages.warning(request, f"{stop} {left}")


@staff_required
@require_POST
def take_all_here(request: HttpRequest, station_id: int) -> HttpResponse:
    """A lawyer at this station takes its waiting cases, as many as they have room for."""
    station = PoliceStation.objects.filter(pk=station_id).first()
    if station is None:
        return problem(request, _("There is no police station with this id."), 404)
    back = safe_next(request, "console:stations")
    try:
        batch = dispatch.take_all_at_station(request.user, station)
    except Refusal as exc:
        messages.error(request, refusals.explain_alone(exc))
        return redirect(back)
    if not batch.done and not batch.refused:
        messages.info(request, _("No case is waiting at %(station)s.") % {"station": station})
    done = ngettext(
        "You took %(n)d case at %(station)s.",
        "You took %(n)d cases at %(station)s.",
        len(batch.done),
    ) % {"n": len(batch.done), "station": station}
    _tell(request, batch, done)
    return redirect(back)


def _chosen(request: HttpRequest) -> list[Case]:
    """The cases the form names: checked ids from the queue, or a station's waiting cases
    from the board. Raises acting.BadInput or acting.Missing."""
    ids = [i.strip().upper() for i in request.POST.getlist("case") if i.strip()]
    station_raw = request.POST.get("station", "").strip()
    if len(ids) > MAX_CASES:
        raise acting.BadInput(_("Too many cases at once (at most %(n)d).") % {"n": MAX_CASES})
    if station_raw:
        station = _station(station_raw)
        if station is None:
            raise acting.BadInput(_("There is no police station with this id."))
        waiting = Case.objects.filter(status=Status.OPEN).at_place(station)
        return list(waiting[:MAX_CASES])
    if not ids:
        raise acting.Missing(_("Choose at least one case first."))
    found = list(Case.objects.filter(public_id__in=[i[:16] for i in ids]))
    if len(found) != len(set(ids)):
        raise acting.BadInput(_("One of the chosen cases does not exist."))
    return found


@dispatcher_required
@require_POST
def assign_several(request: HttpRequest) -> HttpResponse:
    """A dispatcher gives the chosen cases to one lawyer, up to the lawyer's capacity."""
    back = safe_next(request)
    try:
        lawyer = acting.lawyer_from(request.POST.get("lawyer", "").strip())
        chosen = _chosen(request)
    except acting.BadInput as exc:
        return problem(request, str(exc), 400)
    except acting.Missing as exc:
        messages.error(request, str(exc))
        return redirect(back)
    try:
        batch = dispatch.assign_many(request.user, chosen, lawyer)
    except Refusal as exc:
        messages.error(request, refusals.explain_alone(exc))
        return redirect(back)
    if not chosen:
        messages.info(request, _("No case is waiting there any more."))
    done = ngettext(
        "%(n)d case assigned to %(lawyer)s.", "%(n)d cases assigned to %(lawyer)s.", len(batch.done)
    ) % {"n": len(batch.done), "lawyer": lawyer}
    _tell(request, batch, done)
    return redirect(back)
