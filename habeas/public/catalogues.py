"""The translated strings each PWA page hands its script, one catalogue per page.

The scripts show these texts; translating them on the server keeps one gettext catalogue
(there is no JavaScript catalogue). Each page renders its catalogue as JSON data.
"""

from django.utils.translation import gettext as _


def details() -> dict:
    """Return "My details", the PIN and the status screen: shared by every page that sends."""
    return {
        "saved": _("Saved on this phone only."),
        "savedSealed": _("Saved on this phone only, encrypted with your PIN."),
        "cleared": _("Your details were removed from this phone."),
        "received": _("Your SOS was received."),
        "offline": _("No connection. Showing the last known status; retrying."),
        "gone": _("This case is no longer available. Call the hotline if you need help."),
        "withdrawFailed": _("Could not withdraw: no connection. Try again or call the hotline."),
        "forgotten": _("Your details were deleted from the server."),
        "forgetFailed": _("Could not delete: no connection. Nothing was deleted; try again."),
        "station": _("Police station:"),
        "lawyer": _("Lawyer: %(name)s"),
        "hearing": _("Court hearing: %(when)s, %(court)s"),
        "decision": _("Decision: %(text)s. Appeal by %(date)s."),
        # %(pct)s is a share with its sign, as "45 %" or "45%" in the page's language.
        "uploadHashing": _("%(name)s: getting ready, %(pct)s"),
        "uploadSending": _("%(name)s: sending, %(pct)s"),
        "uploadWaiting": _("%(name)s: no connection, %(pct)s sent. It goes on by itself."),
        "uploadDone": _("%(name)s: received at %(time)s. SHA-256:"),
        "uploadFailed": _("%(name)s was not sent: %(reason)s"),
        "uploadStopped": _("%(name)s: stopped at %(pct)s. Pick the same file again to go on."),
        "uploadRefused": _("the hotline did not take it."),
        "callbackAsked": _("Asked. The hotline will call you back; keep your phone near you."),
        "callbackFailed": _("Could not ask: no connection. Try again or call the hotline."),
        "pinSet": _("PIN set. Your details are now stored encrypted."),
        "pinMismatch": _("The two PINs differ."),
        "pinWrong": _("Wrong PIN. Tries left before Habeas data on this phone is wiped: %(n)s"),
        "pinRemoved": _("PIN removed. Your details are stored without encryption."),
        "pinLocked": _("Locked."),
        "unlocked": _("Unlocked."),
        "noCrypto": _("This browser cannot encrypt here, so a PIN is not available."),
        "discreetOn": _(
            'Done: added to the home screen now, the app is called "Notes". If it '
            "is there already under its own name, remove it and add it again."
        ),
        "discreetOff": _("The app will be added to the home screen under its own name again."),
        "summaryNone": _(
            "No saved details on this phone: the hotline will not know who you are or how "
            "to reach you."
        ),
        "summaryLocked": _(
            "Your saved details are locked with a PIN: unlock them to send them, or they "
            "will not be sent."
        ),
        "summary": _("Your saved details will be sent too:"),
        "summaryContacts": _("trusted contacts: %(n)s"),
        "contact": _("Trusted contact %(n)s"),
        "fields": {
            "full_name": _("Full name"),
            "date_of_birth": _("Date of birth"),
            "phone": _("Phone"),
            "note": _("Note"),
            "city": _("City"),
            "location": _("Location"),
            "contacts": _("Trusted contacts"),
            "details": _("Details"),
        },
    }


def sos() -> dict:
    """Return the SOS page's strings."""
    return {
        **details(),
        "sending": _("Sending SOS…"),
        "locating": _("Sending SOS… (finding your location, at most 3 seconds)"),
        "notYet": _("Not sent yet — will keep trying every few seconds."),
        "resuming": _("An SOS from earlier was not sent yet. Trying again…"),
        "stopped": _("Stopped. The SOS was not sent."),
        "tooShort": _("Keep holding the button for 1.5 seconds to send."),
        "rejected": _("The hotline could not accept these details:"),
        "rejectedOther": _(
            "The hotline could not accept the SOS. Send it without details, or call."
        ),
        # The API's codes for a refused field (api/errors.py), in the app's own words: the
        # SOS goes without the field, and these say why it was left out.
        "refusals": {
            "born_in_future": _("the date is in the future"),
            "born_too_early": _("the date is before 1900"),
            "bad_date": _("not a date"),
            "bad_phone": _("only digits, spaces, +, ( ) and - are allowed"),
            "bad_email": _("not an email address"),
            "bad_chat_id": _("a Telegram chat id is a number"),
            "one_contact_way": _("give one way to reach the contact"),
            "bad_city": _("only letters, spaces, hyphens and dots are allowed"),
            "captured_in_future": _("the phone's clock is wrong"),
            "too_long": _("too long"),
            "too_many": _("too many"),
            "invalid": _("not accepted"),
        },
    }


def request(field: str) -> dict:
    """Return the strings of a request page: "I have been summoned" (`field` "summons") or
    "Ask for legal help" ("request")."""
    return {
        **details(),
        "sending": _("Sending…"),
        "notYet": _(
            "Not sent yet: no connection. It will be sent when the phone is back online "
            "(keep this page open), or press Send again."
        ),
        "resuming": _("A request from earlier was not sent yet. Trying again…"),
        "rejected": _("The hotline could not accept this request:"),
        "received": _("Your request was received."),
        "fixOnHome": _("Fix your saved details on the start page."),
        "formFields": {
            "date": _("Date"),
            "time": _("Time"),
            "place": _("Place"),
            "text": _("What the paper says") if field == "summons" else _("What you ask"),
            "reason": _("Reason"),
            "kind": _("What you need"),
        },
    }


def relative() -> dict:
    """Return the strings of "Someone I know was detained"."""
    return {
        **details(),
        "sending": _("Sending…"),
        "notYet": _(
            "Not sent yet: no connection. It will be sent when the phone is back online "
            "(keep this page open), or press Send again."
        ),
        "resuming": _("A report from earlier was not sent yet. Trying again…"),
        "rejected": _("The hotline could not accept this report:"),
        "received": _("Your report was received."),
        "noteWhere": _("Where and when:"),
        "noteStation": _("Police station (as the reporter names it):"),
        "relativeFields": {
            "full_name": _("Their name"),
            "date_of_birth": _("Their date of birth"),
            "note": _("What you know"),
            "name": _("Your name"),
            "phone": _("Your phone"),
            "telegram": _("Your Telegram"),
            "email": _("Your email"),
            "relation": _("Who you are to them"),
        },
    }


def timer() -> dict:
    """Return the check-in timer's strings."""
    return {
        **details(),
        "arming": _("Setting the timer…"),
        "armFailed": _("Could not set the timer: no connection. Nothing was stored; try again."),
        "rejected": _("The hotline could not accept this timer:"),
        "pinsSame": _("The duress PIN must differ from the PIN."),
        "pinShape": _("A PIN is %(min)s to %(max)s digits."),
        "past": _("That time has already passed today. Choose tomorrow or a later time."),
        "armed": _("Armed. Your SOS goes to the hotline at %(time)s unless you check in."),
        "left": _("Time left: %(time)s"),
        "checkingIn": _("Checking in…"),
        "checkedIn": _("Checked in. The timer is off."),
        "wrongPin": _("Wrong PIN. Tries left: %(n)s"),
        "fired": _("The time passed without a check-in: your SOS was sent to the hotline."),
        "deleted": _("Your details were deleted from the server. The timer is off."),
        "gone": _("The server no longer knows this timer."),
        "deleteFailed": _("Could not reach the server. Nothing was deleted; try again."),
        "checkinFailed": _("Could not reach the server. You are not checked in yet; try again."),
    }


def safe_photo() -> dict:
    """Return the Safe photo page's strings."""
    return {
        "loading": _("Loading the face finder…"),
        "ready": _("Ready. Pick or take a photo."),
        "failed": _("The face finder could not start. You can still cover faces by hand."),
        "reading": _("Opening the photo…"),
        "unreadable": _("This file could not be opened as a photo."),
        "finding": _("Looking for faces…"),
        "found": _("Faces covered: %(n)s."),
        "none": _("No faces were found."),
        "check": _("Check the photo: some faces may be missed."),
        "saved": _("Saved. The saved photo has no location, date or camera details."),
        "shareFailed": _("Could not share. Save the photo instead."),
        "fileName": _("safe-photo"),
    }
