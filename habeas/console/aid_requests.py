"""Requests for legal aid (a summons, a consultation, court, an appeal): the soonest day
first, so that a lawyer can plan the week; emergencies stay in the queue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.cases.models import Case

from .access import staff_required

SHOWN = 200


@require_GET
@never_cache
@staff_required
def listed(request: HttpRequest) -> HttpResponse:
    """List open requests: when, what, which case, who goes. No names here."""
    cases = list(Case.objects.requests()[: SHOWN + 1])
    return render(
        request,
        "console/requests.html",
        {"title": _("Requests for legal aid"), "cases": cases[:SHOWN], "more": len(cases) > SHOWN},
    )
