"""The staff console: the live queue, the case page and the actions taken on it.

Views read through QuerySets and write only through the cases and dispatch services
(see acting.py for which action goes through which).
Live parts are polled with ETags: an unchanged queue or case costs one small query and a 304.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET, require_POST

from habeas.accounts import audit, throttling
from habeas.cases.models import Case
from habeas.court.models import Outcome
from habeas.dispatch import services as dispatch
from habeas.dispatch.models import Offer
from habeas.lib.refusals import Refusal

from . import acting, cards, court, evidence, maps, refusals, surge
from . import queue as triage
from .access import is_safe_next, staff_required
from .casepage import case_context, lawyer_choices
from .forms import EmailLoginForm
from .replies import problem

# The live refresh of a case page re-renders personal data every few seconds while the case
# changes; the audit log records it once per person and case in this window (every full
# page view is recorded).
LIVE_VIEW_AUDIT_WINDOW = timedelta(minutes=5)


class LoginView(auth_views.LoginView):
    """Django's login, with `next` held to paths on this site (a bare word once gave a 500)."""

    def get_redirect_url(self) -> str:
        target = self.request.POST.get(self.redirect_field_name) or self.request.GET.get(
            self.redirect_field_name, ""
        )
        return target if is_safe_next(self.request, target) else ""


LOGIN_PAGE = {"title": gettext_lazy("Log in"), "heading": gettext_lazy("Staff console")}

login = LoginView.as_view(
    template_name="console/login.html",
    authentication_form=EmailLoginForm,
    redirect_authenticated_user=True,
    extra_context=LOGIN_PAGE,
)
logout = auth_views.LogoutView.as_view()


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The login page after too many wrong passwords (django-axes' AXES_LOCKOUT_CALLABLE)."""
    context = {
        "form": EmailLoginForm(request, data=request.POST or None),
        "locked_minutes": throttling.lockout_minutes(request, credentials),
        "next": request.POST.get("next", ""),
        **LOGIN_PAGE,
    }
    return render(request, "console/login.html", context, status=429)


# --- the queue -------------------------------------------------------------------------------


def open_count(request: HttpRequest) -> int:
    """Counted once per request: the ETag, the heading and the pager all show it."""
    if not hasattr(request, "_habeas_open_count"):
        request._habeas_open_count = Case.objects.open().count()
    return request._habeas_open_count


def queue_etag(request: HttpRequest) -> str:
    # The minute is part of it so that "5 min ago" ages even when no case changes.
    minute = int(time.time() // 60)
    version = Case.objects.version(open_count(request))
    # Dispatchers also see the surge panel, which changes when lawyers or offers do.
    panel = f"-{surge.for_request(request).digest()}" if request.user.is_dispatcher else ""
    filters = triage.fingerprint(request.GET)
    return f'"q-{version}{panel}-{filters}-{request.LANGUAGE_CODE}-{request.user.pk}-{minute}"'


def _queue_context(request: HttpRequest) -> dict | None:
    """The queue's context for these filters, or None when a filter is not valid."""
    user = request.user
    form = triage.read(request.GET, user)
    if not form.is_valid():
        return None
    count = open_count(request)
    found = triage.build(form, request.GET, open_count=count)
    if found.searched_person:
        # Looking a person up by name tells the searcher whether they have a case: audited,
        # once per window for the live poll as for the case page.
        audit.record_unless_recent(
            user, "view", "", "queue search by name and date of birth", LIVE_VIEW_AUDIT_WINDOW
        )
    pending = Offer.objects.pending().filter(expires_at__gt=timezone.now())
    my_cases = list(Case.objects.assigned_to(user)) if user.is_lawyer else []
    return {
        "queue": found,
        "cases": found.page.object_list,
        "cards_html": cards.draw(found.page.object_list, user),
        "page_obj": found.page,
        # A lawyer's own work comes first: the offers waiting for their answer, then their
        # cases, above the surge panel and the queue.
        "my_offers": list(pending.filter(lawyer=user).select_related("case")),
        "my_cases": my_cases,
        "open_count": count,
        "title": _("Queue: %(count)d open") % {"count": count},
        "surge": surge.for_request(request) if user.is_dispatcher else None,
    }


def _bad_filters(request: HttpRequest) -> HttpResponse:
    form = triage.read(request.GET, request.user)
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    return problem(request, _("These filters cannot be used: %(errors)s") % {"errors": errors})


@never_cache
@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request)
    if context is None:
        return _bad_filters(request)
    context |= {"etag": queue_etag(request), "poll_ms": settings.HABEAS_POLL_MS}
    # Dispatchers' "assign the ticked cases": outside the polled list, so read once here.
    context["lawyers"] = lawyer_choices() if request.user.is_dispatcher else None
    return render(request, "console/queue.html", context)


@never_cache
@staff_required
@require_GET
@condition(etag_func=queue_etag)
def queue_fragment(request: HttpRequest) -> HttpResponse:
    """Return the queue list's HTML for the same filters, or 304 when nothing changed since
    the client's ETag."""
    context = _queue_context(request)
    if context is None:
        return _bad_filters(request)
    return render(request, "console/_queue_list.html", context)


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
    context = case_context(case, request.user) | {
        "etag": case_etag(request, public_id),
        "poll_ms": settings.HABEAS_POLL_MS,
    }
    context["case_map"] = maps.case_map_config(case, context["details"])
    context["hearings"] = court.hearings_of(case, request.user, context["details"])
    context["may_record_court"] = court.may_record(request.user, case) and not case.is_closed
    context["outcomes"] = Outcome.choices
    context["evidence_files"] = evidence.files_of(case) if context["details"] else []
    context["evidence_max_mb"] = settings.HABEAS_EVIDENCE_MAX_MB
    if context["details"]:
        audit.record(request.user, "view", case.public_id, "case page")
    return maps.allow_tiles(render(request, "console/case.html", context))


@never_cache
@staff_required
@require_GET
@condition(etag_func=case_etag)
def case_live(request: HttpRequest, public_id: str) -> HttpResponse:
    """Return the case page's changing part, or 304 when the case has not changed."""
    case = _case(public_id)
    context = case_context(case, request.user)
    if context["details"]:
        audit.record_unless_recent(
            request.user, "view", case.public_id, "case page (live)", LIVE_VIEW_AUDIT_WINDOW
        )
    return render(request, "console/_case_live.html", context)


@staff_required
@require_POST
def act(request: HttpRequest, public_id: str) -> HttpResponse:
    """Apply one staff action to a case, then go back to the case page with a message."""
    case = _case(public_id)
    try:
        posted = acting.read(request.POST)
    except acting.BadInput as exc:
        return problem(request, str(exc), 400, case=case)
    except acting.Missing as exc:
        messages.error(request, str(exc))
        return redirect("console:case", public_id)
    try:
        acting.perform(case, posted, request.user)
    except Refusal as exc:
        messages.error(request, refusals.explain(exc, _case(public_id), request.user))
    else:
        messages.success(request, acting.done_message(posted.name))
    return redirect("console:case", public_id)


@staff_required
@require_POST
def merge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Merge the case named in the form (`other`) into this one: "Merge into this case"."""
    case = _case(public_id)
    other = Case.objects.filter(public_id=request.POST.get("other", "")[:16]).first()
    if other is None:
        return problem(request, _("Choose the case to merge into this one."), 400, case=case)
    try:
        dispatch.merge(case, other, request.user)
    except Refusal as exc:
        messages.error(request, refusals.explain(exc, _case(public_id), request.user))
    else:
        done = _("Case %(other)s was merged into this case.") % {"other": other.public_id}
        messages.success(request, done)
    return redirect("console:case", public_id)


@staff_required
@require_POST
def split(request: HttpRequest, public_id: str, report_id: int) -> HttpResponse:
    """Move one report out into a case of its own, then show that new case."""
    case = _case(public_id)
    try:
        new = dispatch.split(case, report_id, request.user)
    except Refusal as exc:
        messages.error(request, refusals.explain(exc, _case(public_id), request.user))
        return redirect("console:case", public_id)
    done = _("The report now has a case of its own, split from %(case)s.")
    messages.success(request, done % {"case": case.public_id})
    return redirect("console:case", new.public_id)
