"""A lawyer answers an offer: the link in their email, Telegram or SMS leads here.

The offer page shows only the routing envelope: a lawyer sees the person's details once the
case is theirs. Answers go through habeas.dispatch.services, which withdraws and re-offers.
"""

import math

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer, OfferState
from habeas.lib.refusals import Refusal

from .access import staff_required
from .places import place_label
from .replies import problem


def _offer(offer_id: int) -> Offer:
    return get_object_or_404(
        Offer.objects.select_related(
            "case", "case__police_station", "case__near_station", "case__assigned_lawyer", "lawyer"
        ),
        pk=offer_id,
    )


def _may_see(offer: Offer, user) -> bool:
    return offer.lawyer_id == user.pk or user.is_dispatcher


def why_not(offer: Offer, user) -> str:
    """Explain, from the offer's state now, why it can no longer be answered."""
    case = offer.case
    if offer.lawyer_id != user.pk:
        return _("This offer was made to another lawyer.")
    if case.assigned_lawyer_id and case.assigned_lawyer_id != user.pk:
        return _("%(lawyer)s has already taken this case.") % {"lawyer": case.assigned_lawyer}
    if offer.state == OfferState.PENDING and offer.expires_at <= timezone.now():
        return _("This offer ran out.")
    if offer.state != OfferState.PENDING:
        return _("This offer is no longer open: %(state)s.") % {
            "state": offer.get_state_display().lower()
        }
    return _("This offer cannot be answered now.")


@never_cache
@staff_required
@require_GET
def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    found = _offer(offer_id)
    if not _may_see(found, request.user):
        return problem(request, _("This offer was made to another lawyer."), 403)
    now = timezone.now()
    answerable = (
        found.state == OfferState.PENDING
        and found.expires_at > now
        and found.lawyer_id == request.user.pk
    )
    context = {
        "offer": found,
        "case": found.case,
        "place": place_label(found.case),
        "answerable": answerable,
        "minutes_left": math.ceil(max((found.expires_at - now).total_seconds(), 0) / 60),
        "why_not": "" if answerable else why_not(found, request.user),
    }
    return render(request, "console/offer.html", context)


@staff_required
@require_POST
def offer_answer(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Accept (the case becomes yours) or decline (the next lawyer is asked at once)."""
    found = _offer(offer_id)
    answer = request.POST.get("answer", "")
    if answer not in ("accept", "decline"):
        return problem(request, _("Unknown answer: “%(answer)s”.") % {"answer": answer[:40]}, 400)
    try:
        if answer == "accept":
            dispatch.accept(found.pk, request.user)
        else:
            dispatch.decline(found.pk, request.user)
    except Refusal:
        # Worded from the offer as it is now: taken, withdrawn or run out meanwhile.
        messages.error(request, why_not(_offer(offer_id), request.user))
        return redirect("console:offer", offer_id)
    if answer == "accept":
        messages.success(request, _("The case is yours. The family sees that a lawyer took it."))
        return redirect("console:case", found.case.public_id)
    messages.info(request, _("Declined. The case goes to the next lawyer."))
    return redirect("console:queue")
