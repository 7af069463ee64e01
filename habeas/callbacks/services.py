"""Ask for a call-back, and record how each call went (the hotline's call-back list)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from habeas.accounts import audit
from habeas.cases.models import Report
from habeas.lib import sealing
from habeas.lib.refusals import Refusal

from .models import OPEN_STATES, CallBack, State

PURPOSE = "callback-number"
# "Try later" puts the call this far back in the list.
LATER = timedelta(minutes=15)


class CallBackRefused(Refusal):
    """gone (the request was closed or never existed), unknown_outcome."""

    CODES = frozenset({"callback_gone", "unknown_outcome"})


def request(report: Report) -> CallBack:
    """The person behind this report's status link asks to be called back; once while open."""
    now = timezone.now()
    try:
        with transaction.atomic():
            callback = CallBack.objects.create(case=report.case, report=report, try_after=now)
    except IntegrityError:
        return CallBack.objects.get(report=report, state__in=OPEN_STATES)
    audit.record(None, "change", report.case.public_id, "call-back asked")
    return callback


def request_by_phone(case_id: int, phone: str) -> CallBack:
    """Someone following the case in the Telegram bot asks to be called at this number."""
    callback = CallBack.objects.create(
        case_id=case_id,
        sealed_number=sealing.seal({"phone": phone}, PURPOSE),
        try_after=timezone.now(),
    )
    audit.record(None, "change", callback.case.public_id, "call-back asked in the bot")
    return callback


def number_of(callback: CallBack) -> str:
    """The number the request brought with it, or "" (then it is in the asking report)."""
    if callback.sealed_number is None:
        return ""
    return sealing.open_sealed(callback.sealed_number, PURPOSE)["phone"]


def forget_numbers(sender, case_id: int, **kwargs) -> None:
    """Destroy the numbers that came with call-backs of a case whose details were destroyed."""
    CallBack.objects.filter(case_id=case_id, sealed_number__isnull=False).update(sealed_number=None)


def open_request_for(report) -> CallBack | None:
    """The open call-back this report asked for, if any."""
    return (
        CallBack.objects.filter(report=report, state__in=OPEN_STATES)
        .order_by("-requested_at")
        .first()
    )


def record(callback_id: int, outcome: str, actor) -> CallBack:
    """Record one try: done, no_answer (stays in the list) or later (back in 15 minutes)."""
    if outcome not in (State.DONE, State.NO_ANSWER, State.LATER):
        raise CallBackRefused("unknown_outcome")
    with transaction.atomic(durable=True):
        callback = CallBack.objects.select_for_update().filter(pk=callback_id).first()
        if callback is None or callback.state not in OPEN_STATES:
            raise CallBackRefused("callback_gone")
        callback.state = outcome
        callback.attempts += 1
        callback.handled_by = actor
        callback.try_after = timezone.now() + (LATER if outcome == State.LATER else timedelta())
        callback.save(update_fields=["state", "attempts", "handled_by", "try_after", "updated_at"])
        audit.record(actor, "change", callback.case.public_id, f"call-back: {outcome}")
    return callback
