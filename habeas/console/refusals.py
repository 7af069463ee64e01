"""The domain's refusals in the staff's language, explained from the case as it is now.

Services refuse with a code (habeas.lib.refusals); this module is the console's only place
that turns one into words. A refusal for the state is worded from the case's state now, since
someone else may have changed the case between the page and the press of the button.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from habeas.cases.models import Case
from habeas.cases.transitions import ACTIONS
from habeas.lib.refusals import Refusal

# Every code a domain refusal can carry to the console; a test checks none is missing.
MESSAGES = {
    "not_now": gettext_lazy("“%(action)s” is not possible while the case is “%(status)s”."),
    "staff_only": gettext_lazy("Only the hotline's staff can do this."),
    "detainee_only": gettext_lazy("Only the person who sent the SOS can do this."),
    "dispatchers_only": gettext_lazy("Only a dispatcher can do this."),
    "assignee_only": gettext_lazy(
        "Only the lawyer who took the case, or a dispatcher, can do this."
    ),
    "unknown_action": gettext_lazy("Unknown action: “%(action)s”."),
    "station_required": gettext_lazy("Choose a police station first."),
    "lawyer_required": gettext_lazy("Choose an active lawyer first."),
    "bad_reason": gettext_lazy("Choose why the lawyer was refused entry."),
    "bad_article": gettext_lazy("Enter the article like this: 20.2 ч. 5 (or ч. 5 ст. 20.2)."),
    "bad_court_date": gettext_lazy("Enter the court date."),
    "court_date_too_old": gettext_lazy(
        "The court date is more than %(limit_days)s days in the past: check the year."
    ),
    "offered_to_another": gettext_lazy(
        "This case is waiting for %(lawyer)s to answer its offer; ask a dispatcher to assign it."
    ),
    "not_on_duty": gettext_lazy("Go on duty first to take a case."),
    "over_capacity": gettext_lazy(
        "You already have %(capacity)s cases, your limit: finish one or ask a dispatcher."
    ),
    "held_elsewhere": gettext_lazy(
        "Your work at %(station)s is not finished (one place at a time): record the "
        "release there first, or ask a dispatcher."
    ),
    "lawyers_only": gettext_lazy("Only a lawyer on duty can take cases."),
    # dispatch.services.AssignRefused
    "lawyer_full": gettext_lazy(
        "%(lawyer)s already has %(capacity)s cases, their limit: the rest were not assigned."
    ),
    "key_reused": gettext_lazy("This report was already recorded differently."),
    "not_yours": gettext_lazy("This offer was made to another lawyer."),
    "already_answered": gettext_lazy("This offer was already answered or ran out."),
    "ran_out": gettext_lazy("This offer ran out."),
    "deadline_past": gettext_lazy("Choose a time in the future."),
    "deadline_too_far": gettext_lazy("Choose a time within %(hours)s hours."),
    "pin_format": gettext_lazy("%(min)s to %(max)s digits."),
    "pins_equal": gettext_lazy("The duress PIN must differ from the PIN."),
    "others_reported": gettext_lazy(
        "Other people reported this person too, so the hotline keeps working on it. Call the "
        "hotline if this was a mistake."
    ),
    # callbacks.services.CallBackRefused
    "callback_gone": gettext_lazy("This call-back was closed already."),
    "unknown_outcome": gettext_lazy("Choose how the call went."),
    # cases.merging.MergeError
    "same_case": gettext_lazy("A case cannot be merged into itself."),
    "case_closed": gettext_lazy("Both cases must be open to merge or split them."),
    "last_report": gettext_lazy("This is the case's only report: there is nothing to split off."),
    "no_such_report": gettext_lazy("This report is no longer in this case."),
    "bad_case_outcome": gettext_lazy("Choose how the case ended."),
    # court.services.CourtRefused ("bad_article" is worded above)
    "bad_hearing_time": gettext_lazy("Enter the hearing's date and time."),
    "hearing_too_old": gettext_lazy(
        "The hearing is more than %(days)s days in the past: check the date."
    ),
    "hearing_too_far": gettext_lazy(
        "The hearing is more than %(days)s days ahead: check the year."
    ),
    "court_required": gettext_lazy("Enter the court."),
    "text_too_long": gettext_lazy("Shorten “%(field)s” to %(limit)s characters."),
    "bad_outcome": gettext_lazy("Choose what the court decided."),
    "bad_copy_date": gettext_lazy("Enter the day the copy of the decision was received."),
    "copy_before_hearing": gettext_lazy(
        "The copy of the decision cannot come before the hearing: check the dates."
    ),
    "copy_in_future": gettext_lazy("The copy of the decision cannot come in the future."),
    "amount_required": gettext_lazy("Enter the amount for this outcome (“%(field)s”)."),
    "amount_out_of_range": gettext_lazy("“%(field)s” must be a whole number from 1 to %(max)s."),
    "already_decided": gettext_lazy("This hearing's decision is recorded already."),
    "case_not_open": gettext_lazy("This case is closed: nothing more can be recorded on it."),
    # evidence.services.EvidenceRefused: a file staff attach on the case page
    "file_too_big": gettext_lazy("The file is larger than %(mb)s MB."),
    "file_empty": gettext_lazy("The file is empty."),
    "bad_type": gettext_lazy("Only photos, videos and PDF documents can be attached."),
    "bad_sha256": gettext_lazy("The file's checksum could not be computed: attach it again."),
    "too_many_files": gettext_lazy("This case holds %(n)s files already, the most it can take."),
    "key_other_file": gettext_lazy("This file is attached already."),
    "wrong_offset": gettext_lazy("The file arrived in pieces out of order: attach it again."),
    "past_the_end": gettext_lazy("The file arrived in pieces out of order: attach it again."),
    "hash_mismatch": gettext_lazy("The file changed while it was attached: attach it again."),
    "case_forgotten": gettext_lazy("This case's data was deleted: it takes no more files."),
    "already_complete": gettext_lazy("This file is attached already."),
    # accounts.staff.StaffRefused
    "bad_email": gettext_lazy("Enter the person's email address."),
    "bad_role": gettext_lazy("Choose a role."),
    "name_too_long": gettext_lazy("The name is longer than %(limit)s characters."),
    "already_staff": gettext_lazy(
        "This person already has an account: use “New link” in the list below."
    ),
    "deactivated": gettext_lazy("This account is deactivated: invite the person again."),
    "not_yourself": gettext_lazy("You cannot deactivate your own account."),
    "last_admin": gettext_lazy(
        "This is the only active administrator: invite another one before deactivating it."
    ),
}


def explain(refusal: Refusal, case: Case, user) -> str:
    """Why the action was refused, in the user's language, from the case as it is now."""
    action_name = refusal.params.get("action", "")
    if refusal.code == "not_now" and action_name in ACTIONS:
        lawyer = case.assigned_lawyer
        if action_name in ("take", "assign") and lawyer is not None:
            if lawyer.pk == user.pk:
                return _("You have already taken this case.")
            return _("%(lawyer)s has already taken this case.") % {"lawyer": lawyer}
        if case.is_closed:
            return _("This case is already closed.")
    params = dict(refusal.params)
    if action_name in ACTIONS:
        params["action"] = ACTIONS[action_name].label
    params["status"] = case.get_status_display()
    return str(MESSAGES[refusal.code]) % params


def explain_alone(refusal: Refusal) -> str:
    """Words for a refusal that concerns no one case (a lawyer off duty, a batch stopped at
    a lawyer's capacity), in the user's language."""
    return str(MESSAGES[refusal.code]) % refusal.params
