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
    # evidence.services.EvidenceRefused
    "file_too_big": _("The file is larger than %(mb)s MB."),
    "file_empty": _("The file is empty."),
    "bad_type": _("Only photos, videos and PDF documents can be sent."),
    "bad_sha256": _("The SHA-256 must be 64 hexadecimal characters."),
    "too_many_files": _("This case holds %(n)s files already, the most it can take."),
    "key_other_file": _("This upload key belongs to another file."),
    "wrong_offset": _("The server has %(offset)s bytes of this file: send from there."),
    "past_the_end": _("These bytes run past the file's size of %(size)s bytes."),
    "hash_mismatch": _(
        "What arrived does not match the file's SHA-256, so nothing of it was kept. Send the "
        "file again."
    ),
    "case_forgotten": _("This case's data was deleted: it takes no more files."),
    "already_complete": _("This file has arrived whole already."),
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


# The shape checks at the edge (schemas.py) and pydantic's own refusals, by code. The app maps
# these codes to its own words; the message is for every other client, in its reader's language.
INVALID = {
    "born_in_future": _("The date of birth is in the future."),
    "born_too_early": _("The date of birth is before 1900."),
    "bad_phone": _("A phone number may hold digits, spaces, +, ( ) and - only."),
    "bad_chat_id": _("A Telegram chat id is a number."),
    "bad_city": _("A city may hold letters, spaces, hyphens and dots only."),
    "captured_in_future": _("The location's time is in the future."),
    "one_contact_way": _("Give exactly one of phone, email or Telegram."),
    "summons_too_old": _("The summons date is more than 30 days ago."),
    "summons_too_far": _("The summons date is more than a year ahead."),
    "reporter_needs_role": _("A reporter goes with the role “relative” or “witness”."),
    "summons_needs_date": _("A summons needs its date."),
    "summons_kind_only": _("Summons details go with a summons only."),
    "request_too_old": _("The request's date is more than 30 days ago."),
    "request_too_far": _("The request's date is more than a year ahead."),
    "request_kind_only": _(
        "Request details go with a consultation, court representation or an appeal only."
    ),
    "deadline_no_offset": _("Give the deadline with its time zone offset."),
    "required": _("This field is required."),
    "unknown_field": _("This field is not known."),
    "too_long": _("At most %(max_length)s characters."),
    "too_short": _("At least %(min_length)s characters."),
    "bad_form": _("This value has the wrong form."),
    "not_text": _("Give text here."),
    "not_a_choice": _("Choose one of: %(expected)s."),
    "bad_date": _("Give a date as YYYY-MM-DD."),
    "bad_datetime": _("Give a date and time as YYYY-MM-DDTHH:MM with a time zone."),
    "not_a_number": _("Give a number."),
    "too_small": _("At least %(ge)s."),
    "too_large": _("At most %(le)s."),
    "too_many": _("At most %(max_length)s items."),
    "not_an_object": _("Give an object with fields here."),
    "not_a_list": _("Give a list here."),
    "not_json": _("This is not valid JSON."),
    "not_a_boolean": _("Give true or false."),
    "invalid": _("This value is not valid."),
    # The Idempotency-Key header (cases.key_problem)
    "key_required": _("The Idempotency-Key header is required."),
    "key_malformed": _(
        "The Idempotency-Key header must be 8 to 100 characters of A-Z, a-z, 0-9, _ and -."
    ),
    "key_reserved": _("The Idempotency-Key header must not start with timer-, sms- or forgotten-."),
    "too_big": _("The body is larger than %(bytes)s bytes."),
    "token_required": _("A valid status token is required (Authorization: Bearer <token>)."),
}
# pydantic's error types, several to one code: a client maps a few stable codes, and an
# upgrade of pydantic that renames a type falls back to "invalid", never to a crash.
PYDANTIC_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "string_pattern_mismatch": "bad_form",
    "string_type": "not_text",
    "string_unicode": "not_text",
    "literal_error": "not_a_choice",
    "date_type": "bad_date",
    "date_parsing": "bad_date",
    "date_from_datetime_parsing": "bad_date",
    "date_from_datetime_inexact": "bad_date",
    "datetime_type": "bad_datetime",
    "datetime_parsing": "bad_datetime",
    "datetime_from_date_parsing": "bad_datetime",
    "float_type": "not_a_number",
    "float_parsing": "not_a_number",
    "int_type": "not_a_number",
    "int_parsing": "not_a_number",
    "finite_number": "not_a_number",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "too_long": "too_many",
    "model_type": "not_an_object",
    "model_attributes_type": "not_an_object",
    "dict_type": "not_an_object",
    "list_type": "not_a_list",
    "json_invalid": "not_json",
    "bool_type": "not_a_boolean",
    "bool_parsing": "not_a_boolean",
}


def invalid(error: dict) -> tuple[str, str]:
    """One failed shape check (a pydantic error) as its code and its message in the reader's
    language; a message whose facts are missing falls back to the plain one."""
    kind = str(error.get("type", ""))
    # pydantic's names first: its "too_long" (a list) is not our "too_long" (a text).
    code = PYDANTIC_CODES.get(kind) or (kind if kind in INVALID or kind in MESSAGES else "invalid")
    text = INVALID.get(code) or MESSAGES[code]
    try:
        return code, str(text) % (error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return code, str(INVALID["invalid"])


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
