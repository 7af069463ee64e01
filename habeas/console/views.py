"""The staff console: the live queue, the case page and the actions taken on it.

Views read through QuerySets and write only through habeas.cases.services.
Live parts are polled with ETags: an unchanged queue or case costs one small query and a 304.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET, require_POST

from habeas.cases import services
from habeas.cases.models import Case
from habeas.cases.transitions import ACTIONS, STAFF_ACTIONS
from habeas.stations.models import PoliceStation

from .access import staff_required
from .casepage import NOTE_REQUIRED, case_context
from .forms import EmailLoginForm

log = logging.getLogger(__name__)

# A surge can open thousands of cases; the page stays usable and the header shows the total.
QUEUE_LIMIT = 200
NOTE_MAX_CHARS = 2000

login = auth_views.LoginView.as_view(
    template_name="console/login.html",
    authentication_form=EmailLoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()


# --- the queue -------------------------------------------------------------------------------


def queue_etag(request: HttpRequest) -> str:
    # The minute is part of it so that "5 min ago" ages even when no case changes.
    minute = int(time.time() // 60)
    version = Case.objects.version()
    return f'"q-{version}-{request.LANGUAGE_CODE}-{request.user.pk}-{minute}"'


def _queue_context() -> dict:
    open_count = Case.objects.open().count()
    cases = list(Case.objects.queue()[:QUEUE_LIMIT])
    return {
        "cases": cases,
        "open_count": open_count,
        "more_count": max(open_count - len(cases), 0),
        "title": _("Queue: %(count)d open") % {"count": open_count},
    }


@never_cache
@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    etag = queue_etag(request)
    context = _queue_context() | {"etag": etag, "poll_ms": settings.HABEAS_POLL_MS}
    return render(request, "console/queue.html", context)


@never_cache
@staff_required
@require_GET
@condition(etag_func=queue_etag)
def queue_fragment(request: HttpRequest) -> HttpResponse:
    """Return the queue list's HTML, or 304 when nothing changed since the client's ETag."""
    return render(request, "console/_queue_list.html", _queue_context())


# --- one case --------------------------------------------------------------------------------


def case_etag(request: HttpRequest, public_id: str) -> str | None:
    updated = Case.objects.filter(public_id=public_id).values_list("updated_at", flat=True).first()
    if updated is None:
        return None
    return f'"c-{updated.timestamp():.6f}-{request.LANGUAGE_CODE}-{request.user.pk}"'


def _case(public_id: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("police_station", "assigned_lawyer"), public_id=public_id
    )


@never_cache
@staff_required
@require_GET
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _case(public_id)
    # Until the audit log exists, at least record who opened whose personal data (ids only).
    log.info("case %s opened in the console by staff #%s", case.public_id, request.user.pk)
    context = case_context(case, request.user) | {
        "etag": case_etag(request, public_id),
        "poll_ms": settings.HABEAS_POLL_MS,
    }
    return render(request, "console/case.html", context)


@never_cache
@staff_required
@require_GET
@condition(etag_func=case_etag)
def case_live(request: HttpRequest, public_id: str) -> HttpResponse:
    """Return the case page's changing part, or 304 when the case has not changed."""
    case = _case(public_id)
    log.info("case %s refreshed in the console by staff #%s", case.public_id, request.user.pk)
    return render(request, "console/_case_live.html", case_context(case, request.user))


def _bad_request(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    return render(
        request, "console/bad_request.html", {"case": case, "message": message}, status=400
    )


def _refusal_message(case: Case, action_name: str, user) -> str:
    """Explain, in the user's language, why the case no longer allows this action."""
    action = ACTIONS[action_name]
    lawyer = case.assigned_lawyer
    if action_name == "take" and lawyer is not None:
        if lawyer.pk == user.pk:
            return _("You have already taken this case.")
        return _("%(lawyer)s has already taken this case.") % {"lawyer": lawyer}
    if case.is_closed:
        return _("This case is already closed.")
    if case.status not in action.allowed_from:
        return _("“%(action)s” is not possible while the case is “%(status)s”.") % {
            "action": action.label,
            "status": case.get_status_display(),
        }
    if action.assignee_only:
        return _("Only the lawyer who took the case, or a dispatcher, can do this.")
    return _("“%(action)s” is not possible now.") % {"action": action.label}


@staff_required
@require_POST
def act(request: HttpRequest, public_id: str) -> HttpResponse:
    """Apply one staff action to a case, then go back to the case page with a message."""
    case = _case(public_id)
    name = request.POST.get("action", "")
    if name not in STAFF_ACTIONS:
        return _bad_request(
            request, case, _("Unknown action: “%(action)s”.") % {"action": name[:40]}
        )
    action = ACTIONS[name]

    station = None
    if action.needs_station:
        raw = request.POST.get("station", "").strip()
        if not raw:
            messages.error(request, _("Choose a police station first."))
            return redirect("console:case", public_id)
        if raw.isascii() and raw.isdigit() and len(raw) < 16:
            station = PoliceStation.objects.filter(pk=int(raw)).first()
        if station is None:
            return _bad_request(request, case, _("There is no police station with this id."))

    note = request.POST.get("note", "").strip()
    if len(note) > NOTE_MAX_CHARS:
        return _bad_request(
            request,
            case,
            _("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX_CHARS},
        )
    if name in NOTE_REQUIRED and not note:
        messages.error(request, _("Write the note first."))
        return redirect("console:case", public_id)

    try:
        services.transition(case.pk, name, actor=request.user, note=note, station=station)
    except services.TransitionError:
        # Someone else may have changed the case meanwhile: explain from its state now.
        messages.error(request, _refusal_message(_case(public_id), name, request.user))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": action.label})
    return redirect("console:case", public_id)
