"""The call-back list: people who asked the hotline to phone them, oldest first.

The number to call is opened from the asking report's sealed details only here, for the
hotline's operators and dispatchers, and each list view that shows numbers is audited.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from habeas.accounts import audit
from habeas.callbacks import services as callbacks
from habeas.callbacks.models import CallBack
from habeas.cases import services as cases
from habeas.lib.refusals import Refusal
from habeas.lib.sealing import SealError

from .access import hotline_required
from .acting import parse_id
from .refusals import MESSAGES

SHOWN = 200


@dataclass
class ToCall:
    callback: CallBack
    number: str  # "" when the report holds none (or its details were destroyed)
    who: str  # the person themselves, or the reporter's relation to them


def _to_call(callback: CallBack) -> ToCall:
    try:
        details = cases.open_details(callback.report) if callback.report else {}
        brought = callbacks.number_of(callback)
    except SealError:
        details, brought = {}, ""
    reporter = details.get("reporter") or {}
    person = details.get("person") or {}
    number = brought or reporter.get("phone") or person.get("phone") or ""
    if callback.report is None:
        who = _("asked in the Telegram bot")
    else:
        who = reporter.get("relation") or callback.report.get_reporter_role_display()
    return ToCall(callback, number, str(who))


@require_GET
@never_cache
@hotline_required
def callback_list(request: HttpRequest) -> HttpResponse:
    rows = [_to_call(c) for c in CallBack.objects.to_call()[:SHOWN]]
    if rows:
        audit.record(request.user, "view", what=f"call-back list ({len(rows)})")
    return render(request, "console/callbacks.html", {"rows": rows, "title": _("Call back")})


@require_POST
@hotline_required
def callback_record(request: HttpRequest) -> HttpResponse:
    callback_id = parse_id(request.POST.get("callback", ""))
    try:
        callbacks.record(callback_id or 0, request.POST.get("outcome", ""), request.user)
    except Refusal as exc:
        messages.error(request, str(MESSAGES[exc.code]))
    else:
        messages.success(request, _("Saved."))
    return redirect("console:callbacks")
