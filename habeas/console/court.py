"""The court stage on the console: record a hearing and its decision on the case page, and
the "Hearings and deadlines" list. Writes through habeas.court.services only."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from habeas.cases.models import Case
from habeas.court import services as court
from habeas.court.models import Decision, Hearing, Outcome

from .access import staff_required
from .acting import parse_id
from .refusals import MESSAGES
from .replies import problem

# What each field is called on the forms, for the refusals that name one.
FIELD_LABELS = {
    "court": gettext_lazy("Court"),
    "address": gettext_lazy("Address"),
    "judge": gettext_lazy("Judge"),
    "fine_rub": gettext_lazy("Fine, roubles"),
    "arrest_days": gettext_lazy("Arrest, days"),
    "work_hours": gettext_lazy("Compulsory work, hours"),
}


def may_record(user, case: Case) -> bool:
    """The lawyer on the case, or a dispatcher: who files the court stage."""
    return user.is_dispatcher or case.assigned_lawyer_id == user.pk


@dataclass
class HearingView:
    hearing: Hearing
    details: court.HearingDetails | None  # None: not for this user's eyes
    decision: Decision | None
    can_decide: bool


def hearings_of(case: Case, user, details: bool) -> list[HearingView]:
    """The case's hearings for its page; where and before whom only with the details."""
    views = []
    for hearing in court.of_case(case):
        decision = getattr(hearing, "decision", None)
        views.append(
            HearingView(
                hearing,
                court.details_of(hearing) if details else None,
                decision,
                can_decide=decision is None and may_record(user, case),
            )
        )
    return views


def _explain(refused: court.CourtRefused) -> str:
    params = dict(refused.params)
    if "field" in params:
        params["field"] = str(FIELD_LABELS.get(params["field"], params["field"]))
    return str(MESSAGES[refused.code]) % params


def _case(public_id: str) -> Case:
    return get_object_or_404(Case.objects.select_related("assigned_lawyer"), public_id=public_id)


def _when(raw: str) -> datetime | str:
    """A datetime-local field's value, or the raw text for the service to refuse."""
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw


def _day(raw: str) -> date | str:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return raw


@staff_required
@require_POST
def record_hearing(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _case(public_id)
    if not may_record(request.user, case):
        return problem(request, _("Only the lawyer on this case or a dispatcher can do this."), 403)
    post = request.POST
    try:
        court.record_hearing(
            case,
            starts_at=_when(post.get("starts_at", "")),
            court=post.get("court", ""),
            address=post.get("address", ""),
            judge=post.get("judge", ""),
            article=post.get("article", ""),
            by=request.user,
        )
    except court.CourtRefused as refused:
        messages.error(request, _explain(refused))
    else:
        messages.success(
            request, _("The hearing is recorded; you will be reminded the evening before.")
        )
    return redirect(f"{case_url(case)}#court")


@staff_required
@require_POST
def record_decision(request: HttpRequest, hearing_id: str) -> HttpResponse:
    pk = parse_id(hearing_id)
    hearing = get_object_or_404(Hearing.objects.select_related("case"), pk=pk or 0)
    case = hearing.case
    if not may_record(request.user, case):
        return problem(request, _("Only the lawyer on this case or a dispatcher can do this."), 403)
    post = request.POST
    try:
        decision = court.record_decision(
            hearing,
            outcome=post.get("outcome", ""),
            copy_received_on=_day(post.get("copy_received_on", "")),
            fine_rub=post.get("fine_rub") or None,
            arrest_days=post.get("arrest_days") or None,
            work_hours=post.get("work_hours") or None,
            by=request.user,
        )
    except court.CourtRefused as refused:
        messages.error(request, _explain(refused))
    else:
        messages.success(
            request,
            _("The decision is recorded. Appeal by %(date)s.")
            % {"date": formats.date_format(decision.appeal_deadline, "SHORT_DATE_FORMAT")},
        )
    return redirect(f"{case_url(case)}#court")


def case_url(case: Case) -> str:
    return reverse("console:case", args=[case.public_id])


@never_cache
@staff_required
@require_GET
def upcoming(request: HttpRequest) -> HttpResponse:
    """Hearings and appeal deadlines to come, soonest first: a lawyer's own, or all."""
    hearings, decisions = court.upcoming(request.user)
    return render(
        request,
        "console/court.html",
        {
            "title": _("Hearings and deadlines"),
            "hearings": hearings,
            "decisions": decisions,
            "outcomes": Outcome.choices,
        },
    )
