"""One SMS into a case, whichever gateway delivered it (our own signed webhook in inbound.py,
SMS Gateway for Android in sms_gateway.py)."""

import hashlib
import hmac
import time

from habeas.cases import services as cases
from habeas.dispatch import services as dispatch
from habeas.lib import smscodec
from habeas.lib.keyed import keyed_hash

# A signed webhook older or newer than this is refused, so a captured request cannot be replayed
# later; a replay inside the window makes no second case, because its key repeats.
WINDOW_SECONDS = 300


def signature_problem(key: str, stamp: str, signature: str, signed: bytes) -> str:
    """Why a gateway's signed request is refused ("" when it is not): "unsigned", "stale" or
    "invalid". `signed` is what the gateway signed with `key` (HMAC-SHA256, hex)."""
    # isdigit() alone takes "²" and other scripts' digits, which int() then refuses (a 500).
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12) or not signature:
        return "unsigned"
    if abs(time.time() - int(stamp)) > WINDOW_SECONDS:
        return "stale"
    expected = hmac.new(key.encode(), signed, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return "invalid"
    return ""


def receive_text(sender: str, text: str, message_id: str) -> tuple[cases.Opened, bool]:
    """Turn one SMS into a case: a payload is an SOS keyed by its reference; free text is a
    case for dispatchers, keyed by a keyed hash of the sender and the gateway's message id.
    Returns the case and whether it was a payload."""
    parsed = smscodec.parse(text)
    if parsed is not None:
        intake = cases.Intake(
            person=cases.Person(
                full_name=parsed.full_name, date_of_birth=parsed.date_of_birth, phone=sender
            ),
            location=(
                cases.Location(lat=parsed.lat, lon=parsed.lon) if parsed.lat is not None else None
            ),
            channel="sms",
        )
        return dispatch.receive_sos(intake, reference=parsed.reference), True
    digest = keyed_hash("sms-key", f"{sender}|{message_id or text}")
    intake = cases.Intake(kind="other", person=cases.Person(phone=sender, note=text), channel="sms")
    return dispatch.receive_for_dispatchers(intake, idempotency_key="sms-" + digest[:40]), False
