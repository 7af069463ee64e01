"""On and off duty in one tap: a lawyer for themselves, a dispatcher for anyone on the roster.

Writes go through habeas.lawyers.services.set_on_duty; coming on duty also asks dispatch to
offer the cases that are waiting, since this lawyer may be the one they wait for.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from habeas.accounts.models import Role, User
from habeas.dispatch import services as dispatch
from habeas.lawyers import services as lawyers

from .access import safe_next, staff_required
from .acting import parse_id
from .replies import problem


def _target(request: HttpRequest) -> User | HttpResponse:
    """Whose duty changes: the lawyer named in the form (dispatchers only), else oneself."""
    raw = request.POST.get("lawyer", "").strip()
    if not raw or raw == str(request.user.pk):
        if not request.user.is_lawyer:
            return problem(request, _("Only lawyers go on duty."), 403)
        return request.user
    if not request.user.is_dispatcher:
        return problem(request, _("Only a dispatcher can change someone else's duty."), 403)
    staff = User.objects.filter(role=Role.LAWYER, is_active=True)
    lawyer = staff.filter(pk=pk).first() if (pk := parse_id(raw)) else None
    if lawyer is None:
        return problem(request, _("There is no active lawyer with this id."), 400)
    return lawyer


@staff_required
@require_POST
def duty(request: HttpRequest) -> HttpResponse:
    """Set on_duty from the posted "on" or "off", then go back where the button was."""
    wanted = request.POST.get("on_duty", "")
    if wanted not in ("on", "off"):
        return problem(request, _("Unknown duty state: “%(state)s”.") % {"state": wanted[:20]})
    target = _target(request)
    if isinstance(target, HttpResponse):
        return target
    # Where to go back is settled before anything is saved: a bad `next` falls back to the
    # queue, and never turns a saved change into an error page.
    back = safe_next(request)
    on = wanted == "on"
    with transaction.atomic():
        lawyers.set_on_duty(target, on)
        if on:
            dispatch.capacity_freed()
    if target == request.user and on:
        text = _("You are on duty: new cases can be offered to you.")
    elif target == request.user:
        text = _("You are off duty.")
    elif on:
        text = _("%(lawyer)s is now on duty.") % {"lawyer": target}
    else:
        text = _("%(lawyer)s is now off duty.") % {"lawyer": target}
    messages.success(request, text)
    return redirect(back)
