"""Upcoming summons, soonest first, so that a lawyer can go with the person."""

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
def upcoming(request: HttpRequest) -> HttpResponse:
    """List open summons cases from today on: when, which case, who goes. No names here."""
    cases = list(Case.objects.upcoming_summons()[: SHOWN + 1])
    return render(
        request,
        "console/summons.html",
        {"title": _("Upcoming summons"), "cases": cases[:SHOWN], "more": len(cases) > SHOWN},
    )
