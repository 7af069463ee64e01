"""The API's one error shape, and the domain's refusals turned into words for the reader.

An answer to a refused request carries the field it is about, a stable `code` for programs,
and a message in the reader's language (Accept-Language, as the PWA's pages are), so no
English sentence from a service reaches a Russian screen.
"""

from django.utils.translation import gettext_lazy as _
from ninja import Status

from habeas.lib.refusals import Refusal

# Every code a domain refusal can carry to the API; a test checks none is missing.
MESSAGES = {
    # cases.services.IdempotencyConflict
    "key_reused": _("This Idempotency-Key was already used for a different request."),
    # cases.services.TransitionError, as the person sees it on their status screen
    "not_now": _("The case is already closed."),
    "staff_only": _("Only the hotline's staff can do this."),
    "detainee_only": _("Only the person who sent the SOS can do this."),
    "dispatchers_only": _("Only a dispatcher can do this."),
    "assignee_only": _("Only the lawyer on the case can do this."),
    "unknown_action": _("Unknown action."),
    "station_required": _("Choose a police station first."),
    "lawyer_required": _("Choose a lawyer first."),
    "bad_reason": _("Unknown reason."),
    "bad_article": _("Enter the article like this: 20.2 ч. 5 (or ч. 5 ст. 20.2)."),
    "bad_court_date": _("Enter the court date."),
    "court_date_too_old": _("The court date is too far in the past."),
    # dispatch.services.OfferError
    "not_yours": _("This offer is not yours."),
    "already_answered": _("This offer was already answered or ran out."),
    "ran_out": _("This offer ran out."),
    # dispatch.services.TakeRefused (staff only; listed so every code has words everywhere)
    "offered_to_another": _("The case is offered to another lawyer."),
    "not_on_duty": _("Go on duty first."),
    "over_capacity": _("Over capacity."),
    "held_elsewhere": _("The lawyer's work at another police station is not finished."),
    "lawyers_only": _("Only a lawyer can do this."),
    # dispatch.services.AssignRefused (staff only)
    "lawyer_full": _("The lawyer has no room for more cases."),
    # timers.services.TimerError
    "deadline_past": _("Choose a time in the future."),
    "deadline_too_far": _("Choose a time within %(hours)s hours."),
    "pin_format": _("%(min)s to %(max)s digits."),
    "pins_equal": _("The duress PIN must differ from the PIN."),
    "others_reported": _(
        "Other people reported this person too, so the hotline keeps working on it. Call the "
        "hotline if this was a mistake."
    ),
    # callbacks.services.CallBackRefused
    "callback_gone": _("This call-back was closed already."),
    "unknown_outcome": _("Choose how the call went."),
    # cases.merging.MergeError (staff only; listed so every code has words everywhere)
    "same_case": _("A case cannot be merged into itself."),
    "case_closed": _("Both cases must be open."),
    "last_report": _("The case's only report cannot be split off."),
    "no_such_report": _("No such report in this case."),
    "bad_case_outcome": _("Unknown outcome of the case."),
    # court.services.CourtRefused: recorded in the console; worded here for every surface.
    "bad_hearing_time": _("Give the hearing's date and time."),
    "hearing_too_old": _("The hearing is more than %(days)s days in the past."),
    "hearing_too_far": _("The hearing is more than %(days)s days ahead."),
    "court_required": _("Give the court."),
    "text_too_long": _("“%(field)s” is longer than %(limit)s characters."),
    "bad_outcome": _("Unknown outcome."),
    "bad_copy_date": _("Give the day the copy of the decision was received."),
    "copy_before_hearing": _("The copy of the decision cannot come before the hearing."),
    "copy_in_future": _("The copy of the decision cannot come in the future."),
    "amount_required": _("“%(field)s” is needed for this outcome."),
    "amount_out_of_range": _("“%(field)s” must be a whole number from 1 to %(max)s."),
    "already_decided": _("This hearing's decision is recorded already."),
    "case_not_open": _("This case is closed."),
    # accounts.staff.StaffRefused: staff accounts are managed in the console; worded here too
    # so that every code has words on every surface.
    "bad_email": _("Enter a valid email address."),
    "bad_role": _("Unknown staff role."),
    "name_too_long": _("The name is longer than %(limit)s characters."),
    "already_staff": _("This person already has a staff account."),
    "deactivated": _("This staff account is deactivated."),
    "not_yourself": _("A staff account cannot deactivate itself."),
    "last_admin": _("The only active administrator cannot be deactivated."),
}


def message(refusal: Refusal) -> str:
    """The refusal in the reader's language, its facts filled in."""
    return str(MESSAGES[refusal.code]) % refusal.params


def problem(status: int, detail: str, field: str | None = None, text: str = "", code: str = ""):
    """An error answer in the API's one shape: a summary and a message per field."""
    item = {"field": field, "message": text, "code": code or None}
    return Status(status, {"detail": detail, "errors": [item] if field else []})


def refused(status: int, refusal: Refusal, detail: str = "") -> Status:
    """A domain refusal as an answer: its message on its field, and as the summary unless
    `detail` gives one."""
    text = message(refusal)
    return problem(status, detail or text, refusal.params.get("field"), text, refusal.code)
